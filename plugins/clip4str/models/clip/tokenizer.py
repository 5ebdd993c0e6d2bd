"""Captions for the cross-modal branch: the visual prediction as CLIP BPE tokens."""
import re
from functools import lru_cache
from typing import List, Sequence

import torch

# The reference decodes captions with its test charset: lower case + alphanumerics only.
DEFAULT_CAPTION_CHARSET = '0123456789abcdefghijklmnopqrstuvwxyz'


@lru_cache(maxsize=None)
def _simple_tokenizer():
    from open_clip.tokenizer import SimpleTokenizer
    return SimpleTokenizer()  # BPE vocabulary ships inside open_clip: no download


class CaptionTokenizer:
    """Normalise predicted strings to the caption charset and tokenise them with CLIP's BPE.

    Output rows are ``SOT + BPE + EOT``, zero-padded (or truncated, keeping EOT last) to
    ``context_length`` tokens, as ``open_clip.tokenize`` does.
    """

    def __init__(self, context_length: int = 16, charset: str = DEFAULT_CAPTION_CHARSET,
                 lowercase: bool = True):
        self.context_length = context_length
        self.lowercase = lowercase
        self._drop = re.compile('[^' + re.escape(charset) + ']') if charset else None

    def normalise(self, text: str) -> str:
        if self.lowercase:
            text = text.lower()
        return self._drop.sub('', text) if self._drop is not None else text

    def __call__(self, texts: Sequence[str]) -> torch.LongTensor:
        captions: List[str] = [self.normalise(t) for t in texts]
        return _simple_tokenizer()(captions, context_length=self.context_length)
