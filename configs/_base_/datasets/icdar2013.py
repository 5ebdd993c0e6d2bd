# ICDAR 2013 word recognition test: the 857 and 1015 subsets (`relpath LABEL` label files).
# Data root: see iiit5k.py (CLIP4STR_DATA_ROOT, or --cfg-options ...data_root=/path/IC13).

ic13_str_data_root = '{{$CLIP4STR_DATA_ROOT:<unset>}}'.replace(
    '<unset>', '{{ fileDirname }}'.rsplit('/', 4)[0] + '/shared/data') + '/IC13'

ic13_857_str_test = dict(
    type='RecogLabelFileDataset',
    data_root=ic13_str_data_root,
    ann_file='label_857.txt',
    filter_cfg=dict(max_label_length=25),
    test_mode=True,
    pipeline=None)

ic13_1015_str_test = dict(
    type='RecogLabelFileDataset',
    data_root=ic13_str_data_root,
    ann_file='label_1015.txt',
    filter_cfg=dict(max_label_length=25),
    test_mode=True,
    pipeline=None)
