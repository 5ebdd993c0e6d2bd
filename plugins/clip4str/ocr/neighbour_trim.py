"""Neighbouring boxes on a line trimmed where they overlap, so no crop holds a piece of the next word.

DBNet grows each text kernel by a margin of about a third of the text height on every side
(``unclip_ratio``). Between words set a normal space apart, the two grown boxes overlap, and each
crop then starts or ends with a sliver of the neighbour's first or last letter, which the
recognizer sometimes reads: "must be" -> "must" "tbe", "delivered to the" -> "to:" (the bundled
invoice). Here two horizontal regions of one line that overlap are both cut at the blank column
between their words (the middle of the blank run there; the faintest column where the glyphs
touch), so each crop ends in the space.
"""
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

import cv2
import numpy as np

from .polygon_edges import edge_angle, horizontal_region
from .word_split import blank_gaps, cut_region, text_ink, text_rows


@dataclass
class NeighbourTrimConfig:
    enabled: bool = False
    max_angle: float = 10.0    # only near-horizontal regions (degrees): x maps to length
    min_overlap: float = 0.5   # shared rows, as a fraction of the smaller height: one line
    max_height_ratio: float = 1.5  # text of about one size
    max_shared: float = 0.5    # overlaps wider than this x the shorter region: not neighbours
    min_contrast: float = 40.0
    square_aspect: float = 1.6     # tilted quads closer to square: upright (see _squarish_box)


class _Box:
    """A horizontal region as chains (left to right) and its axis-aligned extent."""

    def __init__(self, top: np.ndarray, bottom: np.ndarray):
        self.top, self.bottom = top, bottom
        pts = np.concatenate([top, bottom])
        self.x0, self.y0 = pts.min(0)
        self.x1, self.y1 = pts.max(0)
        # the left and right edges' mean x: where a cut at x falls along the chains
        self.left = (top[0, 0] + bottom[0, 0]) / 2
        self.right = (top[-1, 0] + bottom[-1, 0]) / 2


def _box(poly, cfg: NeighbourTrimConfig) -> Optional[_Box]:
    region = horizontal_region(poly)
    if region is None or abs(edge_angle(region[0])) > cfg.max_angle:
        return _squarish_box(poly, cfg)
    return _Box(region[0], region[1])


def _squarish_box(poly, cfg: NeighbourTrimConfig) -> Optional[_Box]:
    """A short word's quad stands at any angle (DBNet's minimum-area rectangle of a near-square
    kernel: the invoice's "is" came out turned 18 degrees, so "Payment" kept its "i"): a tilted
    quad whose sides differ by less than ``square_aspect`` stands for the upright box of its
    centre and sides, the side nearer horizontal its width (its axis-aligned box would reach
    into the neighbours)."""
    pts = np.asarray(poly, float).reshape(-1, 2)
    if len(pts) != 4 or cfg.square_aspect <= 1:
        return None
    steps = np.roll(pts, -1, axis=0) - pts
    sides = np.hypot(steps[:, 0], steps[:, 1])
    if sides.min() <= 0 or sides.max() > cfg.square_aspect * sides.min():
        return None
    across = abs(steps[0, 0]) >= abs(steps[0, 1])  # the first side runs along the line
    half_w, half_h = (sides[0] / 2, sides[1] / 2) if across else (sides[1] / 2, sides[0] / 2)
    cx, cy = pts.mean(0)
    return _Box(np.array([[cx - half_w, cy - half_h], [cx + half_w, cy - half_h]]),
                np.array([[cx - half_w, cy + half_h], [cx + half_w, cy + half_h]]))


