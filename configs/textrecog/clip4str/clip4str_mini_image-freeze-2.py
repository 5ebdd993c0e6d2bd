# clip4str_vit-b16_image-freeze-6.py at the mini scale (image blocks 0-1 of 4 frozen).
_base_ = ['clip4str_mini.py']
model = dict(backbone=dict(freeze_layers=2))
