"""Detected boxes that hold several words -> one box per word, cut at the blank gaps between them.

The recognizer reads one word: its charset has no space and it reads at most 25 characters. When
the detector puts "12 March 2024" in one box, it reads "12March2024" (or invents a dot where the
space was). Each horizontal region is rectified small and binarised, and its column ink profile is
searched for blank runs wider than ``min_gap`` x the text height (ascender to descender: the rows
that hold ink) and than the page's usual gaps (see :func:`split_words`). The polygon is cut at the middle of those gaps, so each word is read alone and the
layout joins the words of a line with spaces.

The ink helpers are shared with ``tools/dataset_converters/sroie_words.py`` (line boxes ->
word boxes for training).
"""
from dataclasses import dataclass
from typing import List, NamedTuple, Optional, Sequence, Tuple

import cv2
import numpy as np

from .polygon_edges import as_points, region_size, resample_chain, shape_of, top_bottom_edges
from .rectify import warp_region


ROW_INK = 0.03  # rows with ink in more columns than this hold text
SLIVER = 0.25  # text heights
MIN_PAGE_GAPS = 20  # fewer blank runs on a page say nothing about its font: min_gap alone


@dataclass
class WordSplitConfig:
    enabled: bool = False
    min_gap: float = 0.35     # a blank run wider than this x the text height separates words
    page_factor: float = 2.0  # ... and wider than this x the page's 90th percentile blank run
    min_aspect: float = 1.5   # regions shorter than this many heights hold one word: not split
    height: int = 48          # rows of the small rectified crop the profile is taken from
    min_contrast: float = 40.0  # grey levels between ink and paper; fainter crops are not split
    # pages with fewer detected regions (a scene's few signs, which say nothing about the page's
    # spacing; a receipt photographed has hundreds) are cut only into pieces at least
    # ``sparse_min_piece`` text heights long ("Fresh Bread" but not "A 134", "TA1 1"), and not
    # at all when it is 0
    min_regions: int = 0
    sparse_min_piece: float = 0.0
    # an end piece of a cut region lying at least this much (of its area) inside another
    # detected region is the tail of that region's word, not a word (DBNet's grown boxes
    # overlap: "INVOICE No." cut at the space inside "No."'s box leaves the E's tail, read "-");
    # 0: kept
    covered: float = 0.0


def ink_mask(crop: np.ndarray) -> np.ndarray:
    """Text pixels of a grey crop (Otsu; the minority side of the threshold is the ink)."""
    _, binary = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    dark = binary == 0
    return dark if dark.mean() <= 0.5 else ~dark


def blank_gaps(profile: np.ndarray, min_ink: float) -> List[Tuple[int, int]]:
    """[start, end) runs of blank columns strictly between the first and last inked column."""
    inked = profile > min_ink
    cols = np.flatnonzero(inked)
    if len(cols) == 0:
        return []
    gaps, start = [], None
    for x in range(cols[0], cols[-1] + 1):
        if not inked[x] and start is None:
            start = x
        elif inked[x] and start is not None:
            gaps.append((start, x))
            start = None
    return gaps


def text_ink(gray: np.ndarray, min_contrast: float = 0.0) -> Optional[np.ndarray]:
    """The ink mask of a grey crop; None when it holds no text, or text too faint to tell
    from paper noise."""
    ink = ink_mask(gray)
    if ink.all() or not ink.any() or \
            abs(float(gray[ink].mean()) - float(gray[~ink].mean())) < min_contrast:
        return None
    return ink


def text_rows(ink: np.ndarray) -> np.ndarray:
    """Rows of an ink mask that hold text (ink in more than ``ROW_INK`` of its columns)."""
    return np.flatnonzero(ink.sum(1) > ROW_INK * max(ink.shape[1], 1))


def blank_runs(gray: np.ndarray, min_contrast: float = 0.0) -> Tuple[List[Tuple[int, int]], int]:
    """Blank column runs between the glyphs of an upright grey crop, and the text height (rows
    holding ink: ascender to descender). ([], 0) for a blank or faint crop."""
    ink = text_ink(gray, min_contrast)
    if ink is None:
        return [], 0
    rows = text_rows(ink)
    if len(rows) == 0:
        return [], 0
    height = int(rows[-1] - rows[0] + 1)
    # a stray pixel of noise in a gap is not ink; a hyphen's stroke (a few rows) is
    profile = ink[rows[0]:rows[-1] + 1].sum(0)
    min_ink = int(0.05 * height)
    gaps = blank_gaps(profile, min_ink)
    # ink narrower than a thin glyph at either end is a sliver of the neighbouring word
    inked = np.flatnonzero(profile > min_ink)
    while gaps and gaps[0][0] - inked[0] < SLIVER * height:
        gaps.pop(0)
    while gaps and inked[-1] + 1 - gaps[-1][1] < SLIVER * height:
        gaps.pop()
    return gaps, height


