# CLIP4STR-L: ViT-L/14 (257 tokens at 224x224), width 768 decoders, 446M parameters.
# Reference: L on Real 10 epochs.
_base_ = ['_base_clip4str.py']
model = dict(
    backbone=dict(arch='ViT-L-14'),
    decoder=dict(text_encoder=dict(arch='ViT-L-14')))
train_cfg = dict(max_epochs=10)
param_scheduler = [
    dict(type='GroupOneCycleLR', pct_start=0.075, by_epoch=True, begin=0, end=10,
         convert_to_iter_based=True),
]
