"""Word lists that tell two run-together words ("DATEFOR", "PAYMENTMODE") from one word.

A lexicon is named ``'english'`` (the bundled SCOWL list, see ``tools/make_lexicon.py``) or given
as a path to a text file (optionally gzipped) of words, one a line. Only letters count: a word is
split into its leading '(', its letters and its trailing marks, and the letters are looked up,
case aside. Two-letter pieces are taken only from a short list of common English words, since a
word list holds many ("ad", "la", "st") that are as often syllables of names ("PUT RA").
"""
import gzip
import re
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, List, Optional, Tuple

from .errors import ModelLoadError

BUNDLED = {'english': Path(__file__).resolve().parents[1] / 'dicts' / 'english_words.txt.gz'}
SHORT_WORDS = frozenset('am an as at be by do go he if in is it me my no of on or so to up us we'
                        .split())
LETTERS = re.compile(r'(\(?)([A-Za-z]+)([.,:;!)]*)')
WORD_NUMBER = re.compile(r'(\(?)([A-Za-z]+)(\d[\d.,:/-]*)')


@lru_cache(maxsize=4)
def load_lexicon(name: str) -> FrozenSet[str]:
    """The lower-cased words of the lexicon ``name`` (see the module text)."""
    path = BUNDLED.get(name, Path(name))
    if not path.is_file():
        raise ModelLoadError(f'lexicon {name!r}: no such file (a path to a word list, one word '
                             f'a line, or one of {sorted(BUNDLED)})')
    opener = gzip.open if path.suffix == '.gz' else open
    try:
        with opener(path, 'rt', encoding='utf-8') as f:
            return frozenset(w.strip().lower() for w in f if w.strip())
    except (OSError, UnicodeDecodeError) as err:
        raise ModelLoadError(f'lexicon {path}: unreadable ({err})') from err


def letter_span(text: str) -> Optional[Tuple[int, int]]:
    """[start, end) of the letters of a text that is letters between an optional '(' and
    trailing marks; None for any other text ("B111", "03-4021")."""
    match = LETTERS.fullmatch(text)
    return match.span(2) if match else None


def is_word(piece: str, lexicon: FrozenSet[str]) -> bool:
    """Whether letters ``piece`` are a word: in the lexicon, and 3+ letters or a common short
    word."""
    p = piece.lower()
    return p in lexicon and (len(p) >= 3 or p in SHORT_WORDS)


def word_splits(text: str, lexicon: FrozenSet[str]) -> List[int]:
    """Positions where a text whose letters are no word splits into two words ("DATEFOR": [4])."""
    span = letter_span(text)
    if span is None:
        return []
    a, b = span
    if text[a:b].lower() in lexicon:
        return []
    return [k for k in range(a + 1, b)
            if is_word(text[a:k], lexicon) and is_word(text[k:b], lexicon)]


def meeting_letters(left: str, right: str) -> Optional[Tuple[str, str]]:
    """The letters of two neighbours that meet, ``left`` ending and ``right`` starting with
    letters ("(PRICE" "INCLUSIVE)": "PRICE", "INCLUSIVE"); None when a mark or digit stands
    between them or either holds more than letters and its outer marks."""
    lspan, rspan = letter_span(left), letter_span(right)
    if lspan is None or rspan is None or lspan[1] != len(left) or rspan[0] != 0:
        return None
    return left[lspan[0]:], right[:rspan[1]]


def two_words(left: str, right: str, lexicon: FrozenSet[str]) -> bool:
    """Whether pieces read ``left`` and ``right`` are two words whose letters run together are
    none: "DATE" "FOR", "(PRICE" "INCLUSIVE)"; not "SCALE" "S", "BOOK" "ST" nor "BOOK" "SHOP"
    when "bookshop" is a word."""
    letters = meeting_letters(left, right)
    if letters is None:
        return False
    a, b = letters
    return is_word(a, lexicon) and is_word(b, lexicon) and (a + b).lower() not in lexicon


def number_splits(text: str, lexicon: FrozenSet[str]) -> List[int]:
    """Where a word runs into the number after it ("of2" in "Page 2 of2": the f's hook narrows
    the space): [the number's first index] when the letters before it are a word, else []."""
    match = WORD_NUMBER.fullmatch(text)
    if match is None or not is_word(match.group(2), lexicon):
        return []
    return [match.start(3)]


def word_and_number(left: str, right: str, lexicon: FrozenSet[str]) -> bool:
    """Whether pieces read ``left`` and ``right`` are a word and the number after it."""
    return number_splits(left + right, lexicon) == [len(left)]
