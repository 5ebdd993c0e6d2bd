# clipocr_vit-b16-teacher.py at the mini scale: student ViT 64 wide, 4 blocks (4 stages), 2 heads,
# 32x128 input, 4x8 patches; 4 decoder layers, 2 heads. Teacher: a CLIP file of the
# clip4str_mini.py arch (4 blocks per tower; its 8x16 grid is the student's, nothing cropped).
# tools/compare_recipes.py uses the CLIP towers of its trained clip4str_mini run:
#   --cfg-options model.teacher.pretrained=W/clip_towers.pth
_base_ = ['clipocr_vit-b16-teacher.py']

teacher_arch = dict(
    embed_dim=64,
    vision_cfg=dict(image_size=(32, 128), patch_size=(4, 8), width=64, layers=4, head_width=32),
    text_cfg=dict(context_length=77, vocab_size=49408, width=64, heads=2, layers=4))
model = dict(
    backbone=dict(embed_dim=64, depth=4, num_heads=2, num_stages=4),
    decoder=dict(embed_dim=64, num_heads=2, depth=4),
    teacher=dict(arch=dict(_delete_=True, **teacher_arch)))
train_dataloader = dict(batch_size=64)
