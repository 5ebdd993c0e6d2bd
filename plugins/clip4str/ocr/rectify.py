"""Rectifying crops: each detected polygon becomes upright, horizontal word images.

MMOCR's inferencer cuts the axis-aligned box around a polygon, so rotated, perspective and curved
words reach the recognizer slanted, with neighbours' pixels. Here a quad is warped to a rectangle
(perspective), a curved polygon is unrolled along its top and bottom edges (a ruled-surface remap:
each output column samples the straight segment between matching points of the two edges), and a
tall region yields several readings (turned either way, or stacked letters laid in a row) among
which the recognizer's per-character log-probability decides, plus each candidate's prior.

The recognizer is nearly as confident on upside-down words as on upright ones, so a region is
also read turned 180 degrees only where its geometry leaves the direction open (a steep region),
and a reading turned from the one the geometry calls upright must pass the tests of
:mod:`.candidate_choice`; whole pages turned 180 degrees are found from many words at once (see
:mod:`.orientation`).
"""
from dataclasses import dataclass
from typing import List

import cv2
import numpy as np

from .polygon_edges import (as_points, edge_angle, region_size, resample_chain,
                            top_bottom_edges)

TURNED = '+180'  # name suffix of a candidate read turned 180 degrees


@dataclass
class RectifyConfig:
    pad: float = 0.08            # margin around the region, as a fraction of the text height
    max_height: int = 96         # crops taller than this are scaled down (recognizers use ~32-224)
    vertical_aspect: float = 1.5  # height / length above this: a vertical region
    stacked: bool = True         # also read a vertical region as upright letters stacked
    upside_down: bool = False    # also read steep regions turned 180 degrees (see below)
    upside_down_min_angle: float = 30.0  # ... regions whose baseline is at least this steep
    # a turned reading is taken only when it is confident, beats the upright one, and sees
    # about as many letters (see .candidate_choice)
    upside_down_margin: float = 0.1  # log-prob per character it must gain over the upright one
    upside_down_min_prob: float = 0.95  # its geometric-mean character probability at least
    upside_down_min_chars: int = 2  # it has at least this many characters
    upside_down_max_len_diff: int = 2  # the two readings' lengths differ by at most this
    # a vertical region leaning at least this many degrees is a steep word: it reads the way of
    # its lean ('down' when its bottom is further right), and the other way is a turned reading
    vertical_lean: float = 20.0
    min_size: float = 2.0        # regions thinner than this (pixels) are skipped


@dataclass
class Candidate:
    """One reading of a region: ``name`` is how it was turned ('horizontal', 'down', ...);
    ``prior`` is added to its score (mean log-probability per character) when choosing;
    ``turned_from`` names the candidate whose crop this one is turned 180 degrees from, where
    the geometry says that one is upright."""
    name: str
    image: np.ndarray
    prior: float = 0.0
    turned_from: str = ''


def _extend_chain(chain: np.ndarray, amount: float) -> np.ndarray:
    """Lengthen a polyline at both ends by ``amount`` along its end segments."""
    if amount <= 0:
        return chain
    def unit(v):
        n = np.linalg.norm(v)
        return v / n if n > 1e-9 else v
    first = chain[0] - unit(chain[1] - chain[0]) * amount
    last = chain[-1] + unit(chain[-1] - chain[-2]) * amount
    return np.vstack([first, chain, last])


