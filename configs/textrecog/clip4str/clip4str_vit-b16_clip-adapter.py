# PEFT as the CLIP4STR reference's `str_adapter` (adapter_type=linear): frozen CLIP image tower,
# CLIP-Adapter on its output tokens (512 -> 256 -> 512, no bias, ReLU; out = 0.2 * adapter(x) +
# 0.8 * x), visual branch only (no text tower, no cross-modal branch), decoder as CLIP4STR.
# The adapter trains with the decoder's learning rate (19x), as in the reference.
# To keep the cross-modal branch instead: leave `text_encoder` as in the base with
# freeze_layers='all' (and optionally its own adapter=dict(type='CLIPAdapter')).
_base_ = ['clip4str_vit-b16.py']
model = dict(
    backbone=dict(freeze_layers='all', adapter=dict(type='CLIPAdapter', reduction=2, ratio=0.2)),
    decoder=dict(text_encoder=None, embed_dim=512, output_branch='visual'))
# backbone.adapter.* falls outside the encoder prefixes: decoder group
optim_wrapper = dict(paramwise_cfg=dict(encoder_prefixes=('backbone.visual.', )))
