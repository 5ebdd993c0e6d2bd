from .clip4str_postprocessor import CLIP4STRPostprocessor

__all__ = ['CLIP4STRPostprocessor']
