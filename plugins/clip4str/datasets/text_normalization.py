"""Label normalisation of the scene-text benchmark protocol (as in PARSeq and CLIP4STR).

A label is cleaned in this order: whitespace removed, Unicode NFKD-decomposed and reduced to ASCII
("CAFÉ" -> "CAFE"), then mapped onto a charset. The length limit is checked between the two steps,
on the ASCII label, exactly as the reference does.
"""
import os.path as osp
import unicodedata
from typing import Optional

DEFAULT_DICT_FILE = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'dicts',
                             'english_94.txt')


def normalize_text(text: str, remove_whitespace: bool = True,
                   normalize_unicode: bool = True) -> str:
    """Remove all whitespace and fold Unicode to its closest ASCII form."""
    if remove_whitespace:
        text = ''.join(text.split())
    if normalize_unicode:
        text = unicodedata.normalize('NFKD', text).encode('ascii', 'ignore').decode()
    return text


def read_charset(dict_file: Optional[str] = None) -> str:
    """Characters of an MMOCR dictionary file (one character per line), in file order."""
    dict_file = dict_file or DEFAULT_DICT_FILE
    if not osp.isfile(dict_file):
        raise FileNotFoundError(f'dictionary file not found: {dict_file}')
    chars = []
    with open(dict_file, encoding='utf-8') as f:
        for line_no, line in enumerate(f, 1):
            char = line.rstrip('\r\n')
            if len(char) > 1:
                raise ValueError(f'{dict_file}:{line_no}: expected one character per line, '
                                 f'got {char!r}')
            if char:
                chars.append(char)
    if not chars:
        raise ValueError(f'dictionary file is empty: {dict_file}')
    return ''.join(dict.fromkeys(chars))  # keep order, drop duplicates


class CharsetAdapter:
    """Maps a label onto a charset: case-folds when the charset has only one case, then drops
    every character the charset lacks (the reference's ``CharsetAdapter`` semantics)."""

    def __init__(self, charset: str):
        self.charset = charset
        self.lowercase_only = charset == charset.lower()
        self.uppercase_only = charset == charset.upper()
        self._chars = frozenset(charset)

    def __call__(self, text: str) -> str:
        if self.lowercase_only:
            text = text.lower()
        elif self.uppercase_only:
            text = text.upper()
        return ''.join(c for c in text if c in self._chars)
