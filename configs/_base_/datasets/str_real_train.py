# The real training sets available here (IIIT5K 2000 + SVT 257 + IC15 4468 word crops), for
# fine-tuning. A model config inherits this and sets batch size / pipeline as needed, e.g.
#   train_dataloader = dict(batch_size=32, dataset=dict(pipeline=my_train_pipeline))
# Add the synthetic LMDB with  _base_.synth_str_train  from ./synth.py.
_base_ = ['./iiit5k.py', './svt.py', './icdar2015.py', '../recog_pipelines.py']

str_real_train_list = [_base_.iiit5k_str_train, _base_.svt_str_train, _base_.ic15_str_train]

train_dataloader = dict(
    batch_size=64,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='ConcatDataset',
        datasets=str_real_train_list,
        pipeline=_base_.str_train_pipeline))
