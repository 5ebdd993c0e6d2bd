"""Numbers the detector split at their decimal point ("12" + "00" for "12.00").

The dot is a few pixels between two digit groups, so the detector may cut there and the dot falls
into the gap between the two regions. Neighbours on a line that end and start with digits, close
together, are read again as one region; where that reading is the two texts joined by a '.' or
',', it replaces them.
"""
from typing import List, Sequence, Tuple

import cv2
import numpy as np

from .det_scale import text_height


def union_quad(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The minimum-area rectangle around two regions, as a quad."""
    pts = np.concatenate([a, b]).astype(np.float32)
    return cv2.boxPoints(cv2.minAreaRect(pts)).astype(np.float64)


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
            height = max(text_height(polygons[i]), text_height(polygons[j]), 1.0)
            gap = polygons[j][:, 0].min() - polygons[i][:, 0].max()
            if gap <= max_gap * height:
                pairs.append((i, j))
    return pairs


def is_joined_number(reading: str, left: str, right: str) -> bool:
    """Whether ``reading`` is ``left`` and ``right`` with a decimal point between them (one of
    them may already hold it)."""
    if left[-1:] in ('.', ',') or right[:1] in ('.', ','):
        return reading == left + right
    return reading in (f'{left}.{right}', f'{left},{right}')
