# Recipe of the shipped default recognizer (weights/clip4str_small.pth), stage 2: CLIP4STR-S
# with the conv stem and auxiliary CTC loss of clip4str_small_conv-ctc.py, trained on the data of
# clip4str_small_synth-real.py (stage 1, whose final checkpoint it starts from; the new stem and
# CTC head start from random init), with one change: RandAugment only on the real crops. The
# synthetic words carry their own distortions from tools/make_synth.py; RandAugment on top cut
# or erased the text of about one in six of them (wrong labels as far as the model can tell).
#
#   tools/dist_train.sh configs/textrecog/clip4str/clip4str_small_conv-ctc_synth-real.py 2 --amp \
#       --work-dir work_dirs/clip4str_small_cc2 \
#       --cfg-options load_from=work_dirs/clip4str_small/iter_4400.pth
#
# Stages 3, 4 and 5 (the shipped file is stage 5's): this config again, each from the previous
# stage's last checkpoint, 5000 iterations (--cfg-options load_from=.../iter_N.pth
# train_cfg.max_iters=5000 train_cfg.val_interval=5000 param_scheduler.0.end=5000); the full
# commands are in docs/training.md.
_base_ = ['clip4str_small_synth-real.py']

model = dict(
    backbone=dict(stem=dict(type='conv', channels=(48, 96, 192))),
    aux_ctc=dict(weight=0.5, upsample=2))

real_pipeline = _base_.train_pipeline
synth_pipeline = [t for t in real_pipeline if t['type'] != 'STRRandAugment']
real = [dict(type='RepeatDataset', times=8, dataset=dict(d, pipeline=real_pipeline))
        for d in (_base_.iiit5k_str_train, _base_.svt_str_train, _base_.ic15_str_train)]
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[dict(_base_.synth_str_train, pipeline=synth_pipeline), *real]))

max_iters = 4000
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [
    dict(type='GroupOneCycleLR', pct_start=0.075, by_epoch=False, begin=0, end=max_iters)]
