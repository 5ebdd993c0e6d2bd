# CLIP4STR-S: a small variant sized to train on a 2-core CPU (the shipped default recognizer).
# - input 32x128 with 8x8 patches (4x16 = 64 tokens + CLS): half of PARSeq's 4x8 grid, which
#   halves the encoder's cost, the price of training in hours on 2 cores; 32 px keep text
#   legible, 128 px fit 25 characters and 16 columns still give ~1 token per character;
# - image tower 192 wide, 6 blocks, 3 heads (ViT-Tiny's width, half its depth): the cost of a
#   training step is split about evenly between it and the two decoders;
# - text tower 128 wide, 4 blocks; trained from scratch, so only its (random) token and position
#   embeddings are frozen (`freeze_layers=0`, the "token embeddings only" setting of the paper's
#   ablation): freezing random blocks would only waste capacity;
# - decoders 192 wide (the CLIP embedding dim), 3 heads, depth 1, as CLIP4STR.
# 11.2M parameters, 22 MB in fp16; most of it the CLIP BPE vocabulary's embedding table.
_base_ = ['_base_clip4str.py']

clip_arch = dict(
    embed_dim=192,
    vision_cfg=dict(image_size=(32, 128), patch_size=(8, 8), width=192, layers=6, head_width=64,
                    mlp_ratio=4),
    text_cfg=dict(context_length=77, vocab_size=49408, width=128, heads=4, layers=4,
                  mlp_ratio=4))
model = dict(
    backbone=dict(arch=dict(_delete_=True, **clip_arch)),
    decoder=dict(
        text_encoder=dict(arch=dict(_delete_=True, **clip_arch), freeze_layers=0), num_heads=3))

img_size = (32, 128)
train_pipeline = [dict(t, img_size=img_size) if t['type'] == 'CLIPResize' else t
                  for t in _base_.str_train_pipeline]
test_pipeline = [dict(t, img_size=img_size) if t['type'] == 'CLIPResize' else t
                 for t in _base_.str_test_pipeline]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
