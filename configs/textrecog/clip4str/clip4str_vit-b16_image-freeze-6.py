# CLIP4STR-B, image tower: class/position embeddings and blocks 0-5 of 12 frozen (conv1, ln_pre,
# ln_post and proj still train); text tower as the default (blocks 0-5 frozen).
_base_ = ['clip4str_vit-b16.py']
model = dict(backbone=dict(freeze_layers=6))
