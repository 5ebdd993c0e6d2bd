"""Convert reference CLIP4STR checkpoints (Lightning ``.ckpt`` or ``.pt`` state dict) to this
plugin's layout.

Reference keys -> ours:

- ``clip_model.visual.*`` -> ``backbone.visual.*``
- ``clip_model.{token_embedding,positional_embedding,transformer,ln_final,text_projection}*``
  -> ``decoder.text_encoder.text.*``; ``clip_model.logit_scale`` -> ``decoder.text_encoder.logit_scale``
- ``visual_decoder.*`` / ``cross_decoder.*`` -> ``decoder.visual_decoder.*`` / ``decoder.cross_decoder.*``

Token ids differ: the reference puts ``[E]`` (EOS) first, then its training charset, then ``[B]``
and ``[P]``, and its heads predict only ``[E]`` + charset; MMOCR's ``Dictionary`` puts the
characters first and the specials last (``<BOS>``, ``<EOS>``, ``<PAD>``) and our heads cover all
of them. Embedding and head rows are moved character by character; rows for tokens the
reference never predicts (BOS, PAD) get zero weights and a large negative bias.
"""
import string
from typing import Dict, List, Optional, Tuple

import torch

# the reference's default training charset ("94_full"): digits, lower, upper, punctuation
REFERENCE_CHARSET_94 = (string.digits + string.ascii_lowercase + string.ascii_uppercase +
                        string.punctuation)
_TEXT_TOWER = ('token_embedding', 'positional_embedding', 'transformer.', 'ln_final',
               'text_projection')
NEVER_PREDICTED_BIAS = -1e4  # finite, so fp16 copies stay finite


def reference_charset(checkpoint: Dict) -> Optional[str]:
    """The training charset recorded in a Lightning checkpoint's hyper-parameters, if any."""
    hp = checkpoint.get('hyper_parameters') or {}
    value = hp.get('charset_train') if isinstance(hp, dict) else None
    return value if isinstance(value, str) else None


def map_key(key: str) -> Optional[str]:
    if key.startswith('model.'):  # some exports nest the system under `model.`
        key = key[len('model.'):]
    if key.startswith('clip_model.visual.'):
        return 'backbone.' + key[len('clip_model.'):]
    if key == 'clip_model.logit_scale':
        return 'decoder.text_encoder.logit_scale'
    if key.startswith('clip_model.'):
        rest = key[len('clip_model.'):]
        return 'decoder.text_encoder.text.' + rest if rest.startswith(_TEXT_TOWER) else None
    if key.startswith(('visual_decoder.', 'cross_decoder.')):
        return 'decoder.' + key
    return None


def token_mapping(our_chars: List[str], ref_charset: str, bos: int, eos: int,
                  pad: int) -> Tuple[List[Optional[int]], List[Optional[int]], List[str]]:
    """For each of our ids, the reference embedding row and head row (None: no counterpart).

    Returns (embedding_rows, head_rows, characters missing from the reference charset).
    """
    n_ref = len(ref_charset)
    ref_index = {c: i + 1 for i, c in enumerate(ref_charset)}  # [E] is row 0
    size = max(len(our_chars), bos + 1, eos + 1, pad + 1)  # our_chars includes the specials
    emb_rows: List[Optional[int]] = [None] * size
    head_rows: List[Optional[int]] = [None] * size
    missing = []
    for i, c in enumerate(our_chars):
        if i in (bos, eos, pad):
            continue
        if c in ref_index:
            emb_rows[i] = head_rows[i] = ref_index[c]
        else:
            missing.append(c)
    emb_rows[eos], head_rows[eos] = 0, 0
    emb_rows[bos] = n_ref + 1
    emb_rows[pad] = n_ref + 2
    return emb_rows, head_rows, missing


def _gather(rows: List[Optional[int]], src: torch.Tensor, fill: float) -> torch.Tensor:
    out = src.new_full((len(rows),) + tuple(src.shape[1:]), fill)
    for i, r in enumerate(rows):
        if r is not None:
            out[i] = src[r]
    return out


def convert_state_dict(ref_sd: Dict[str, torch.Tensor], our_chars: List[str], bos: int, eos: int,
                       pad: int, ref_charset: str = REFERENCE_CHARSET_94
                       ) -> Tuple[Dict[str, torch.Tensor], Dict[str, List]]:
    """Map a reference state dict to ours. Returns (state dict, report of what was done)."""
    emb_rows, head_rows, missing = token_mapping(our_chars, ref_charset, bos, eos, pad)
    out, skipped = {}, []
    for key, value in ref_sd.items():
        if not isinstance(value, torch.Tensor):
            continue
        new = map_key(key)
        if new is None:
            skipped.append(key)
            continue
        if new.endswith('text_embed.embedding.weight'):
            if value.shape[0] != len(ref_charset) + 3:
                raise ValueError(f'{key}: {value.shape[0]} token rows, but the reference '
                                 f'charset has {len(ref_charset)} characters (+3 specials); '
                                 'pass the charset the checkpoint was trained with')
            value = _gather(emb_rows, value, 0.0)
        elif new.endswith('head.weight'):
            value = _gather(head_rows, value, 0.0)
        elif new.endswith('head.bias'):
            value = _gather(head_rows, value, NEVER_PREDICTED_BIAS)
        out[new] = value.float().clone()
    return out, dict(skipped=skipped, missing_chars=missing)


def load_reference_checkpoint(path: str, trust: bool = False) -> Dict:
    """Read a reference checkpoint. Lightning files may hold arbitrary objects in their
    hyper-parameters: they load with ``weights_only=True`` unless ``trust``."""
    try:
        return torch.load(path, map_location='cpu', weights_only=not trust)
    except Exception as e:
        hint = '' if trust else ' If you trust the file, pass --trust to unpickle it fully.'
        raise RuntimeError(f'{path}: cannot load the checkpoint safely '
                           f'({type(e).__name__}: {str(e).splitlines()[0][:200]}).{hint}') from None
