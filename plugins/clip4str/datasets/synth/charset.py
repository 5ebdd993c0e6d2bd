"""The label alphabet: the 94 printable ASCII characters of dicts/english_94.txt (no space)."""
from functools import lru_cache
from pathlib import Path

DEFAULT_DICT = Path(__file__).resolve().parents[2] / 'dicts' / 'english_94.txt'


@lru_cache(maxsize=8)
def load_charset(path: str = str(DEFAULT_DICT)) -> str:
    """Characters of an MMOCR dictionary file (one per line), in file order."""
    lines = Path(path).read_text(encoding='utf-8').splitlines()
    chars = [ln for ln in lines if ln != '']
    bad = [c for c in chars if len(c) != 1]
    if bad:
        raise ValueError(f'{path}: dictionary lines must hold one character each, got {bad[:5]}')
    return ''.join(chars)


def in_charset(text: str, charset: str) -> bool:
    return all(c in charset for c in text)
