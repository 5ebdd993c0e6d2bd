"""Training-engine parts: optimizer parameter groups, schedulers, CPU bf16 + channels-last."""
from .cpu_amp import BF16OptimWrapper, ChannelsLastHook
from .optim_constructor import CLIP4STROptimWrapperConstructor
from .schedulers import GroupOneCycleLR

__all__ = ['BF16OptimWrapper', 'ChannelsLastHook', 'CLIP4STROptimWrapperConstructor',
           'GroupOneCycleLR']
