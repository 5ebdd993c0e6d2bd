# Synthetic word crops rendered into an MMOCR recognition LMDB (tools/make_synth.py).
# Default location data/synth/train in the repo; override with CLIP4STR_SYNTH_LMDB=/path/to/lmdb
# or --cfg-options <dataloader>.dataset[.datasets.N].ann_file=/path/to/lmdb

synth_str_train = dict(
    type='FilteredRecogLMDBDataset',
    ann_file='{{$CLIP4STR_SYNTH_LMDB:<unset>}}'.replace(
    '<unset>', '{{ fileDirname }}'.rsplit('/', 3)[0] + '/data/synth/train'),
    img_color_type='color_ignore_orientation',
    filter_cfg=dict(max_label_length=25),
    on_bad_image='skip',
    pipeline=None)