class _Region(NamedTuple):
    """A horizontal region as :func:`split_words` measures it (crop pixels)."""
    top: np.ndarray
    bottom: np.ndarray
    width: int            # of the small rectified crop
    long_enough: bool     # at least ``min_aspect`` heights long: may hold several words
    gaps: List[Tuple[int, int, float]]  # blank runs: start, end, width in text heights
    text_height: int


def _long_pieces(cuts: Sequence[float], min_piece: float) -> List[float]:
    """The cuts (fractions of the region's length, ascending) that leave no piece shorter than
    ``min_piece`` (a fraction too), taken left to right."""
    kept: List[float] = []
    for c in cuts:
        if c - (kept[-1] if kept else 0.0) >= min_piece and 1.0 - c >= min_piece:
            kept.append(c)
    return kept


def cut_region(top: np.ndarray, bottom: np.ndarray, cuts: Sequence[float]) -> List[np.ndarray]:
    """Pieces of the region between two chains, cut at fractions of their length."""
    bounds = [0.0] + list(cuts) + [1.0]
    n = 2 if len(top) == 2 and len(bottom) == 2 else max(len(top), len(bottom), 3)
    return [np.concatenate([resample_chain(top, n, f0, f1),
                            resample_chain(bottom, n, f0, f1)[::-1]])
            for f0, f1 in zip(bounds[:-1], bounds[1:])]


def split_words(image: np.ndarray, polygons: Sequence, scores: Sequence[float],
                cfg: WordSplitConfig) -> Tuple[List, np.ndarray]:
    """(polygons, scores) of a page with multi-word regions cut at their spaces; each piece keeps
    its region's detection score. Unchanged when ``cfg.enabled`` is off.

    A space is a blank run wider than ``min_gap`` text heights and ``page_factor`` x the page's
    90th percentile gap: monospace receipts leave wide gaps around 'i', 'l', '1' and '.' within
    words, and their spaces are as wide again; proportional fonts have narrow gaps and spaces.
    Pieces share the region's top and bottom edges, cut at the same fraction of their length
    (exact for the straight, near-rectangular boxes documents have)."""
    sparse = len(polygons) < cfg.min_regions
    if not cfg.enabled or len(polygons) == 0 or (sparse and cfg.sparse_min_piece <= 0):
        return polygons, scores
    min_piece = cfg.sparse_min_piece if sparse else 0.0
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    regions = []  # per polygon a _Region, or None when it is not horizontal text
    for poly in polygons:
        try:
            top, bottom = top_bottom_edges(as_points(poly))
        except ValueError:
            regions.append(None)
            continue
        length, height = region_size(top, bottom)
        if length < height:  # vertical regions are read turned (rectify); not split here
            regions.append(None)
            continue
        crop = warp_region(gray, top, bottom, pad=0.0, max_height=cfg.height)
        gaps, text_h = blank_runs(crop, cfg.min_contrast)
        regions.append(_Region(top, bottom, crop.shape[1], length >= cfg.min_aspect * height,
                               [(a, b, (b - a) / text_h) for a, b in gaps], text_h))
    widths = [g for r in regions if r for *_, g in r.gaps]
    threshold = max(cfg.min_gap, cfg.page_factor * float(np.percentile(widths, 90))
                    if len(widths) >= MIN_PAGE_GAPS else 0.0)
    out_polys, out_scores = [], []
    for poly, score, region in zip(polygons, scores, regions):
        cuts = [] if region is None or not region.long_enough else \
            [(a + b) / 2 / region.width for a, b, g in region.gaps if g > threshold]
        if cuts and min_piece > 0:
            cuts = _long_pieces(cuts, min_piece * region.text_height / region.width)
        pieces = cut_region(region.top, region.bottom, cuts) if cuts else [poly]
        if len(pieces) > 1 and cfg.covered > 0:
            pieces = _without_covered_ends(pieces, [p for p in polygons if p is not poly],
                                           cfg.covered)
        out_polys += pieces
        out_scores += [score] * len(pieces)
    return out_polys, np.asarray(out_scores, float)


def _without_covered_ends(pieces: List[np.ndarray], others: Sequence, covered: float
                          ) -> List[np.ndarray]:
    """``pieces`` less the first and last when ``covered`` of their area lies inside one of
    the ``others`` (the page's other regions)."""
    def is_covered(piece):
        own = shape_of(piece)
        if own.area <= 0:
            return False
        x0, y0, x1, y1 = own.bounds
        for other in others:
            pts = np.asarray(other, float).reshape(-1, 2)
            if pts[:, 0].max() <= x0 or pts[:, 0].min() >= x1 or \
                    pts[:, 1].max() <= y0 or pts[:, 1].min() >= y1:
                continue
            if shape_of(pts).intersection(own).area >= covered * own.area:
                return True
        return False
    drop = {k for k in (0, len(pieces) - 1) if is_covered(pieces[k])}
    return [p for k, p in enumerate(pieces) if k not in drop]
