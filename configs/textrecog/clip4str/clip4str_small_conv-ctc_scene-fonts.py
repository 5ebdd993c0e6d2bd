# Scene + document fine-tune with the full font set (issue 17). The two previous stages
# (clip4str_small_conv-ctc_doc-cased.py, _scene-doc.py) drew their synthetic words from a machine
# that had only the core fonts (37 files, 7 families: DejaVu, Liberation), so their synthetic
# half taught no new letter shapes. This stage keeps the scene-doc mix but swaps in 200K words
# rendered with the ~125 families of `CLIP4STR_SYNTH_FONTS=1 tools/setup.sh`
# (tools/make_synth.py --num 200000 --seed 13; docs/synthetic_data.md).
#
#   CLIP4STR_SROIE_CROPS=/path/sroie_crops CLIP4STR_SYNTH_LMDB=/path/synth_fonts_seed13 \
#   CLIP4STR_IC03=/path/ic03 OMP_NUM_THREADS=1 tools/dist_train.sh \
#       configs/textrecog/clip4str/clip4str_small_conv-ctc_scene-fonts.py 2 --amp \
#       --work-dir work_dirs/clip4str_small_scene_fonts \
#       --cfg-options load_from=work_dirs/clip4str_small_scene_doc/iter_3500.pth  # --resume to go on
_base_ = ['clip4str_small_conv-ctc_scene-doc.py']

# from the scene-doc stage's last checkpoint: a gentler peak than its 5e-4
optim_wrapper = dict(optimizer=dict(lr=4e-4))
max_iters = 4000
train_cfg = dict(max_iters=max_iters, val_interval=1000)
param_scheduler = [
    dict(type='GroupOneCycleLR', pct_start=0.1, by_epoch=False, begin=0, end=max_iters)]
