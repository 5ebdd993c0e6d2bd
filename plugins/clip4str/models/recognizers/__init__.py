from .clip4str import CLIP4STR
from .clip_ocr import CLIPOCR

__all__ = ['CLIP4STR', 'CLIPOCR']
