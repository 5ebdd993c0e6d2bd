# clip4str_vit-b16_image-freeze-all.py at the mini scale (whole image tower frozen).
_base_ = ['clip4str_mini.py']
model = dict(backbone=dict(freeze_layers='all'))
