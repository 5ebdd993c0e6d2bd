"""Training-engine parts: optimizer parameter groups and schedulers."""
from .optim_constructor import CLIP4STROptimWrapperConstructor
from .schedulers import GroupOneCycleLR

__all__ = ['CLIP4STROptimWrapperConstructor', 'GroupOneCycleLR']
