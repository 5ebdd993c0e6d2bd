# CLIP4STR-H: ViT-H/14 (OpenCLIP), width 1024 decoders, about 1.0B parameters (893M trainable:
# the reference freezes text blocks 0-5 of 24, as for B and L).
_base_ = ['_base_clip4str.py']
model = dict(
    backbone=dict(arch='ViT-H-14'),
    decoder=dict(text_encoder=dict(arch='ViT-H-14')))
train_cfg = dict(max_epochs=10)
param_scheduler = [
    dict(type='GroupOneCycleLR', pct_start=0.075, by_epoch=True, begin=0, end=10,
         convert_to_iter_based=True),
]
