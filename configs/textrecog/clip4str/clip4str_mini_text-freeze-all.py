# clip4str_vit-b16_text-freeze-all.py at the mini scale (whole text tower frozen).
_base_ = ['clip4str_mini.py']
model = dict(decoder=dict(text_encoder=dict(freeze_layers='all')))
