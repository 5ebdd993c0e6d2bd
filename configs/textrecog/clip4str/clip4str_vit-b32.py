# CLIP4STR with ViT-B/32 (patch 32, 50 image tokens at 224x224).
_base_ = ['_base_clip4str.py']
model = dict(
    backbone=dict(arch='ViT-B-32'),
    decoder=dict(text_encoder=dict(arch='ViT-B-32')))
