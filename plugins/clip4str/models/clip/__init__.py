from .tokenizer import CaptionTokenizer
from .towers import build_text_tower, build_vision_tower, resolve_arch
from .weights import load_clip_state_dict, split_towers

__all__ = ['CaptionTokenizer', 'build_text_tower', 'build_vision_tower', 'resolve_arch',
           'load_clip_state_dict', 'split_towers']
