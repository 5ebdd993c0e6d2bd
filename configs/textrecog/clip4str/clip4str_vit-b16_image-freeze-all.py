# CLIP4STR-B with the whole CLIP image tower frozen (the paper: this hurts a lot).
_base_ = ['clip4str_vit-b16.py']
model = dict(backbone=dict(freeze_layers='all'))
