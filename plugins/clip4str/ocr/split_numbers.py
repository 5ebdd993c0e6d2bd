"""Numbers the detector split at their decimal point ("12" + "00" for "12.00"), and words it
cut between two letters ("adjus" + "tments").

The dot is a few pixels between two digit groups, so the detector may cut there and the dot falls
into the gap between the two regions. Neighbours on a line that end and start with digits, close
together, are read again as one region; where that reading is the two texts joined by a '.' or
',' read with confidence, it replaces them. Two numbers a space apart read as one come out with a
point in the space, but a doubtful one: of the 28 joins on the 61 SROIE val receipts, the 25
right ones read their point at 0.99+, the 3 wrong ones ("598336001 6", "1018-4 48", "-2018 11")
at 0.55-0.80, as the invoice's "4567 89" at 0.71. Letters meeting with no space of ink between
them are read again as one region too; where that reading is the two texts run together, it
replaces them. So are two pieces a space apart whose letters run together make a word of a
lexicon and which are not both words themselves ("adjus" "tments", "Descr" "iption": a printer's
wide gap inside a word, cut by the word split).
"""
from typing import List, Optional, Sequence, Tuple

import cv2
import numpy as np
from rapidfuzz.distance import Levenshtein

from .det_scale import text_height
from .lexicon import is_word, letter_span, meeting_letters
from .polygon_edges import as_points, top_bottom_edges
from .rectify import warp_region
from .word_split import WordSplitConfig, blank_runs


# a number pair read whole is taken only when its point is read at least this sure (61 SROIE
# val receipts: right joins 0.99+, wrong ones 0.55-0.80)
MIN_POINT_PROB = 0.9
# with join_touching_words, digits the detector or the word split cut apart across a blank run
# narrower than this (text heights) are read again whole too: a tabular '1' stands in a wide
# gap of its own ("2024-031" "7": 0.35), a space between numbers is wider ("123 4567": 0.41,
# the bundled invoice; 61 SROIE val receipts unchanged)
DIGIT_INK_GAP = 0.38


