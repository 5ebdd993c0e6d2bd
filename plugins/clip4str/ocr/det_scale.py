"""Helpers for choosing the detection scale from the page: text height, coarse-pass merging.

A detector reads text best within a range of heights (DBNet here: ~10-60 px at its input). Text
far above that range (a sign's word half the photo high) comes out in fragments or not at all;
a coarser pass sees it whole, and its regions replace the fragments they cover.
"""
from typing import List, Sequence, Tuple

import cv2
import numpy as np

from .polygon_edges import shape_of


def text_height(polygon) -> float:
    """Height of a text region: the short side of its minimum-area rectangle."""
    (_, _), (w, h), _ = cv2.minAreaRect(np.asarray(polygon, np.float32).reshape(-1, 2))
    return float(min(w, h))


def merge_coarse(polys: Sequence[np.ndarray], scores, coarse_polys: Sequence[np.ndarray],
                 coarse_scores, min_height: float, sure_score: float = 0.0
                 ) -> Tuple[List[np.ndarray], np.ndarray]:
    """Add the coarse pass's regions at least ``min_height`` high (page px): each replaces the
    fine regions lying mostly inside it when those are much lower (fragments of its letters);
    where they are words of about its height (a line the coarse pass saw as one), they stay.
    A coarse region lying mostly inside a fine one (the "00" of a price the fine pass read
    whole) is a fragment of that word and is not added. Regions scoring under ``sure_score``
    (faint glyph candidates, see .small_glyphs) take no part: coarse ones are dropped, fine ones
    come back where no merged region covers half of them."""
    faint = [(p, s) for p, s in zip(polys, scores) if s < sure_score]
    polys, scores = _sure(polys, scores, sure_score)
    coarse_polys, coarse_scores = _sure(coarse_polys, coarse_scores, sure_score)
    for cpoly, cscore in zip(coarse_polys, coarse_scores):
        if text_height(cpoly) < min_height:
            continue
        big = shape_of(cpoly)
        if big.area <= 0:
            continue
        shapes = [shape_of(p) for p in polys]
        inside = [i for i, s in enumerate(shapes)
                  if s.area > 0 and s.intersection(big).area > 0.5 * s.area]
        if any(text_height(polys[i]) > 0.6 * text_height(cpoly) for i in inside):
            continue
        if any(s.intersection(big).area > 0.5 * big.area
               for i, s in enumerate(shapes) if i not in inside):
            continue
        for i in reversed(inside):
            del polys[i], scores[i]
        polys.append(np.asarray(cpoly, float))
        scores.append(float(cscore))
    shapes = [shape_of(p) for p in polys]
    for poly, score in faint:
        small = shape_of(poly)
        if small.area > 0 and not any(small.intersection(s).area > 0.5 * small.area
                                      for s in shapes):
            polys.append(np.asarray(poly, float))
            scores.append(float(score))
    return polys, np.asarray(scores, float)


def _sure(polys, scores, sure_score: float):
    keep = [i for i, s in enumerate(scores) if s >= sure_score]
    return [polys[i] for i in keep], [float(scores[i]) for i in keep]
