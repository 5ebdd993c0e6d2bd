"""The CLIP towers of a trained CLIP4STR model as a plain CLIP state dict (OpenAI key layout), so
any CLIP weight consumer here (``clip_pretrained``, the CLIP-OCR teacher) can start from them."""
from typing import Dict

import torch

PREFIXES = (('backbone.visual.', 'visual.'), ('decoder.text_encoder.text.', ''),
            ('decoder.text_encoder.logit_scale', 'logit_scale'))


def clip_state_dict_from_clip4str(state_dict: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """``backbone.visual.*`` -> ``visual.*``, ``decoder.text_encoder.text.*`` -> ``*``, and
    ``logit_scale``; adapters, decoders and everything else are left out."""
    out = {}
    for key, value in state_dict.items():
        for src, dst in PREFIXES:
            if key.startswith(src):
                out[dst + key[len(src):]] = value
                break
    if not any(k.startswith('visual.') for k in out):
        raise ValueError('no CLIP image tower (backbone.visual.*) in this state dict: not a '
                         'CLIP4STR checkpoint')
    return out
