from .clip4str_decoder import CLIP4STRDecoder
from .two_stream import TwoStreamDecoder, TwoStreamDecoderLayer

__all__ = ['CLIP4STRDecoder', 'TwoStreamDecoder', 'TwoStreamDecoderLayer']
