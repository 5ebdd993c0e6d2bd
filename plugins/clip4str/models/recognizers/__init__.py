from .clip4str import CLIP4STR

__all__ = ['CLIP4STR']
