# Stage 2 of the shipped detector: the stage-1 run (dbnet_resnet18_fpnc_synthdoc.py, same data)
# stopped early on a crowded CPU; this stage starts from its weights and decays the learning
# rate linearly to ~0, which a stopped poly schedule never does.
#
#   python tools/train.py configs/textdet/dbnet/dbnet_resnet18_fpnc_synthdoc_anneal.py \
#       --work-dir work_dirs/dbnet_synthdoc_anneal \
#       --cfg-options load_from=work_dirs/dbnet_synthdoc/iter_3000.pth   # add --resume later
_base_ = ['./dbnet_resnet18_fpnc_synthdoc.py']

load_from = 'work_dirs/dbnet_synthdoc/iter_3000.pth'  # weights only: a fresh optimizer
max_iters = 1000
optim_wrapper = dict(optimizer=dict(lr=6.5e-4))  # where stage 1's poly schedule had got to
param_scheduler = [
    # fresh AdamW moments: a short warm-up before the full rate
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=50),
    dict(type='PolyLR', power=1.0, eta_min=1e-6, by_epoch=False, begin=50, end=max_iters),
]
train_cfg = dict(max_iters=max_iters, val_interval=250)
default_hooks = dict(checkpoint=dict(interval=250))
