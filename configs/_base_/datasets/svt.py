# Street View Text: 647 test and 257 train word crops, `relpath LABEL` label files.
# Data root: see iiit5k.py (CLIP4STR_DATA_ROOT, or --cfg-options ...data_root=/path/SVT).

svt_str_data_root = '{{$CLIP4STR_DATA_ROOT:<unset>}}'.replace(
    '<unset>', '{{ fileDirname }}'.rsplit('/', 4)[0] + '/shared/data') + '/SVT'

svt_str_test = dict(
    type='RecogLabelFileDataset',
    data_root=svt_str_data_root,
    ann_file='test_labels.txt',
    filter_cfg=dict(max_label_length=25),
    test_mode=True,
    pipeline=None)

svt_str_train = dict(
    type='RecogLabelFileDataset',
    data_root=svt_str_data_root,
    ann_file='train_labels.txt',
    filter_cfg=dict(max_label_length=25),
    pipeline=None)
