# CLIP4STR ViT-B/16 reading exactly as the reference implementation's test script does, for
# released checkpoints converted with tools/convert_ckpt.py (0.5/0.5 normalisation, the
# reference's cross-branch step budget, no 25-character cap; docs/models.md, "Faithfulness").
_base_ = ['clip4str_vit-b16.py', '_reference_parity.py']
model = _base_.reference_parity_model
