# Scene + document fine-tune of the shipped CLIP4STR-S (issue 17), from weights/clip4str_small.pth.
# The shipped file has seen its 200K synthetic words (seed 0) a dozen times: this stage swaps in
# fresh ones (tools/make_synth.py --num 120000 --seed 7) and keeps the document recipe's other
# parts (case-restored SROIE train crops, IIIT5K / SVT / IC15 train crops x8), so the mix is
# SROIE ~28 %, synthetic ~49 %, scenes ~22 %. Validation: SROIE val words and the ICDAR 2003
# SceneTrialTrain crops (never trained on), both every 500 iterations.
#
#   CLIP4STR_SROIE_CROPS=/path/sroie_crops CLIP4STR_SYNTH_LMDB=/path/synth_seed7 \
#   CLIP4STR_IC03=/path/ic03 OMP_NUM_THREADS=1 tools/dist_train.sh \
#       configs/textrecog/clip4str/clip4str_small_conv-ctc_scene-doc.py 2 --amp \
#       --work-dir work_dirs/clip4str_small_scene_doc \
#       --cfg-options load_from=weights/clip4str_small.pth          # add --resume to continue
_base_ = ['clip4str_small_conv-ctc_doc-cased.py', '../../_base_/datasets/ic03_words.py']

val_dataloader = dict(
    dataset=dict(_delete_=True, type='ConcatDataset',
                 datasets=[dict(_base_.sroie_str_val, pipeline=_base_.test_pipeline),
                           dict(_base_.ic03_str_holdout, pipeline=_base_.test_pipeline)]))
val_evaluator = dict(dataset_prefixes=['SROIE_val', 'IC03_holdout'])

# Twice the document fine-tune's peak: new synthetic words, and a longer run.
optim_wrapper = dict(optimizer=dict(lr=5e-4))
max_iters = 3500
train_cfg = dict(max_iters=max_iters, val_interval=500)
param_scheduler = [
    dict(type='GroupOneCycleLR', pct_start=0.1, by_epoch=False, begin=0, end=max_iters)]
default_hooks = dict(checkpoint=dict(interval=250, max_keep_ckpts=2, save_last=True))
