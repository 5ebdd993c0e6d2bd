# clip4str_vit-b16_clip-adapter.py at the mini scale: frozen image tower + CLIP-Adapter (64 -> 32
# -> 64, ratio 0.2), visual branch only.
_base_ = ['clip4str_mini.py']
model = dict(
    backbone=dict(freeze_layers='all', adapter=dict(type='CLIPAdapter', reduction=2, ratio=0.2)),
    decoder=dict(text_encoder=None, embed_dim=64, output_branch='visual'))
optim_wrapper = dict(paramwise_cfg=dict(encoder_prefixes=('backbone.visual.', )))
