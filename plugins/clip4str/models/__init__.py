"""CLIP4STR model parts, registered in MMOCR's MODELS registry."""
from .adapters import CLIPAdapter, LadderSideAdapter
from .decoders import CLIP4STRDecoder, TwoStreamDecoder
from .encoders import CLIPImageEncoder, CLIPTextEncoder, ViTStageEncoder
from .losses import LinguisticConsistencyLoss, PSMLoss
from .postprocessors import CLIP4STRPostprocessor
from .recognizers import CLIP4STR, CLIPOCR

__all__ = ['CLIP4STR', 'CLIP4STRDecoder', 'CLIP4STRPostprocessor', 'CLIPAdapter',
           'CLIPImageEncoder', 'CLIPOCR', 'CLIPTextEncoder', 'LadderSideAdapter',
           'LinguisticConsistencyLoss', 'PSMLoss', 'TwoStreamDecoder', 'ViTStageEncoder']
