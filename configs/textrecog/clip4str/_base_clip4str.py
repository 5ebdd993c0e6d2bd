# CLIP4STR model, pipelines and runtime shared by every variant (ViT-B/16 numbers here).
_base_ = [
    '../../_base_/recog_runtime.py',
    '../../_base_/schedules/clip4str_onecycle.py',
    '../../_base_/datasets/str_benchmarks.py',
    '../../_base_/datasets/icdar2015.py',
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
# script used 0.5/0.5 instead (a known mismatch). To read released reference checkpoints exactly as
# that script does (0.5/0.5 and its other inference settings), use clip4str_vit-*_reference.py or
# --cfg-options model.reference_parity=True (docs/models.md, "Faithfulness").

model = dict(
    type='CLIP4STR',
    clip_pretrained=None,  # a local OpenAI/OpenCLIP/CLIP4STR weight file, loaded when training
    data_preprocessor=dict(
        type='TextRecogDataPreprocessor',
        mean=_base_.str_openai_clip_mean,
        std=_base_.str_openai_clip_std,
        bgr_to_rgb=True),
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
        cross_steps='all',  # 'visual': the reference's batch-dependent step budget
        module_loss=dict(type='PSMLoss', num_perms=6, cross_loss_weight=1.0),
        postprocessor=dict(type='CLIP4STRPostprocessor')))

# Network input (height, width); variants override it and rebuild the pipelines the same way.
img_size = (224, 224)
train_pipeline = [dict(t, img_size=img_size) if t['type'] == 'CLIPResize' else t
                  for t in _base_.str_train_pipeline]
test_pipeline = [dict(t, img_size=img_size) if t['type'] == 'CLIPResize' else t
                 for t in _base_.str_test_pipeline]

# Training data by default: the real word crops available here (IIIT5K 2000 + SVT 257 + IC15
# 4468). Add the synthetic LMDB (configs/_base_/datasets/synth.py) or your own sets.
train_dataloader = dict(
    batch_size=64,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='ConcatDataset',
        datasets=[_base_.iiit5k_str_train, _base_.svt_str_train, _base_.ic15_str_train],
        pipeline=train_pipeline))
# Evaluation: the STR benchmark protocol on IIIT5K, SVT, IC13 857/1015 (str_benchmarks.py)
# (a config's `x = y` copies only this file's partial override of y, hence the explicit merge)
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
val_dataloader = dict(_base_.test_dataloader,
                      dataset=dict(_base_.test_dataloader.dataset, pipeline=test_pipeline))
val_evaluator = _base_.test_evaluator
