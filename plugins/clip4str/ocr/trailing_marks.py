"""A word's trailing full stop or comma brought back inside its box before it is read.

The detector's boxes end at the last letter: a comma or full stop right after a word ("Selangor.",
"Panas,") is a small blob of its own that the box leaves out, or that lands on the crop's very
edge, where the recognizer drops it (44 tokens of the 61 SROIE val receipts lost such a mark).
The strip just right of each word is searched: when it holds only small ink (each blob at most
``max_height`` text heights tall, none reaching the strip's far end, so not the start of the
next word) and low on the line, the box is stretched to take it in. Colons are left alone:
receipts print "TOTAL:" where their annotations write "TOTAL :" about as often as not.
"""
from dataclasses import dataclass
from typing import List, Sequence

import cv2
import numpy as np

from .polygon_edges import horizontal_region
from .rectify import warp_region
from .word_split import cut_region, text_ink, text_rows


@dataclass
class TrailingMarkConfig:
    enabled: bool = False
    reach: float = 0.5        # text heights right of a word searched for a mark
    max_height: float = 0.55  # a mark is at most this many text heights tall ...
    max_width: float = 0.35   # ... and wide
    margin: float = 0.1       # heights of paper kept after the mark
    min_regions: int = 30     # pages with fewer regions (scenes) are left as they are
    height: int = 48          # rows of the rectified strip
    min_contrast: float = 40.0


def _extend_right(chain: np.ndarray, dist: float) -> np.ndarray:
    """``chain`` with its last point moved ``dist`` further along its last segment."""
    step = chain[-1] - chain[-2]
    norm = float(np.hypot(*step))
    if norm < 1e-6:
        return chain
    out = chain.astype(float).copy()
    out[-1] = chain[-1] + step / norm * dist
    return out


def mark_extent(crop: np.ndarray, start: int, min_contrast: float, max_height: float,
                max_width: float, low: float = 0.4):
    """Column up to which small marks low on the line (a full stop, a comma: below ``low``
    text heights from the top) reach past column ``start`` of an upright grey strip, and the
    text height; None when there is none, or something else there (a letter, ink running on, a
    colon's upper dot)."""
    ink = text_ink(crop, min_contrast)
    if ink is None:
        return None
    rows = text_rows(ink[:, :start])  # the word's rows
    if len(rows) == 0:
        return None
    text_h = rows[-1] - rows[0] + 1
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink[:, start:].astype(np.uint8), 8)
    end = None
    for x, y, w, h, area in stats[1:]:
        if area < 2:  # a speck of noise
            continue
        if h > max_height * text_h or w > max_width * text_h or \
                x + w >= ink.shape[1] - start or y < rows[0] + low * text_h or \
                y + h > rows[-1] + 0.3 * text_h:
            return None  # a letter, ink running on past the strip, a colon, or off the line
        end = max(end or 0, start + x + w)
    return None if end is None else (end, text_h)


def extend_to_marks(image: np.ndarray, polygons: Sequence, cfg: TrailingMarkConfig) -> List:
    """``polygons`` with each horizontal word's box stretched over the mark after it."""
    if not cfg.enabled or len(polygons) < cfg.min_regions:
        return list(polygons)
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    out = []
    for poly in polygons:
        out.append(poly)
        region = horizontal_region(poly)
        if region is None:
            continue
        top, bottom, length, height = region
        reach = cfg.reach * height
        top_e, bottom_e = _extend_right(top, reach), _extend_right(bottom, reach)
        crop = warp_region(gray, top_e, bottom_e, pad=0.0, max_height=cfg.height)
        start = int(round(crop.shape[1] * length / (length + reach)))
        found = mark_extent(crop, start, cfg.min_contrast, cfg.max_height, cfg.max_width)
        if found is None:
            continue
        end, text_h = found
        cut = min(1.0, (end + cfg.margin * text_h) / crop.shape[1])
        out[-1] = cut_region(top_e, bottom_e, [cut])[0] if cut < 1.0 else \
            np.concatenate([top_e, bottom_e[::-1]])
    return out
