# clip4str_vit-b16_lst.py at the mini scale: frozen image tower + ladder side network on the
# inputs of blocks 0-3 (inner widths / 4), visual branch only.
_base_ = ['clip4str_mini.py']
model = dict(
    backbone=dict(
        freeze_layers='all',
        adapter=dict(type='LadderSideAdapter', block_ids=(0, 1, 2, 3), inner_reduction=4)),
    decoder=dict(text_encoder=None, embed_dim=64, output_branch='visual'))
