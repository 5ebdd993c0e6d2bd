# IIIT 5K-Words: 3000 test and 2000 train word crops, `relpath LABEL` label files.
# Data root: ../shared/data next to the repo. Override it for all benchmark configs with
#   CLIP4STR_DATA_ROOT=/path/to/data  (the folder holding IIIT5K/, SVT/, IC13/, IC15_train/)
# or for one dataset with --cfg-options <dataloader>.dataset[.datasets.N].data_root=/path/IIIT5K
# The default is computed from this file's folder (configs/_base_/datasets, 3 levels below the
# repo root) without `import os`, which would make MMEngine read the file as a lazy-import config.

iiit5k_str_data_root = '{{$CLIP4STR_DATA_ROOT:<unset>}}'.replace(
    '<unset>', '{{ fileDirname }}'.rsplit('/', 4)[0] + '/shared/data') + '/IIIT5K'

iiit5k_str_test = dict(
    type='RecogLabelFileDataset',
    data_root=iiit5k_str_data_root,
    ann_file='test.tags',
    filter_cfg=dict(max_label_length=25),
    test_mode=True,
    pipeline=None)

iiit5k_str_train = dict(
    type='RecogLabelFileDataset',
    data_root=iiit5k_str_data_root,
    ann_file='train.tags',
    filter_cfg=dict(max_label_length=25),
    pipeline=None)