def _neighbours(a: _Box, b: _Box, cfg: NeighbourTrimConfig) -> bool:
    """``b`` starts inside ``a``'s right end, on the same line, text of about one size."""
    ha, hb = a.y1 - a.y0, b.y1 - b.y0
    shared_rows = min(a.y1, b.y1) - max(a.y0, b.y0)
    shared_cols = a.x1 - b.x0
    return (a.left < b.left and a.right < b.right and shared_cols > 0 and
            shared_rows >= cfg.min_overlap * min(ha, hb) and
            max(ha, hb) <= cfg.max_height_ratio * min(ha, hb) and
            shared_cols <= cfg.max_shared * min(a.x1 - a.x0, b.x1 - b.x0))


def cut_column(gray: np.ndarray, a: _Box, b: _Box, min_contrast: float) -> Optional[float]:
    """Page x where the boxes ``a`` (left) and ``b`` (right) are best parted: the middle of the
    blank run between their words (kept inside the overlap), else the faintest column of the
    overlap; None when the strip holds no readable text."""
    h, w = gray.shape[:2]
    y0, y1 = int(max(0, max(a.y0, b.y0))), int(min(h, np.ceil(min(a.y1, b.y1))))
    x0, x1 = int(max(0, a.x0)), int(min(w, np.ceil(b.x1)))
    if y1 - y0 < 2 or x1 - x0 < 2:
        return None
    ink = text_ink(gray[y0:y1, x0:x1], min_contrast)
    if ink is None:
        return None
    rows = text_rows(ink)
    if len(rows) == 0:
        return None
    profile = ink[rows[0]:rows[-1] + 1].sum(0)
    lo, hi = b.x0 - x0, a.x1 - x0  # the overlap, strip columns
    mid = (lo + hi) / 2
    for start, end in blank_gaps(profile, int(0.05 * len(rows))):
        if start <= mid <= end or lo <= (start + end) / 2 <= hi:
            return x0 + float(np.clip((start + end) / 2, lo, hi))
    zone = profile[int(np.floor(lo)):int(np.ceil(hi)) + 1]
    if len(zone) == 0:
        return None
    return x0 + int(np.floor(lo)) + float(np.argmin(zone))


def _fraction(box: _Box, x: float) -> float:
    return float((x - box.left) / max(box.right - box.left, 1e-6))


def trim_neighbours(image: np.ndarray, polygons: Sequence, cfg: NeighbourTrimConfig) -> List:
    """``polygons`` with each pair of overlapping neighbours on a line cut apart (see above)."""
    polys = list(polygons)
    if not cfg.enabled or len(polys) < 2:
        return polys
    boxes = [_box(p, cfg) for p in polys]
    ids = sorted((i for i, b in enumerate(boxes) if b is not None), key=lambda i: boxes[i].x0)
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    right_cut = {}  # region -> page x its right end moves to (the smallest wins)
    left_cut = {}   # region -> page x its left end moves to (the largest wins)
    for k, i in enumerate(ids):
        a = boxes[i]
        for j in ids[k + 1:]:
            b = boxes[j]
            if b.x0 >= a.x1:
                break  # sorted by x0: no later box reaches back into a
            if not _neighbours(a, b, cfg):
                continue
            x = cut_column(gray, a, b, cfg.min_contrast)
            if x is None:
                continue
            right_cut[i] = min(right_cut.get(i, np.inf), x)
            left_cut[j] = max(left_cut.get(j, -np.inf), x)
    for i in set(right_cut) | set(left_cut):
        box = boxes[i]
        f0 = max(0.0, _fraction(box, left_cut[i])) if i in left_cut else 0.0
        f1 = min(1.0, _fraction(box, right_cut[i])) if i in right_cut else 1.0
        if f1 - f0 < 0.5:  # not a trim any more: leave the region as detected
            continue
        polys[i] = _sub_region(box, f0, f1)
    return polys


def _sub_region(box: _Box, f0: float, f1: float) -> np.ndarray:
    cuts = [f for f in (f0, f1) if 0.0 < f < 1.0]
    pieces = cut_region(box.top, box.bottom, cuts)
    return pieces[1 if f0 > 0.0 else 0]
