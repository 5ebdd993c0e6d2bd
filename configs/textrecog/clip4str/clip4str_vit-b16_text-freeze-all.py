# CLIP4STR-B with the whole CLIP text tower frozen (embeddings, 12 blocks, ln_final, projection).
_base_ = ['clip4str_vit-b16.py']
model = dict(decoder=dict(text_encoder=dict(freeze_layers='all')))
