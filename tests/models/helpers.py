"""Small CLIP4STR models built from the shipped configs, for fast CPU tests."""
import torch
from mmengine.config import Config
from mmengine.structures import LabelData

from tests.helpers import REPO

CFG_DIR = REPO / 'configs' / 'textrecog' / 'clip4str'

# A tiny architecture: same code paths as every variant, builds in milliseconds.
TINY_ARCH = dict(
    embed_dim=32,
    vision_cfg=dict(image_size=(32, 128), patch_size=(8, 16), width=32, layers=2, head_width=16),
    text_cfg=dict(context_length=77, vocab_size=49408, width=32, heads=2, layers=2))


def tiny_cfg(**decoder_overrides):
    import clip4str  # noqa: F401
    from mmocr.utils import register_all_modules
    register_all_modules()
    cfg = Config.fromfile(str(CFG_DIR / 'clip4str_small.py'))
    cfg.model.backbone.arch = dict(TINY_ARCH)
    cfg.model.decoder.text_encoder.arch = dict(TINY_ARCH)
    cfg.model.decoder.text_encoder.freeze_layers = 1
    cfg.model.decoder.num_heads = 2
    cfg.model.decoder.update(decoder_overrides)
    return cfg


def build(cfg):
    from mmocr.registry import MODELS
    return MODELS.build(cfg.model)


def samples(words, shape=(32, 128)):
    from mmocr.structures import TextRecogDataSample
    out = []
    for w in words:
        s = TextRecogDataSample()
        s.gt_text = LabelData(item=w)
        s.set_metainfo(dict(img_shape=shape, ori_shape=shape))
        out.append(s)
    return out
