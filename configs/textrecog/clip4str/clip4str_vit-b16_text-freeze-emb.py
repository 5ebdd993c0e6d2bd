# CLIP4STR-B, text tower: only the token (and position) embeddings frozen, every block trains
# (the paper's "token embeddings only" freezing ablation; default: blocks 0-5 frozen too).
_base_ = ['clip4str_vit-b16.py']
model = dict(decoder=dict(text_encoder=dict(freeze_layers='embeddings')))
