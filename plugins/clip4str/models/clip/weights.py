"""Read CLIP weights from local files into the towers of :mod:`.towers`.

Formats (``fmt='auto'`` detects them):

- ``openai``: OpenAI's released ``ViT-B-16.pt`` etc. (a TorchScript archive) or a plain state dict
  with the same key names (``visual.*``, ``token_embedding.weight``, ``transformer.*``, ...).
- ``openclip``: an open_clip checkpoint (``.pt``/``.bin`` with or without a ``state_dict`` key and
  DDP ``module.`` prefix, or ``.safetensors``).
- ``clip4str``: a reference CLIP4STR checkpoint (Lightning ``.ckpt`` or ``.pt`` state dict); its
  ``clip_model.*`` entries are the CLIP towers.

All are normalised to the OpenAI key layout. Nothing here unpickles arbitrary objects: state dicts
load with ``weights_only=True``; TorchScript archives load through ``torch.jit.load``, which
runs no Python code.
"""
import os
import types
import zipfile
from typing import Dict, List, Optional, Tuple

import torch
from torch import nn

# non-parameter entries of OpenAI's TorchScript state dict
_JIT_EXTRAS = ('input_resolution', 'context_length', 'vocab_size')


def is_torchscript(path: str) -> bool:
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as zf:
        return any(n.endswith('constants.pkl') or '/code/' in n for n in zf.namelist())


def _torch_load(path: str) -> Dict:
    if path.endswith('.safetensors'):
        from safetensors.torch import load_file
        return load_file(path, device='cpu')
    try:
        return torch.load(path, map_location='cpu', weights_only=True)
    except Exception as e:  # pickle errors, truncated zips, not a torch file at all
        raise RuntimeError(f'{path}: cannot read as a PyTorch/safetensors weight file '
                           f'({type(e).__name__}: {str(e).splitlines()[0][:200]})') from None


def _unwrap(obj, path: str) -> Dict[str, torch.Tensor]:
    for key in ('state_dict', 'model', 'module'):
        if isinstance(obj, dict) and key in obj and isinstance(obj[key], dict):
            obj = obj[key]
    if not isinstance(obj, dict) or not obj or not all(isinstance(k, str) for k in obj):
        raise ValueError(f'{path}: no state dict found in the file')
    prefix = 'module.'
    if all(k.startswith(prefix) for k in obj):
        obj = {k[len(prefix):]: v for k, v in obj.items()}
    return {k: v for k, v in obj.items() if isinstance(v, torch.Tensor)}


def detect_format(state_dict: Dict[str, torch.Tensor]) -> str:
    if any(k.startswith('clip_model.') for k in state_dict):
        return 'clip4str'
    if 'visual.conv1.weight' in state_dict or 'visual.proj' in state_dict:
        return 'openai'  # OpenCLIP uses the same layout for its CLIP (non-custom-text) models
    if any(k.startswith('text.') for k in state_dict) and any(k.startswith('visual.')
                                                            for k in state_dict):
        return 'openclip'  # CustomTextCLIP layout: text tower under `text.`
    raise ValueError('unrecognised CLIP checkpoint layout (expected visual.*/transformer.* or '
                     'clip_model.* keys)')


def load_clip_state_dict(path: str, fmt: str = 'auto') -> Dict[str, torch.Tensor]:
    """Return the CLIP weights in ``path`` with OpenAI key names, float32, on CPU."""
    path = os.path.expanduser(str(path))
    if not os.path.isfile(path):
        raise FileNotFoundError(f'CLIP weights not found: {path}')
    if fmt not in ('auto', 'openai', 'openclip', 'clip4str'):
        raise ValueError(f'unknown CLIP weight format {fmt!r}')
    if is_torchscript(path):
        sd = torch.jit.load(path, map_location='cpu').state_dict()
        sd = {k: v for k, v in sd.items() if k not in _JIT_EXTRAS}
    else:
        sd = _unwrap(_torch_load(path), path)
    found = detect_format(sd) if fmt == 'auto' else fmt
    if found == 'clip4str' or any(k.startswith('clip_model.') for k in sd):
        sd = {k[len('clip_model.'):]: v for k, v in sd.items() if k.startswith('clip_model.')}
    if any(k.startswith('text.') for k in sd):  # CustomTextCLIP -> flat text tower keys
        sd = {(k[len('text.'):] if k.startswith('text.') else k): v for k, v in sd.items()}
    return {k: v.float() for k, v in sd.items()}


