"""Lone glyphs the detector sees only faintly.

A quantity "1", a ":" or a "-" standing alone in a receipt's column is one narrow glyph: its
region's mean text probability often stays under the page threshold (``det.min_score``) while
whole words pass it easily. On the 61 SROIE val receipts such glyphs were the most missed truth
tokens (":" 165, "1" 111, "-" 46). With the rule on, a region scoring at least ``min_score`` that
is no longer than ``max_aspect`` heights is kept as a candidate; after reading it stays a word
only when read as at most ``max_chars`` characters, each with probability ``min_prob`` or more,
on a page with at least ``min_regions`` sure regions. Specks, stamps and table rules read as
unsure text and are dropped; scenes (few regions) keep none.
"""
from dataclasses import dataclass

import cv2
import numpy as np


@dataclass
class SmallGlyphConfig:
    enabled: bool = False
    # (the presets' values, chosen on the 61 SROIE val receipts)
    min_score: float = 0.4    # detector score a faint candidate needs (under det.min_score)
    max_aspect: float = 2.2   # its minimum-area rectangle's long side, in short sides
    min_prob: float = 0.8     # every character of its reading at least this probable
    max_chars: int = 3        # ... and at most this many characters
    # only on pages with at least this many regions over det.min_score (documents, receipts):
    # on a scene's few signs faint blobs read as short text are mostly false (IC03-val, det toy)
    min_regions: int = 30


def is_small_region(polygon, max_aspect: float) -> bool:
    """A region about as long as it is high (one or two glyphs)."""
    (_, _), (w, h), _ = cv2.minAreaRect(np.asarray(polygon, np.float32).reshape(-1, 2))
    short, long = sorted((w, h))
    return short > 0 and long <= max_aspect * short


def is_faint_candidate(polygon, score: float, min_det_score: float,
                       cfg: SmallGlyphConfig) -> bool:
    """Under the page threshold but kept for reading by this rule."""
    return (cfg.enabled and cfg.min_score <= score < min_det_score
            and is_small_region(polygon, cfg.max_aspect))


def without_faint_on_sparse_page(polygons, scores, min_det_score: float,
                                 cfg: SmallGlyphConfig):
    """(polygons, scores) of a page, its faint candidates dropped before they are read when it
    has fewer than ``min_regions`` sure regions (a scene)."""
    sure = [i for i, s in enumerate(scores) if s >= min_det_score]
    if len(sure) >= cfg.min_regions or len(sure) == len(scores):
        return polygons, scores
    return [polygons[i] for i in sure], np.asarray(scores, float)[sure]


def accept_reading(text: str, char_scores, cfg: SmallGlyphConfig) -> bool:
    """A faint candidate's reading is kept: short and sure of every character."""
    text = text.strip()
    return (0 < len(text) <= cfg.max_chars and len(char_scores) >= len(text)
            and min(char_scores) >= cfg.min_prob)
