# DBNet ResNet-18 + FPNC for documents (and some photos), trained from scratch on CPU.
#
# Data (all under data/, made by):
#   python tools/make_synth_pages.py data/synth_pages --num 2000 --seed 0 --workers 2
#   python tools/make_synth_pages.py data/synth_scenes --num 400 --seed 1 --mix '{"scene": 1}' \
#       --word-crops ../shared/data/IIIT5K/train.tags ../shared/data/SVT/train_labels.txt
#   python tools/dataset_converters/sroie_words.py \
#       ../shared/data/SROIE_train_subset/training_data data/sroie_words
# Validation: held-out SROIE receipts (word level) and MMOCR's det toy set (10 scene images).
#
#   python tools/train.py configs/textdet/dbnet/dbnet_resnet18_fpnc_synthdoc.py \
#       --work-dir work_dirs/dbnet_synthdoc            # add --resume to continue
#
# Differences from MMOCR's icdar2015 recipe, and why:
# - no ImageNet init (nothing may be downloaded) and no DCN (mmcv-lite has no compiled ops);
# - every image is first scaled so its long side is 1600 px, as at test time, then jittered
#   0.5-1.5x and cropped to 512x512: document text keeps the size it will have at inference;
# - no horizontal flip (mirrored print does not occur) and no big rotations (pages are upright;
#   the synthetic pages already carry skew and perspective);
# - iteration-based AdamW schedule sized for a CPU run of a few hours.
_base_ = ['mmocr::textdet/dbnet/dbnet_resnet18_fpnc_1200e_icdar2015.py']

custom_imports = dict(imports=['clip4str'], allow_failed_imports=False)

shared_data = '{{$CLIP4STR_SHARED_DATA:../shared/data}}'
test_long_side = 1600
crop_size = (512, 512)

# min_text_score: a box is kept when the mean text probability inside it reaches this. 0.6 is
# the presets' det.min_score (pipelines/document.py, photo.py), so MMOCRInferencer with this
# config keeps what clip4str-ocr keeps; MMOCR's default 0.3 adds fragments of text too large for
# the detector (31 strings on samples/sample_photo.jpg instead of 3). HmeanIOUMetric's
# threshold sweep therefore starts at 0.6 during validation.
model = dict(
    backbone=dict(init_cfg=None),  # from scratch: the torchvision:// init would download
    det_head=dict(postprocessor=dict(text_repr_type='quad', min_text_score=0.6)))

train_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='LoadOCRAnnotations', with_polygon=True, with_bbox=True, with_label=True),
    # (clip_object_border=False: scaling keeps words inside the image; clipping ~800 words of a
    # page with shapely would only cost time)
    dict(type='RandomResize', scale=(test_long_side, test_long_side), ratio_range=(0.5, 1.5),
         keep_ratio=True, resize_type='Resize', clip_object_border=False),
    dict(type='TextDetRandomCrop', target_size=crop_size),
    # A no-op resize (the crop already fits crop_size) that casts the polygons back to float32:
    # MMOCR 1.0.1's TextDetRandomCrop returns float64 ones, which DBModuleLoss' cv2 calls reject.
    dict(type='Resize', scale=crop_size, keep_ratio=True, clip_object_border=False),
    dict(type='TorchVisionWrapper', op='ColorJitter', brightness=0.25, contrast=0.3,
         saturation=0.4, hue=0.05),
    dict(type='Pad', size=crop_size),
    dict(type='PackTextDetInputs', meta_keys=('img_path', 'ori_shape', 'img_shape')),
]

test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='Resize', scale=(test_long_side, test_long_side), keep_ratio=True),
    dict(type='LoadOCRAnnotations', with_polygon=True, with_bbox=True, with_label=True),
    dict(type='PackTextDetInputs',
         meta_keys=('img_path', 'ori_shape', 'img_shape', 'scale_factor')),
]

synth_pages_train = dict(
    type='OCRDataset', data_root='data/synth_pages', ann_file='textdet_train.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32), pipeline=train_pipeline)
# Scenes with real word crops pasted in (IIIT5K + SVT train crops; see make_synth_pages.py).
synth_scenes_train = dict(
    type='OCRDataset', data_root='data/synth_scenes', ann_file='textdet_train.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32), pipeline=train_pipeline)
# Image paths in the converted SROIE files are absolute (the images stay where they are).
sroie_words_train = dict(
    type='OCRDataset', data_root='data/sroie_words', ann_file='textdet_train.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32), pipeline=train_pipeline)
sroie_words_val = dict(
    type='OCRDataset', data_root='data/sroie_words', ann_file='textdet_val.json',
    test_mode=True, pipeline=None)
det_toy_test = dict(
    type='OCRDataset', data_root=shared_data + '/mmocr_toy/det_toy_dataset',
    ann_file='textdet_test.json', test_mode=True, pipeline=None)

train_dataloader = dict(
    batch_size=2,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        _delete_=True,  # replaces the inherited icdar2015 dataset entirely
        type='ConcatDataset',
        # 2000 pages + 400 scenes + 25 real receipts x 12 (about a ninth of the samples)
        # (pipelines sit on the datasets: a RepeatDataset cannot take the concat's pipeline)
        datasets=[synth_pages_train, synth_scenes_train,
                  dict(type='RepeatDataset', times=12, dataset=sroie_words_train)]))

val_dataloader = dict(
    batch_size=1,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(_delete_=True, type='ConcatDataset', datasets=[sroie_words_val, det_toy_test],
                 pipeline=test_pipeline))
test_dataloader = val_dataloader

val_evaluator = dict(type='MultiDatasetsEvaluator', metrics=[dict(type='HmeanIOUMetric')],
                     dataset_prefixes=['SROIE-val', 'det-toy'])
test_evaluator = val_evaluator

# ------------------------------------------------------------------ schedule (CPU, few hours)
max_iters = 8000
# bf16 autocast (clip4str.engine.BF16OptimWrapper) + channels-last: ~3x faster on CPUs with
# AVX512-BF16/AMX, and fine on recent GPUs; type='OptimWrapper' gives plain fp32.
optim_wrapper = dict(
    _delete_=True, type='BF16OptimWrapper',
    optimizer=dict(type='AdamW', lr=1e-3, weight_decay=1e-4),
    clip_grad=dict(max_norm=10.0))
custom_hooks = [dict(type='ChannelsLastHook')]
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=200),
    dict(type='PolyLR', power=0.9, eta_min=1e-6, by_epoch=False, begin=200, end=max_iters),
]
train_cfg = dict(_delete_=True, type='IterBasedTrainLoop', max_iters=max_iters,
                 val_interval=500)
auto_scale_lr = dict(base_batch_size=2)

default_hooks = dict(
    logger=dict(type='LoggerHook', interval=20),
    # by_epoch=False: iteration checkpoints; ~every 20-25 minutes at ~1.3 s/iteration (1 thread)
    checkpoint=dict(type='CheckpointHook', interval=1000, by_epoch=False, max_keep_ckpts=3,
                    save_best='SROIE-val/icdar/hmean', rule='greater'),
)
log_processor = dict(by_epoch=False, window_size=20)
randomness = dict(seed=0)
env_cfg = dict(mp_cfg=dict(mp_start_method='fork', opencv_num_threads=1))
