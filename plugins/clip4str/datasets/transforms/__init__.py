"""Image transforms for CLIP4STR pipelines (MMOCR ``TRANSFORMS`` registry)."""
from .clip_resize import CLIPResize
from .str_rand_augment import STR_HPARAMS, STR_RAND_OPS, STRRandAugment, str_rand_augment

__all__ = ['CLIPResize', 'STRRandAugment', 'str_rand_augment', 'STR_HPARAMS', 'STR_RAND_OPS']
