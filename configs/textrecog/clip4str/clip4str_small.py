# CLIP4STR-S: a small variant sized to train on a 2-core CPU (the shipped default recognizer).
# 32x128 input with 4x8 patches (PARSeq-S's grid: 8x16 = 128 tokens + CLS), a 256-wide 6-block
# image tower, a 128-wide 4-block text tower (first 2 frozen, as CLIP4STR freezes half), 256-wide
# decoders. See docs/models.md for the sizing rationale.
_base_ = ['_base_clip4str.py']

clip_arch = dict(
    embed_dim=256,
    vision_cfg=dict(image_size=(32, 128), patch_size=(4, 8), width=256, layers=6, head_width=64,
                    mlp_ratio=4),
    text_cfg=dict(context_length=77, vocab_size=49408, width=128, heads=4, layers=4,
                  mlp_ratio=4))
input_wh = (128, 32)

model = dict(
    backbone=dict(arch=dict(_delete_=True, **clip_arch)),
    decoder=dict(
        text_encoder=dict(arch=dict(_delete_=True, **clip_arch), freeze_layers=2), num_heads=4))

train_pipeline = [
    dict(type='LoadImageFromFile', ignore_empty=True, min_size=2),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(type='Resize', scale=input_wh, keep_ratio=False, interpolation='bicubic'),
    dict(type='PackTextRecogInputs', meta_keys=('img_path', 'ori_shape', 'img_shape')),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=input_wh, keep_ratio=False, interpolation='bicubic'),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(type='PackTextRecogInputs', meta_keys=('img_path', 'ori_shape', 'img_shape')),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
