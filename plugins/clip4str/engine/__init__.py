"""Training-engine parts: optimizer parameter groups, schedulers, CPU bf16 + channels-last."""
from .bf16_optim_wrapper import BF16OptimWrapper
from .channels_last import ChannelsLastHook
from .optim_constructor import CLIP4STROptimWrapperConstructor
from .schedulers import GroupOneCycleLR

__all__ = ['BF16OptimWrapper', 'ChannelsLastHook', 'CLIP4STROptimWrapperConstructor',
           'GroupOneCycleLR']
