# ICDAR 2015 incidental text, word recognition train split: 4468 crops, `word_N.png, "LABEL"`
# lines (UTF-8 BOM, CRLF, labels with commas and \"-escaped quotes).
# Data root: see iiit5k.py (CLIP4STR_DATA_ROOT, or --cfg-options ...data_root=/path/TrainingSet).

ic15_str_data_root = '{{$CLIP4STR_DATA_ROOT:<unset>}}'.replace(
    '<unset>', '{{ fileDirname }}'.rsplit('/', 4)[0] + '/shared/data'
) + '/IC15_train/TrainingSet'

ic15_str_train = dict(
    type='RecogLabelFileDataset',
    data_root=ic15_str_data_root,
    ann_file='gt.txt',
    parser_cfg=dict(type='QuotedLabelParser'),
    filter_cfg=dict(max_label_length=25),
    pipeline=None)
