# CLIP4STR model, pipelines and runtime shared by every variant (ViT-B/16 numbers here).
_base_ = [
    'mmocr::textrecog/_base_/default_runtime.py',
    '../../_base_/schedules/clip4str_onecycle.py',
]
custom_imports = dict(imports=['clip4str'], allow_failed_imports=False)

# 94 characters: digits, a-z, A-Z, string.punctuation. Any MMOCR dict file works (other
# languages); BOS/EOS must be distinct and padding present.
dictionary = dict(
    type='Dictionary',
    dict_file='{{ fileDirname }}/../../../plugins/clip4str/dicts/english_94.txt',
    with_start=True,
    with_end=True,
    same_start_end=False,
    with_padding=True,
    with_unknown=False)

# Normalisation on the 0-255 scale. CLIP's mean/std as in the reference's training; its test
# script used 0.5/0.5 instead (a known mismatch). To evaluate a model trained that way:
#   --cfg-options model.data_preprocessor.mean="[127.5,127.5,127.5]" \
#                 model.data_preprocessor.std="[127.5,127.5,127.5]"
clip_mean = [122.7709383, 116.7460125, 104.09373615]
clip_std = [68.5005327, 66.6321579, 70.32316305]

model = dict(
    type='CLIP4STR',
    clip_pretrained=None,  # a local OpenAI/OpenCLIP/CLIP4STR weight file, loaded when training
    data_preprocessor=dict(
        type='TextRecogDataPreprocessor', mean=clip_mean, std=clip_std, bgr_to_rgb=True),
    backbone=dict(type='CLIPImageEncoder', arch='ViT-B-16', quick_gelu=True, freeze_layers=-1),
    decoder=dict(
        type='CLIP4STRDecoder',
        dictionary=dictionary,
        text_encoder=dict(
            type='CLIPTextEncoder', arch='ViT-B-16', context_length=16, quick_gelu=True,
            freeze_layers=6),
        num_heads=8,
        mlp_ratio=4,
        depth=1,
        dropout=0.1,
        max_seq_len=25,
        decode_mode='ar',
        refine_iters=1,
        output_branch='cross',
        kv_cache=True,
        module_loss=dict(type='PSMLoss', num_perms=6, cross_loss_weight=1.0),
        postprocessor=dict(type='CLIP4STRPostprocessor')))

# (width, height) of the network input; variants override it together with the pipelines
input_wh = (224, 224)

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

# Placeholder data: MMOCR's 10-crop toy set. Training/benchmark configs replace these.
toy_root = '{{ fileDirname }}/../../../../shared/data/mmocr_toy/rec_toy_dataset'
toy_data = dict(type='OCRDataset', data_root=toy_root, ann_file='labels.json',
                pipeline=test_pipeline, test_mode=True)
train_dataloader = dict(
    batch_size=32, num_workers=2, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='OCRDataset', data_root=toy_root, ann_file='labels.json',
                 pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32, num_workers=2, persistent_workers=True, drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False), dataset=toy_data)
test_dataloader = val_dataloader
val_evaluator = dict(type='WordMetric', mode=['exact', 'ignore_case', 'ignore_case_symbol'])
test_evaluator = val_evaluator

default_hooks = dict(checkpoint=dict(type='CheckpointHook', interval=1, max_keep_ckpts=3))
env_cfg = dict(dist_cfg=dict(backend='gloo'))  # CPU-friendly; set 'nccl' on GPUs
