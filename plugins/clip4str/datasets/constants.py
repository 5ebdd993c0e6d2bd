"""Normalisation constants for configs (``TextRecogDataPreprocessor`` works on the 0-255 scale, RGB).

CLIP4STR trains with the OpenAI CLIP mean/std, while the reference test script normalises with
0.5/0.5. Which set a checkpoint expects is a config value (``data_preprocessor.mean/std``), so a
released checkpoint can be evaluated either way. Images are loaded BGR by OpenCV: use
``bgr_to_rgb=True`` in the preprocessor with these RGB-ordered values.
"""

# OpenAI CLIP image statistics (open_clip.constants.OPENAI_DATASET_MEAN/STD), 0-1 scale
OPENAI_CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
OPENAI_CLIP_STD = (0.26862954, 0.26130258, 0.27577711)

# The same on the 0-255 scale used by MMOCR's data preprocessors
OPENAI_CLIP_MEAN_255 = tuple(255 * m for m in OPENAI_CLIP_MEAN)
OPENAI_CLIP_STD_255 = tuple(255 * s for s in OPENAI_CLIP_STD)

# "0.5/0.5" normalisation (maps 0..255 to -1..1), as in PARSeq and CLIP4STR's test script
HALF_MEAN_255 = (127.5, 127.5, 127.5)
HALF_STD_255 = (127.5, 127.5, 127.5)
