# Fine-tuning of the shipped CLIP4STR-S (weights/clip4str_small.pth) on real document words: the
# SROIE 2019 *training* receipts' word crops (../../_base_/datasets/sroie_words.py; 61 receipts
# held out for validation, docs/sroie_val_ids.txt) next to the real scene crops it saw before
# (IIIT5K / SVT / IC15 train, repeated so scenes stay about a third of the mix). The shipped
# model never saw receipt print, prices or codes ("RM000" for "RM0.00").
#
#   CLIP4STR_SROIE_CROPS=/path/sroie_crops tools/dist_train.sh \
#       configs/textrecog/clip4str/clip4str_small_conv-ctc_doc-real.py 2 --amp \
#       --work-dir work_dirs/clip4str_small_doc --cfg-options load_from=weights/clip4str_small.pth
_base_ = ['clip4str_small_conv-ctc_synth-real.py', '../../_base_/datasets/sroie_words.py']

pipeline = _base_.real_pipeline
scenes = [dict(type='RepeatDataset', times=4, dataset=dict(d, pipeline=pipeline))
          for d in (_base_.iiit5k_str_train, _base_.svt_str_train, _base_.ic15_str_train)]
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[dict(_base_.sroie_str_train, pipeline=pipeline), *scenes]))

val_dataloader = dict(
    dataset=dict(_delete_=True, type='ConcatDataset',
                 datasets=[dict(_base_.sroie_str_val, pipeline=_base_.test_pipeline)]))
val_evaluator = dict(
    _delete_=True, type='CombinedMultiDatasetsEvaluator',
    metrics=[dict(type='STRMetric', protocols=('36', '94'))], dataset_prefixes=['SROIE_val'])

# A fine-tune: a short one-cycle at a third of the from-scratch peak learning rate.
optim_wrapper = dict(optimizer=dict(lr=2.5e-4))
max_iters = 900
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [
    dict(type='GroupOneCycleLR', pct_start=0.1, by_epoch=False, begin=0, end=max_iters)]

# tools/test.py: the four STR benchmarks and the SROIE validation words in one table.
test_dataloader = dict(
    dataset=dict(datasets=[*_base_.str_benchmark_test_list, _base_.sroie_str_val]))
test_evaluator = dict(dataset_prefixes=['IIIT5K', 'SVT', 'IC13_857', 'IC13_1015', 'SROIE_val'])

# tools/test.py: the four STR benchmarks and the SROIE validation words in one table.
test_dataloader = dict(
    dataset=dict(datasets=[*_base_.str_benchmark_test_list, _base_.sroie_str_val]))
test_evaluator = dict(dataset_prefixes=['IIIT5K', 'SVT', 'IC13_857', 'IC13_1015', 'SROIE_val'])
