# CLIP-OCR (arXiv 2310.04999): a PARSeq-S-style student (ViT 384 wide, 12 blocks, 6 heads, 32x128
# input, 4x8 patches, class token; 4 decoder layers, 12 heads; canonical order only) trained with
# symmetrical linguistic feature distillation from a frozen CLIP ViT-B/16: student encoder stages
# 1-3 <-> teacher image stages 1-3 (blocks 3, 6, 9; position grid cropped to 2x8), decoder layers
# 1-3 <-> teacher text stages 3-1 (the reversed text tower), student class token <-> text EOT
# embedding, each through the Linguistic Consistency Loss (0.1 x contrastive at T=0.03 + 5 x L1
# between similarity matrices). The teacher is built only for training and never saved:
#   tools/train.py configs/textrecog/clip4str/clipocr_vit-b16-teacher.py \
#       --cfg-options model.teacher.pretrained=/path/to/ViT-B-16.pt
# (any local OpenAI / OpenCLIP / CLIP4STR file of that architecture). Inference needs no teacher.
_base_ = ['_base_clip4str.py']

model = dict(
    _delete_=True,
    type='CLIPOCR',
    data_preprocessor=dict(
        type='TextRecogDataPreprocessor',
        mean=_base_.str_half_mean,  # PARSeq's 0.5/0.5; the teacher re-normalises with CLIP's
        std=_base_.str_half_std,
        bgr_to_rgb=True),
    backbone=dict(type='ViTStageEncoder', img_size=(32, 128), patch_size=(4, 8), embed_dim=384,
                  depth=12, num_heads=6, mlp_ratio=4, num_stages=4, class_token=True),
    decoder=dict(
        type='CLIP4STRDecoder',
        dictionary=_base_.dictionary,
        text_encoder=None,
        embed_dim=384,
        num_heads=12,
        mlp_ratio=4,
        depth=4,
        dropout=0.1,
        max_seq_len=25,
        decode_mode='ar',
        refine_iters=0,
        output_branch='visual',
        module_loss=dict(type='PSMLoss', num_perms=1, perm_mirrored=False),
        postprocessor=dict(type='CLIP4STRPostprocessor')),
    teacher=dict(arch='ViT-B-16', pretrained=None, fmt='auto', quick_gelu=True),
    distill_loss=dict(type='LinguisticConsistencyLoss', contrastive_weight=0.1, l1_weight=5.0,
                      temperature=0.03),
    loss_weights=dict(image=1.0, text=1.0, word=1.0))

img_size = (32, 128)
train_pipeline = [dict(t, img_size=img_size) if t['type'] == 'CLIPResize' else t
                  for t in _base_.str_train_pipeline]
test_pipeline = [dict(t, img_size=img_size) if t['type'] == 'CLIPResize' else t
                 for t in _base_.str_test_pipeline]
train_dataloader = dict(batch_size=384, dataset=dict(pipeline=train_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))

# PARSeq's optimisation as CLIP-OCR uses it: AdamW, no weight decay, one learning rate for all
# (the paper's 1.4e-3), one-cycle with 7.5% warm-up, gradients clipped at 20; 5 epochs on MJ+ST
# in the paper (add configs/_base_/datasets/synth.py for synthetic data).
optim_wrapper = dict(
    optimizer=dict(lr=1.4e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0),
    paramwise_cfg=dict(decoder_lr_mult=1.0))
auto_scale_lr = dict(enable=True, base_batch_size=384)
train_cfg = dict(max_epochs=5)
param_scheduler = [
    dict(type='GroupOneCycleLR', pct_start=0.075, by_epoch=True, begin=0, end=5,
         convert_to_iter_based=True),
]
