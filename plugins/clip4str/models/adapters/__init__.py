"""The method papers' cheaper ways to adapt CLIP: named freezing policies of the towers,
CLIP-Adapter and ladder side-tuning (LST), as options of the CLIP encoders."""
from .builder import build_adapter, tower_embed_dim
from .clip_adapter import CLIPAdapter
from .freezing import resolve_freeze_layers
from .ladder_side import LadderSideAdapter

__all__ = ['CLIPAdapter', 'LadderSideAdapter', 'build_adapter', 'resolve_freeze_layers',
           'tower_embed_dim']
