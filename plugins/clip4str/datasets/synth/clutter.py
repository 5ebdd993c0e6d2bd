"""Distractors around the word: cut-off neighbouring text lines and sign edges/rules.

Real crops often show parts of the lines above and below, or a stripe of the sign's frame; the
recognizer must learn to ignore them. Distractors never overlap the labelled word's box.
"""
from typing import Callable, Tuple

import cv2
import numpy as np

from .colors import random_color
from .render import render_masks


def _blend(img, color, alpha):
    a = alpha[..., None]
    img *= 1 - a
    img += a * np.asarray(color, np.float32)


def neighbour_text(rng, canvas: np.ndarray, box: Tuple[int, int, int, int], size: int,
                   text_color, sample_text: Callable, sample_font: Callable) -> None:
    """Draw a fragment of another text line above or below (rarely beside) `box`, in place."""
    H, W = canvas.shape[:2]
    x0, y0, x1, y1 = box
    text = sample_text(rng)
    font = sample_font(rng, text)
    s = int(np.clip(size * rng.uniform(0.5, 1.3), 10, 120))
    m = render_masks(text, font.path, s).fill
    ys = np.nonzero(m.max(1) > 0.1)[0]
    xs = np.nonzero(m.max(0) > 0.1)[0]
    if len(xs) == 0:
        return
    m = m[ys[0]:ys[-1] + 1, xs[0]:xs[-1] + 1]
    mh, mw = m.shape
    gap = max(1, int(size * rng.uniform(0.08, 0.35)))
    side = rng.choice(4, p=[0.42, 0.42, 0.08, 0.08])
    if side == 0:    # above: its bottom sits `gap` above the word
        oy, ox = y0 - gap - mh, int(rng.integers(x0 - mw, x1))
    elif side == 1:  # below
        oy, ox = y1 + gap, int(rng.integers(x0 - mw, x1))
    elif side == 2:  # left, a word space away
        oy, ox = int(rng.integers(y0 - mh // 2, y1 - mh // 2 + 1)), x0 - int(size * 0.45) - mw
    else:
        oy, ox = int(rng.integers(y0 - mh // 2, y1 - mh // 2 + 1)), x1 + int(size * 0.45)
    # paste the visible part only; keep it strictly outside the word's box
    cy0, cx0 = max(oy, 0), max(ox, 0)
    cy1, cx1 = min(oy + mh, H), min(ox + mw, W)
    if cy1 <= cy0 or cx1 <= cx0:
        return
    patch = m[cy0 - oy:cy1 - oy, cx0 - ox:cx1 - ox].copy()
    # zero any part that would reach into the labelled word's box
    iy0, iy1 = max(cy0, y0), min(cy1, y1)
    ix0, ix1 = max(cx0, x0), min(cx1, x1)
    if iy1 > iy0 and ix1 > ix0:
        patch[iy0 - cy0:iy1 - cy0, ix0 - cx0:ix1 - cx0] = 0
    color = text_color if rng.random() < 0.6 else random_color(rng)
    _blend(canvas[cy0:cy1, cx0:cx1], color, patch * rng.uniform(0.6, 1.0))


def rule_line(rng, canvas: np.ndarray, box: Tuple[int, int, int, int]) -> None:
    """A straight stripe (underline, table rule, sign frame) outside the word's box."""
    H, W = canvas.shape[:2]
    x0, y0, x1, y1 = box
    t = max(1, int(rng.uniform(0.02, 0.12) * (y1 - y0)))
    color = tuple(float(c) for c in random_color(rng))
    free = []  # candidate bands above, below, left, right of the box
    if y0 - t > 0:
        free.append(('h', int(rng.integers(0, max(1, y0 - t)))))
    if y1 + 1 < H - t:
        free.append(('h', int(rng.integers(y1 + 1, H - t))))
    if x0 - t > 0:
        free.append(('v', int(rng.integers(0, max(1, x0 - t)))))
    if x1 + 1 < W - t:
        free.append(('v', int(rng.integers(x1 + 1, W - t))))
    if not free:
        return
    kind, pos = free[int(rng.integers(len(free)))]
    if kind == 'h':
        cv2.rectangle(canvas, (0, pos), (W - 1, pos + t - 1), color, -1)
    else:
        cv2.rectangle(canvas, (pos, 0), (pos + t - 1, H - 1), color, -1)
