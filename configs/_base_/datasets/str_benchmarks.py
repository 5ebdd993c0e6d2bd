# The four standard test sets available here, evaluated together under the STR protocol.
# A model config inherits this and the pipelines, and sets its own test pipeline if its input
# size differs, e.g.  test_dataloader = dict(dataset=dict(pipeline=my_test_pipeline))
_base_ = ['./iiit5k.py', './svt.py', './icdar2013.py', '../recog_pipelines.py']

str_benchmark_test_list = [
    _base_.iiit5k_str_test, _base_.svt_str_test,
    _base_.ic13_857_str_test, _base_.ic13_1015_str_test,
]

test_dataloader = dict(
    batch_size=64,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ConcatDataset',
        datasets=str_benchmark_test_list,
        pipeline=_base_.str_test_pipeline))

test_evaluator = dict(
    type='CombinedMultiDatasetsEvaluator',
    metrics=[dict(type='STRMetric', protocols=('36', '62', '94'))],
    dataset_prefixes=['IIIT5K', 'SVT', 'IC13_857', 'IC13_1015'],
    # IC13 857 is a subset of IC13 1015: never pool them. "Combined" uses IC13 1015 as in
    # the CLIP4STR paper; "Combined_IC13_857" the older subset.
    combined=dict(
        Combined=['IIIT5K', 'SVT', 'IC13_1015'],
        Combined_IC13_857=['IIIT5K', 'SVT', 'IC13_857']))
