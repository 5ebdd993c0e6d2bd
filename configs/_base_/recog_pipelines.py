# Example CLIP4STR recognition pipelines (MMOCR style). The input size is `str_img_size`
# (height, width). A model config with another size rebuilds the lists, e.g.
#   img_size = (32, 128)
#   train_pipeline = [dict(t, img_size=img_size) if t['type'] == 'CLIPResize' else t
#                     for t in _base_.str_train_pipeline]
# Images load BGR (OpenCV) and ignore EXIF orientation, as the reference's PIL loading does;
# normalisation happens in the model's TextRecogDataPreprocessor (bgr_to_rgb=True) with one of
# the constant sets below (copies of clip4str/datasets/constants.py, 0-255 scale, RGB order).

str_img_size = (224, 224)

# OpenAI CLIP mean/std (CLIP4STR training) and 0.5/0.5 (the reference test script)
str_openai_clip_mean = [122.7709383, 116.7460125, 104.09373615]
str_openai_clip_std = [68.5005327, 66.6321579, 70.32316305]
str_half_mean = [127.5, 127.5, 127.5]
str_half_std = [127.5, 127.5, 127.5]

# InferencerLoader reads files for path-based datasets and takes the decoded image from LMDB
# datasets, so one pipeline serves both; use LoadImageFromFile for path datasets only.
str_train_pipeline = [
    dict(type='InferencerLoader', color_type='color_ignore_orientation'),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(type='STRRandAugment', magnitude=5, num_ops=3),  # before resizing, as the reference
    dict(type='CLIPResize', img_size=str_img_size),
    dict(type='PackTextRecogInputs', meta_keys=('img_path', 'ori_shape', 'img_shape')),
]

str_test_pipeline = [
    dict(type='InferencerLoader', color_type='color_ignore_orientation'),
    dict(type='CLIPResize', img_size=str_img_size),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(type='PackTextRecogInputs', meta_keys=('img_path', 'ori_shape', 'img_shape')),
]