def union_quad(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The minimum-area rectangle around two regions, as a quad."""
    pts = np.concatenate([a, b]).astype(np.float32)
    return cv2.boxPoints(cv2.minAreaRect(pts)).astype(np.float64)


def _box_gap(left: np.ndarray, right: np.ndarray) -> Tuple[float, float]:
    """(horizontal gap between two regions of a line, their text height), page pixels."""
    height = max(text_height(left), text_height(right), 1.0)
    return float(right[:, 0].min() - left[:, 0].max()), height


def split_number_pairs(texts: Sequence[str], polygons: Sequence[np.ndarray],
                       lines: Sequence[Sequence[int]], max_gap: float = 0.6
                       ) -> List[Tuple[int, int]]:
    """(i, j) of consecutive words on a line: "...<digit>" then "<digit>..." (at most 2
    digits: cents), at most ``max_gap`` text heights apart; the decimal point may end the first
    or start the second ("12." "00", "12" ".00")."""
    pairs = []
    for line in lines:
        for i, j in zip(line, line[1:]):
            a, b = texts[i], texts[j]
            # the point may sit in either piece: "12" "00", "12." "00", "12" ".00"
            if not (a and b and a.rstrip('.,')[-1:].isdigit() and b.lstrip('.,')[:1].isdigit()
                    and len(b.lstrip('.,')) <= 2 and (a[-1] in '.,') + (b[0] in '.,') <= 1):
                continue
            gap, height = _box_gap(polygons[i], polygons[j])
            if gap <= max_gap * height:
                pairs.append((i, j))
    return pairs


def is_joined_number(reading: str, left: str, right: str,
                     scores: Optional[Sequence[float]] = None, min_point_prob: float = 0.0
                     ) -> bool:
    """Whether ``reading`` is ``left`` and ``right`` with a decimal point between them (one of
    them may already hold it), the point read at probability ``min_point_prob`` or more
    (``scores``: one per character of ``reading``)."""
    if left[-1:] in ('.', ',') or right[:1] in ('.', ','):
        ok = reading == left + right
    else:
        ok = reading in (f'{left}.{right}', f'{left},{right}')
    if ok and scores is not None and len(scores) == len(reading):
        point = len(left) - 1 if left[-1:] in ('.', ',') else len(left)
        ok = scores[point] >= min_point_prob
    return ok


def touching_word_pairs(gray: np.ndarray, texts: Sequence[str], polygons: Sequence[np.ndarray],
                        lines: Sequence[Sequence[int]], max_ink_gap: float = 0.25,
                        max_box_gap: float = 0.1, digit_ink_gap: float = 0.0
                        ) -> List[Tuple[int, int]]:
    """(i, j) of consecutive words on a line, "...<letter>" then "<letter>...", that the
    detector cut inside a word ("adjus" "tments"): their boxes overlap or lie at most
    ``max_box_gap`` text heights apart and, in the ink of the two read as one region, no blank
    run wider than ``max_ink_gap`` text heights (ascender to descender) crosses the stretch
    where they meet: letters of a proportional font stand up to ~0.2 apart, words >= 0.3. Box
    gaps alone cannot tell: the detector's boxes of neighbouring words often touch. With
    ``digit_ink_gap``, "...<digit>" then "<digit>..." pairs are taken too, across blank runs up
    to that wide: a tabular '1' leaves a gap of ~0.35 heights inside a number."""
    pairs = []
    for line in lines:
        for i, j in zip(line, line[1:]):
            a, b = texts[i], texts[j]
            if not (a and b):
                continue
            if a[-1].isalpha() and b[0].isalpha():
                limit = max_ink_gap
            elif digit_ink_gap > 0 and a[-1].isdigit() and b[0].isdigit():
                limit = digit_ink_gap
            else:
                continue
            gap, height = _box_gap(polygons[i], polygons[j])
            if gap > max_box_gap * height:
                continue
            end, start = polygons[i][:, 0].max(), polygons[j][:, 0].min()
            quad = union_quad(polygons[i], polygons[j])
            try:
                top, bottom = top_bottom_edges(as_points(quad))
            except ValueError:
                continue
            crop = warp_region(gray, top, bottom, pad=0.0, max_height=WordSplitConfig.height)
            gaps, ink_height = blank_runs(crop)
            if not ink_height:
                continue
            x0, x1 = quad[:, 0].min(), quad[:, 0].max()
            scale = crop.shape[1] / max(x1 - x0, 1.0)
            margin = max_box_gap * height
            lo, hi = ((min(end, start) - margin - x0) * scale, (max(end, start) + margin - x0)
                      * scale)
            if not any(g0 < hi and g1 > lo and g1 - g0 > limit * ink_height
                       for g0, g1 in gaps):
                pairs.append((i, j))
    return pairs


def is_joined_word(reading: str, left: str, right: str) -> bool:
    """Whether ``reading`` is ``left`` and ``right`` run together, up to one character."""
    return Levenshtein.distance(reading, left + right) <= 1


def joined_number(reading: str, left: str, right: str, scores) -> bool:
    """The engine's test for a number pair read whole (``scores``: per character)."""
    return is_joined_number(reading, left, right, scores, MIN_POINT_PROB)


def joined_word(reading: str, left: str, right: str, scores) -> bool:
    """The engine's test for a touching pair read whole."""
    if left[-1:].isdigit() and right[:1].isdigit():  # no slack for a digit read otherwise
        return reading == left + right
    return is_joined_word(reading, left, right)


def lexicon_word_pairs(texts: Sequence[str], polygons: Sequence[np.ndarray],
                       lines: Sequence[Sequence[int]], lexicon, max_box_gap: float = 1.0,
                       min_letters: int = 5) -> List[Tuple[int, int]]:
    """(i, j) of consecutive words on a line at most ``max_box_gap`` text heights apart, the
    first ending and the second starting with a letter, whose letters run together make a
    word of ``lexicon`` of ``min_letters`` or more while they are not two words ("adjus"
    "tments"; not "TAX" "INVOICE" nor "BOOK" "SHOP")."""
    pairs = []
    for line in lines:
        for i, j in zip(line, line[1:]):
            letters = meeting_letters(texts[i], texts[j])
            if letters is None:
                continue
            a, b = letters
            if (len(a) + len(b) < min_letters or (a + b).lower() not in lexicon
                    or (is_word(a, lexicon) and is_word(b, lexicon))):
                continue
            gap, height = _box_gap(polygons[i], polygons[j])
            if gap <= max_box_gap * height:
                pairs.append((i, j))
    return pairs


def joined_lexicon_word(lexicon):
    """The engine's test for a lexicon pair read whole: the two run together up to one
    character, and the reading's letters a word of ``lexicon``."""
    def accept(reading: str, left: str, right: str, scores) -> bool:
        span = letter_span(reading)
        return (span is not None and reading[span[0]:span[1]].lower() in lexicon
                and is_joined_word(reading, left, right))
    return accept
