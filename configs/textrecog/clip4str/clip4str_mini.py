# CLIP4STR-mini: the scale of the CPU comparison of the freezing / PEFT / distillation recipes
# (clip4str_mini_*.py, clipocr_mini.py; tools/compare_recipes.py runs them on one short schedule):
# CLIP towers 64 wide with 4 blocks each, 32x128 input, 4x8 patches, decoders 64 wide with 2
# heads. 3.8M parameters (3.2M of them the BPE token table); about 1 s per batch of 32 on one CPU
# thread. Text blocks 0-1 of 4 frozen (the CLIP4STR default's half, as 6 of 12). Data, schedule
# and test sets: as clip4str_small.py.
_base_ = ['clip4str_small.py']

clip_arch = dict(
    embed_dim=64,
    vision_cfg=dict(image_size=(32, 128), patch_size=(4, 8), width=64, layers=4, head_width=32),
    text_cfg=dict(context_length=77, vocab_size=49408, width=64, heads=2, layers=4))
model = dict(
    backbone=dict(arch=dict(_delete_=True, **clip_arch)),
    decoder=dict(
        text_encoder=dict(arch=dict(_delete_=True, **clip_arch), freeze_layers=2), num_heads=2))
