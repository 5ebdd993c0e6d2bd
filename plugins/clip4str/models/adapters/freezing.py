"""Named freezing policies of the CLIP towers (the method paper's freezing ablations).

``freeze_layers`` of :class:`CLIPImageEncoder` / :class:`CLIPTextEncoder` takes an int as the
reference's ``image_freeze_nlayer`` / ``text_freeze_nlayer`` or one of these names:

- ``'none'`` (= -1): everything trains.
- ``'embeddings'`` (= 0): only the embeddings are frozen: token + position embeddings (and
  ``logit_scale``) of the text tower, class + position embeddings of the image tower. The
  paper's "token embeddings only" setting.
- ``N`` (1 <= N < depth): the embeddings and blocks 0..N-1 (CLIP4STR: text N=6 of 12).
- ``'all'`` (= depth): the whole tower, its final norm and projection included.
"""
from typing import Union

POLICIES = {'none': -1, 'embeddings': 0}
FreezeType = Union[int, str]


def resolve_freeze_layers(value: FreezeType, depth: int, tower: str = 'tower') -> int:
    """The number of frozen blocks for a policy; -1 = nothing, ``depth`` = the whole tower."""
    if isinstance(value, str):
        if value == 'all':
            return depth
        if value not in POLICIES:
            raise ValueError(f'{tower} freeze_layers must be an int or one of '
                             f"{sorted([*POLICIES, 'all'])}, got {value!r}")
        return POLICIES[value]
    if isinstance(value, bool) or not isinstance(value, int) or value < -1:
        raise ValueError(f'{tower} freeze_layers must be -1 (nothing), 0 (embeddings), '
                         f'N blocks, or a policy name; got {value!r}')
    return min(value, depth)
