# Document fine-tune of the shipped CLIP4STR-S, second recipe. clip4str_small_conv-ctc_doc-real.py
# learned SROIE's labels, which are upper case while the receipts print "Total" and "Date:": the
# model then answered in capitals everywhere. Here the SROIE crops carry the case printed on them
# (tools/dataset_converters/restore_case.py), the synthetic mixed-case words of the shipped recipe
# come back, and the real scene crops keep the shipped recipe's x8 share so scenes do not drift:
# SROIE ~31 %, synthetic ~45 %, scenes ~24 % of the samples.
#
#   CLIP4STR_SROIE_CROPS=/path/sroie_crops CLIP4STR_SYNTH_LMDB=/path/synth_lmdb \
#   OMP_NUM_THREADS=1 tools/dist_train.sh configs/textrecog/clip4str/clip4str_small_conv-ctc_doc-cased.py \
#       2 --amp --work-dir work_dirs/clip4str_small_doc_cased \
#       --cfg-options load_from=weights/clip4str_small.pth          # add --resume to continue
_base_ = ['clip4str_small_conv-ctc_doc-real.py']

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[dict(_base_.sroie_str_train_cased, pipeline=_base_.pipeline),
                  dict(_base_.synth_str_train, pipeline=_base_.synth_pipeline),
                  *_base_.real]))  # the shipped recipe's scene crops, x8

max_iters = 2000
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [
    dict(type='GroupOneCycleLR', pct_start=0.1, by_epoch=False, begin=0, end=max_iters)]
