# SROIE 2019 receipts (training split only) as word crops, for document-text fine-tuning:
#   python tools/dataset_converters/sroie_words.py SROIE/training_data data/sroie_words \
#       --val-ids $(cat docs/sroie_val_ids.txt)
#   python tools/dataset_converters/textdet_to_crops.py data/sroie_words/textdet_train.json \
#       data/sroie_words/textdet_val.json --out data/sroie_crops
#   python tools/dataset_converters/restore_case.py data/sroie_crops/textrecog_train.txt \
#       data/sroie_crops/textrecog_train_cased.txt     # SROIE labels are upper case; see there
# Data root: data/sroie_crops in the repository, or CLIP4STR_SROIE_CROPS=/path.
sroie_crops_root = '{{$CLIP4STR_SROIE_CROPS:data/sroie_crops}}'

sroie_str_train = dict(
    type='RecogLabelFileDataset',
    data_root=sroie_crops_root,
    ann_file='textrecog_train.txt',
    filter_cfg=dict(max_label_length=25),
    pipeline=None)

# The same crops with the case printed on them (restore_case.py): what training should use.
sroie_str_train_cased = dict(sroie_str_train, ann_file='textrecog_train_cased.txt')

sroie_str_val = dict(
    type='RecogLabelFileDataset',
    data_root=sroie_crops_root,
    ann_file='textrecog_val.txt',
    filter_cfg=dict(max_label_length=25),
    test_mode=True,
    pipeline=None)
