"""Training-engine parts: optimizer parameter groups and schedulers."""
from .bf16_optim_wrapper import BF16OptimWrapper
from .optim_constructor import CLIP4STROptimWrapperConstructor
from .schedulers import GroupOneCycleLR

__all__ = ['BF16OptimWrapper', 'CLIP4STROptimWrapperConstructor', 'GroupOneCycleLR']
