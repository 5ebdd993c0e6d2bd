# Stage 1 of the shipped default recognizer (weights/clip4str_small.pth; stage 2:
# clip4str_small_conv-ctc_synth-real.py, see docs/training.md): CLIP4STR-S trained from
# scratch on CPU with synthetic words (tools/make_synth.py -> data/synth/train) plus the real
# training crops available here (IIIT5K train 2000, SVT train 257, IC15 train 4468; never the
# test splits), the real ones repeated so they make up about a quarter of what the model sees.
#
#   tools/dist_train.sh configs/textrecog/clip4str/clip4str_small_synth-real.py 2 --amp \
#       --work-dir work_dirs/clip4str_small   # 2 single-threaded processes (OMP_NUM_THREADS=1)
_base_ = ['clip4str_small.py', '../../_base_/datasets/synth.py']

# Leaf datasets carry the pipeline: MMOCR's ConcatDataset cannot push one into wrappers.
pipeline = _base_.train_pipeline
real = [dict(type='RepeatDataset', times=8, dataset=dict(d, pipeline=pipeline))
        for d in (_base_.iiit5k_str_train, _base_.svt_str_train, _base_.ic15_str_train)]
train_dataloader = dict(
    batch_size=64,  # per process: 128 in all with 2 processes
    num_workers=1,
    persistent_workers=True,
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[dict(_base_.synth_str_train, pipeline=pipeline), *real]))
val_dataloader = dict(batch_size=128, num_workers=1)
test_dataloader = val_dataloader

# From scratch (no CLIP weights): one PARSeq-like learning rate for every part, no 19x decoder
# multiplier (that suits a pretrained encoder), light weight decay.
optim_wrapper = dict(
    optimizer=dict(lr=7e-4, weight_decay=0.05),
    paramwise_cfg=dict(decoder_lr_mult=1.0))
auto_scale_lr = dict(enable=True, base_batch_size=128)

max_iters = 4400
train_cfg = dict(_delete_=True, type='IterBasedTrainLoop', max_iters=max_iters,
                 val_interval=2200)
param_scheduler = [
    dict(type='GroupOneCycleLR', pct_start=0.075, by_epoch=False, begin=0, end=max_iters)]
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(by_epoch=False, interval=250, max_keep_ckpts=3, save_last=True))
log_processor = dict(by_epoch=False)
randomness = dict(seed=0)

# Two factorisation orders (canonical + reversed) instead of the reference's six: on 2 CPU cores
# the decoder passes per order cost more than the encoder; this buys ~1.5x more samples seen.
model = dict(decoder=dict(module_loss=dict(num_perms=2)))
