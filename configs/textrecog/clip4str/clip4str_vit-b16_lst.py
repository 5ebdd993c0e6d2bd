# PEFT as the CLIP4STR reference's `str_adapter` (adapter_type=ladder_pruning): frozen CLIP image
# tower, ladder side network fed by the inputs of blocks 0, 4, 8, 11, each side block a copy of
# its frozen block pruned (L1 norm) to a quarter of the attention/MLP inner width, gates
# sigmoid(alpha / 0.1); copies of ln_post/proj; visual branch only. The side network trains with
# the encoder learning rate, as in the reference. 7.5M trainable parameters in the side network.
_base_ = ['clip4str_vit-b16.py']
model = dict(
    backbone=dict(
        freeze_layers='all',
        adapter=dict(type='LadderSideAdapter', block_ids=(0, 4, 8, 11), inner_reduction=4,
                     width_reduction=1, temperature=0.1, prune_init=True)),
    decoder=dict(text_encoder=None, embed_dim=512, output_branch='visual'))