def split_towers(sd: Dict[str, torch.Tensor]) -> Tuple[Dict, Dict]:
    """Split an OpenAI-layout state dict into (vision tower, text tower + logit_scale) dicts."""
    visual = {k[len('visual.'):]: v for k, v in sd.items() if k.startswith('visual.')}
    text = {k: v for k, v in sd.items() if not k.startswith('visual.') and k != 'attn_mask'}
    return visual, text


def load_into(module: nn.Module, sd: Dict[str, torch.Tensor], source: str,
              ignore: Optional[Tuple[str, ...]] = ()) -> None:
    """Strictly load ``sd`` into ``module``; on mismatch, name the file and the offending keys."""
    own = module.state_dict()
    missing = [k for k in own if k not in sd and not k.startswith(tuple(ignore))]
    unexpected = [k for k in sd if k not in own]
    shapes = [f'{k}: file {tuple(sd[k].shape)} vs model {tuple(own[k].shape)}'
              for k in own if k in sd and sd[k].shape != own[k].shape]
    if missing or unexpected or shapes:
        lines = [f'{source}: CLIP weights do not match the configured {type(module).__name__}']
        for title, items in (('missing', missing), ('unexpected', unexpected), ('shape', shapes)):
            if items:
                lines.append(f'  {title} ({len(items)}): ' + ', '.join(items[:8]) +
                             (' ...' if len(items) > 8 else ''))
        lines.append('  Check that the config arch (width/layers/patch size) matches the file.')
        raise ValueError('\n'.join(lines))
    module.load_state_dict({k: v for k, v in sd.items() if k in own}, strict=False)


def resize_vision_pos_embed(visual_sd: Dict[str, torch.Tensor], tower: nn.Module) -> None:
    """Interpolate a square pretrained position grid to the tower's (possibly non-square) grid."""
    from open_clip.model import resize_pos_embed
    wrapped = {'visual.positional_embedding': visual_sd['positional_embedding']}
    resize_pos_embed(wrapped, types.SimpleNamespace(visual=tower))
    visual_sd['positional_embedding'] = wrapped['visual.positional_embedding']


def reference_fp16_names(tower: nn.Module) -> List[str]:
    """Names of the parameters that OpenAI's ``clip.load`` (used by the reference CLIP4STR)
    stores in fp16 (its ``convert_weights``): conv and linear weights and biases, attention
    in-projections, and the ``proj`` / ``text_projection`` matrices. Embeddings, LayerNorms and
    ``logit_scale`` stay fp32."""
    names = []
    for prefix, m in tower.named_modules():
        attrs = []
        if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Linear)):
            attrs += ['weight', 'bias']
        if isinstance(m, nn.MultiheadAttention):
            attrs += ['in_proj_weight', 'q_proj_weight', 'k_proj_weight', 'v_proj_weight',
                      'in_proj_bias', 'bias_k', 'bias_v']
        attrs += ['text_projection', 'proj']
        for attr in attrs:
            if isinstance(getattr(m, attr, None), torch.Tensor):
                names.append(f'{prefix}.{attr}' if prefix else attr)
    return names


def round_to_fp16(sd: Dict[str, torch.Tensor], names: List[str]) -> Dict[str, torch.Tensor]:
    """``sd`` with the tensors named in ``names`` rounded to fp16 precision (kept fp32), as a
    model built by ``clip.load`` and then cast back with ``.float()`` holds them."""
    keep = set(names)
    return {k: v.half().float() if k in keep else v for k, v in sd.items()}
