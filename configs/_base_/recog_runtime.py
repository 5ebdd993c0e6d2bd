# Runtime for text recognition: MMOCR's textrecog default_runtime without its evaluators
# (the STR protocol's come from configs/_base_/datasets/str_benchmarks.py).
default_scope = 'mmocr'
env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='gloo'),  # works on CPU; use 'nccl' for GPU training
)
randomness = dict(seed=None)

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=100),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', interval=1, max_keep_ckpts=3),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    sync_buffer=dict(type='SyncBuffersHook'),
    visualization=dict(type='VisualizationHook', interval=1, enable=False, show=False,
                       draw_gt=False, draw_pred=False),
)
log_level = 'INFO'
log_processor = dict(type='LogProcessor', window_size=10, by_epoch=True)
load_from = None
resume = False

vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='TextRecogLocalVisualizer', name='visualizer', vis_backends=vis_backends)