def warp_region(img: np.ndarray, top: np.ndarray, bottom: np.ndarray, pad: float = 0.08,
                max_height: int = 96) -> np.ndarray:
    """The region between the ``top`` and ``bottom`` chains as an upright rectangle image."""
    length, height = region_size(top, bottom)
    scale = min(1.0, max_height / max(height, 1e-6))
    w = max(1, int(round(length * scale)))
    h = max(1, int(round(height * scale)))
    margin = pad * min(length, height)
    if len(top) == 2 and len(bottom) == 2:  # a quad: exact perspective transform
        m = margin * scale
        src = np.float32([top[0], top[1], bottom[1], bottom[0]])
        dst = np.float32([[m, m], [m + w, m], [m + w, m + h], [m, m + h]])
        matrix = cv2.getPerspectiveTransform(src, dst)
        size = (int(round(w + 2 * m)), int(round(h + 2 * m)))
        return cv2.warpPerspective(img, matrix, size, flags=cv2.INTER_LINEAR,
                                   borderMode=cv2.BORDER_REPLICATE)
    # curved: output column j samples the segment top(t_j) -> bottom(t_j), extended by the margin
    top_e, bottom_e = _extend_chain(top, margin), _extend_chain(bottom, margin)
    w = max(1, int(round((length + 2 * margin) * scale)))
    m = int(round(margin * scale))
    t = resample_chain(top_e, w)
    b = resample_chain(bottom_e, w)
    s = (np.arange(h + 2 * m, dtype=np.float64) - m) / max(h - 1, 1)
    grid = t[None, :, :] + s[:, None, None] * (b - t)[None, :, :]
    map_x = grid[..., 0].astype(np.float32)
    map_y = grid[..., 1].astype(np.float32)
    return cv2.remap(img, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def stack_to_row(crop: np.ndarray) -> np.ndarray:
    """Upright letters stacked top to bottom -> the same letters side by side.

    The column is cut into square cells (a letter is about as tall as the column is wide).
    """
    h, w = crop.shape[:2]
    cells = max(1, int(round(h / max(w, 1))))
    bounds = np.linspace(0, h, cells + 1).astype(int)
    parts = [cv2.resize(crop[a:b], (w, w)) for a, b in zip(bounds[:-1], bounds[1:]) if b > a]
    return np.concatenate(parts, axis=1)


def column_lean(top: np.ndarray, bottom: np.ndarray) -> float:
    """Degrees a region's axis from its top to its bottom edge leans from vertical; positive
    when the bottom is further right."""
    dx, dy = bottom.mean(0) - top.mean(0)
    return float(np.degrees(np.arctan2(dx, dy)))


def crop_candidates(img: np.ndarray, polygon, cfg: RectifyConfig = RectifyConfig()
                    ) -> List[Candidate]:
    """Upright crops of one detected region, the likeliest reading first; [] if degenerate."""
    try:
        top, bottom = top_bottom_edges(as_points(polygon))
    except ValueError:
        return []
    length, height = region_size(top, bottom)
    if min(length, height) < cfg.min_size:
        return []
    main = warp_region(img, top, bottom, cfg.pad, cfg.max_height)
    if height > cfg.vertical_aspect * length:
        # A vertical line: rotated Latin text reads down (book spine) or up (chart axis); CJK-style
        # signs stack upright letters. The upright crop stays for a tall single letter.
        cands = [Candidate('down', np.ascontiguousarray(np.rot90(main, 1))),
                 Candidate('up', np.ascontiguousarray(np.rot90(main, -1)))]
        lean = column_lean(top, bottom)
        if abs(lean) >= cfg.vertical_lean:  # a steep word: against its lean it is upside down
            upright, turned = cands if lean > 0 else cands[::-1]
            turned.prior, turned.turned_from = -cfg.upside_down_margin, upright.name
        if cfg.stacked:
            cands.append(Candidate('stacked', stack_to_row(main)))
        cands.append(Candidate('horizontal', main))
        return cands  # 'down' and 'up' already cover both directions
    cands = [Candidate('horizontal', main)]
    if cfg.upside_down and abs(edge_angle(top)) >= cfg.upside_down_min_angle:
        cands.append(Candidate('horizontal' + TURNED, np.ascontiguousarray(np.rot90(main, 2)),
                               -cfg.upside_down_margin, 'horizontal'))
    return cands


def axis_aligned_crop(img: np.ndarray, polygon) -> np.ndarray:
    """MMOCRInferencer's crop: the padded axis-aligned box around the polygon, no rectification."""
    from mmocr.utils import bbox2poly, crop_img, poly2bbox
    quad = bbox2poly(poly2bbox(as_points(polygon).reshape(-1))).tolist()
    return crop_img(img, quad)
