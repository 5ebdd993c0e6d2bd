"""The reference label filter (PARSeq / CLIP4STR ``LmdbDataset``) as a reusable object."""
from collections import Counter
from typing import Optional, Tuple

from .text_normalization import CharsetAdapter, normalize_text, read_charset

# Why a sample was dropped (keys of ``LabelFilter.stats``), in log order.
DROP_REASONS = {
    'too_long': 'label longer than {max_label_length} characters',
    'empty': 'label empty after the charset filter',
    'unreadable_image': 'image unreadable',
    'small_image': 'image side shorter than {min_image_dim} px',
}


class LabelFilter:
    """Cleans labels and decides which samples to keep, counting drops by reason.

    Args:
        max_label_length: drop labels longer than this (checked after whitespace removal and
            Unicode folding, before the charset filter, as the reference does). None: no limit.
        dict_file: MMOCR dictionary file giving the charset; characters outside it are removed
            (labels are lower-cased first if the charset has lower case only). None: the
            package's 94-character dictionary.
        remove_whitespace: remove all whitespace from labels.
        normalize_unicode: NFKD-normalise labels and keep their ASCII part.
        min_image_dim: drop images whose width or height is below this (needs image reads).
        check_images: decode every image once at load time and drop those that fail.
    """

    def __init__(self, max_label_length: Optional[int] = 25, dict_file: Optional[str] = None,
                 remove_whitespace: bool = True, normalize_unicode: bool = True,
                 min_image_dim: int = 0, check_images: bool = False):
        if max_label_length is not None and max_label_length < 1:
            raise ValueError(f'max_label_length must be >= 1 or None, got {max_label_length}')
        self.max_label_length = max_label_length
        self.dict_file = dict_file
        self.charset_adapter = CharsetAdapter(read_charset(dict_file))
        self.remove_whitespace = remove_whitespace
        self.normalize_unicode = normalize_unicode
        self.min_image_dim = min_image_dim
        self.check_images = check_images
        self.stats = Counter()

    @property
    def needs_images(self) -> bool:
        return self.check_images or self.min_image_dim > 0

    def clean(self, text: str) -> Tuple[Optional[str], Optional[str]]:
        """Return ``(cleaned_label, None)`` or ``(None, drop_reason)``."""
        text = normalize_text(text, self.remove_whitespace, self.normalize_unicode)
        if self.max_label_length is not None and len(text) > self.max_label_length:
            return None, 'too_long'
        text = self.charset_adapter(text)
        if not text:
            return None, 'empty'
        return text, None

    def summary(self, name: str) -> str:
        """One log line: how many samples were kept and why the others were dropped."""
        total, kept = self.stats['total'], self.stats['kept']
        reasons = [f"{self.stats[k]} {v.format(**vars(self))}" for k, v in DROP_REASONS.items()
                   if self.stats[k]]
        msg = f'{name}: kept {kept} of {total} samples'
        if reasons:
            msg += f'; dropped {total - kept}: ' + ', '.join(reasons)
        if self.stats['changed']:
            msg += f"; {self.stats['changed']} labels rewritten by normalisation/charset"
        return msg
