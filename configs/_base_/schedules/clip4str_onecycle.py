# The reference's optimisation: AdamW (0.9, 0.98), eps 1e-6, weight decay 0.2 (not on gains,
# biases, logit_scale, position queries, decoder token embeddings); encoder lr 8.4e-5 per 512
# images, decoders 19x; one-cycle schedule stepped per iteration (7.5% warm-up, no momentum
# cycling); gradients clipped at norm 20.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=8.4e-5, betas=(0.9, 0.98), eps=1e-6, weight_decay=0.2),
    clip_grad=dict(max_norm=20),
    constructor='CLIP4STROptimWrapperConstructor',
    paramwise_cfg=dict(decoder_lr_mult=19.0, decoder_wd_mult=1.0))

# lr scales linearly with the total batch size (all processes), as lr * batch / 512
auto_scale_lr = dict(enable=True, base_batch_size=512)

# CLIP4STR-B on Real data: 16 epochs. `end` must equal max_epochs.
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=16, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(type='GroupOneCycleLR', pct_start=0.075, by_epoch=True, begin=0, end=16,
         convert_to_iter_based=True),
]
