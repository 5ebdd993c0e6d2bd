# A tiny CLIP4STR (every code path, a few hundred thousand parameters) that trains a few dozen
# iterations on CPU in seconds: used by the tests of train / resume / test / distributed
# training, and as a template for quick experiments. Data: a folder of word crops with a
# `relpath LABEL` label file (default: MMOCR's 10-crop toy set); override with
#   --cfg-options train_dataloader.dataset.datasets.0.data_root=... (and test_dataloader's)
_base_ = ['clip4str_small.py']

clip_arch = dict(
    embed_dim=32,
    vision_cfg=dict(image_size=(32, 128), patch_size=(8, 16), width=32, layers=2, head_width=16),
    text_cfg=dict(context_length=77, vocab_size=49408, width=32, heads=2, layers=2))
model = dict(
    backbone=dict(arch=dict(_delete_=True, **clip_arch)),
    decoder=dict(
        text_encoder=dict(arch=dict(_delete_=True, **clip_arch), freeze_layers=1), num_heads=2))

toy_root = '{{ fileDirname }}'.rsplit('/', 3)[0] + '/../shared/data/mmocr_toy/rec_toy_dataset'
toy_set = dict(
    type='RecogLabelFileDataset', data_root=toy_root, ann_file='old_label.txt',
    data_prefix=dict(img_path='imgs/'),
    filter_cfg=dict(max_label_length=25), pipeline=None)
train_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(_delete_=True, type='ConcatDataset', datasets=[toy_set],
                 pipeline=_base_.train_pipeline))
test_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(_delete_=True, type='ConcatDataset', datasets=[dict(toy_set, test_mode=True)],
                 pipeline=_base_.test_pipeline))
val_dataloader = test_dataloader
test_evaluator = dict(
    _delete_=True,
    type='CombinedMultiDatasetsEvaluator',
    metrics=[dict(type='STRMetric', protocols=('36', '94'))], dataset_prefixes=['toy'])
val_evaluator = test_evaluator

# from scratch: one learning rate for every part (no 19x decoder multiplier)
optim_wrapper = dict(optimizer=dict(lr=3e-3, weight_decay=0.0),
                     paramwise_cfg=dict(decoder_lr_mult=1.0))
auto_scale_lr = dict(enable=False)
max_iters = 40
train_cfg = dict(_delete_=True, type='IterBasedTrainLoop', max_iters=max_iters,
                 val_interval=max_iters)
param_scheduler = [dict(type='GroupOneCycleLR', pct_start=0.1, by_epoch=False, begin=0,
                        end=max_iters)]
default_hooks = dict(
    logger=dict(interval=5),
    checkpoint=dict(by_epoch=False, interval=20, max_keep_ckpts=2))
log_processor = dict(by_epoch=False)
randomness = dict(seed=0)
