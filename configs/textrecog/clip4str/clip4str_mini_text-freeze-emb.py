# clip4str_vit-b16_text-freeze-emb.py at the mini scale (text: token embeddings only frozen).
_base_ = ['clip4str_mini.py']
model = dict(decoder=dict(text_encoder=dict(freeze_layers='embeddings')))
