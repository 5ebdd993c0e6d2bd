# Second full-font stage (issue 17): the scene-fonts recipe again, from its last checkpoint, on
# 200K fresh words from the same ~125 font families (tools/make_synth.py --num 200000 --seed 14)
# at a lower peak: the first stage's words were seen ~1.3 times, so new ones teach more than a
# second pass.
#
#   CLIP4STR_SROIE_CROPS=/path/sroie_crops CLIP4STR_SYNTH_LMDB=/path/synth_fonts_seed14 \
#   CLIP4STR_IC03=/path/ic03 OMP_NUM_THREADS=1 tools/dist_train.sh \
#       configs/textrecog/clip4str/clip4str_small_conv-ctc_scene-fonts2.py 2 --amp \
#       --work-dir work_dirs/clip4str_small_scene_fonts2 \
#       --cfg-options load_from=work_dirs/clip4str_small_scene_fonts/iter_4000.pth  # --resume
_base_ = ['clip4str_small_conv-ctc_scene-fonts.py']

optim_wrapper = dict(optimizer=dict(lr=2.5e-4))
max_iters = 3000
train_cfg = dict(max_iters=max_iters, val_interval=1000)
param_scheduler = [
    dict(type='GroupOneCycleLR', pct_start=0.1, by_epoch=False, begin=0, end=max_iters)]
