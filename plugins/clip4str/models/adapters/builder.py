"""Build a registered adapter for a CLIP tower (its shapes, and weights for LST, come from it)."""
from typing import Dict

from mmocr.registry import MODELS
from torch import nn


def tower_embed_dim(tower: nn.Module) -> int:
    """Output width of an open_clip vision (``proj``) or text (``text_projection``) tower."""
    proj = getattr(tower, 'proj', None)
    if proj is None:
        proj = getattr(tower, 'text_projection', None)
    if proj is None:
        raise ValueError(f'{type(tower).__name__} has no output projection to adapt')
    return proj.shape[1]


def build_adapter(cfg: Dict, tower: nn.Module) -> nn.Module:
    """``cfg['type']`` names a class registered in MODELS with a ``from_tower`` constructor."""
    cfg = dict(cfg)
    name = cfg.pop('type', None)
    cls = MODELS.get(name) if isinstance(name, str) else name
    if cls is None or not hasattr(cls, 'from_tower'):
        raise ValueError(f'unknown CLIP adapter type {name!r}: use CLIPAdapter or '
                         'LadderSideAdapter (import clip4str first)')
    return cls.from_tower(tower, **cfg)
