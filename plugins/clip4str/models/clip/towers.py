"""CLIP image and text towers built by open_clip from a config alone (no weights on disk).

An architecture is either an open_clip model name (``'ViT-B-16'``, ``'ViT-L-14'``, ...) or a dict
``dict(embed_dim=..., vision_cfg=dict(...), text_cfg=dict(...))`` in open_clip's own schema, so
small variants need no registration with open_clip.
"""
import copy
from typing import Dict, Union

from torch import nn

ArchType = Union[str, Dict]


def resolve_arch(arch: ArchType, **overrides) -> Dict:
    """Return ``dict(embed_dim, vision_cfg, text_cfg)`` for a model name or an explicit dict.

    ``overrides`` may hold ``vision_cfg`` / ``text_cfg`` dicts whose keys replace the named
    architecture's (e.g. another ``image_size``).
    """
    import open_clip
    if isinstance(arch, str):
        cfg = open_clip.get_model_config(arch)
        if cfg is None:
            known = ', '.join(m for m in open_clip.list_models() if m.startswith('ViT'))
            raise ValueError(f'unknown CLIP architecture {arch!r}; use one of: {known}, '
                             'or a dict(embed_dim=..., vision_cfg=..., text_cfg=...)')
        cfg = copy.deepcopy(cfg)
    elif isinstance(arch, dict):
        cfg = copy.deepcopy(dict(arch))
    else:
        raise TypeError(f'arch must be a model name or a dict, got {type(arch).__name__}')
    missing = {'embed_dim', 'vision_cfg', 'text_cfg'} - set(cfg)
    if missing:
        raise ValueError(f'CLIP arch is missing {sorted(missing)}: {cfg}')
    for key in ('vision_cfg', 'text_cfg'):
        cfg[key] = dict(cfg[key], **(overrides.get(key) or {}))
    return cfg


def build_vision_tower(arch: ArchType, quick_gelu: bool = True, **overrides) -> nn.Module:
    """open_clip ``VisionTransformer`` (conv1, class/positional embedding, ln_pre, transformer,
    ln_post, proj), named exactly like the ``visual.*`` part of OpenAI/OpenCLIP checkpoints."""
    from open_clip.model import _build_vision_tower
    cfg = resolve_arch(arch, **overrides)
    if isinstance(cfg['vision_cfg'].get('layers'), (list, tuple)) or cfg['vision_cfg'].get(
            'timm_model_name'):
        raise ValueError('CLIP4STR needs a ViT image tower (not ResNet/timm towers)')
    return _build_vision_tower(cfg['embed_dim'], cfg['vision_cfg'], quick_gelu=quick_gelu)


def build_text_tower(arch: ArchType, quick_gelu: bool = True, **overrides) -> nn.Module:
    """open_clip ``TextTransformer`` (token/positional embedding, transformer, ln_final,
    text_projection), named like the text part of OpenAI/OpenCLIP checkpoints."""
    from open_clip.model import _build_text_tower
    cfg = resolve_arch(arch, **overrides)
    if cfg['text_cfg'].get('hf_model_name'):
        raise ValueError('CLIP4STR needs the CLIP text transformer (not an HF text tower)')
    return _build_text_tower(cfg['embed_dim'], cfg['text_cfg'], quick_gelu=quick_gelu)
