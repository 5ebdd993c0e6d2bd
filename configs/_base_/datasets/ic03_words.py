# ICDAR 2003 SceneTrialTrain word crops (tools/dataset_converters/ic03.py): the project's held-out
# scene-word check. No shipped recognizer trains on them; recipes validate on them instead.
# Data root: data/ic03 in the repository, or CLIP4STR_IC03=/path.
ic03_root = '{{$CLIP4STR_IC03:data/ic03}}'

ic03_str_holdout = dict(
    type='OCRDataset',
    data_root=ic03_root,
    ann_file='textrecog_train.json',
    test_mode=True,
    pipeline=None)
