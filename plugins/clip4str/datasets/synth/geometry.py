"""Geometric warps of the text layer: arcs, waves, rotation, shear and perspective.

All functions take and return an (h, w, c) float32 stack (premultiplied RGB + alpha) so colour
and coverage stay aligned; areas outside the source become transparent.
"""
from typing import Tuple

import cv2
import numpy as np


def _remap(img, map_x, map_y):
    return cv2.remap(img, map_x.astype(np.float32), map_y.astype(np.float32),
                     interpolation=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)


def arc(img: np.ndarray, bend: float) -> np.ndarray:
    """Bend the line along a circle; `bend` is the arc angle in radians (> 0: ∩, < 0: ∪)."""
    if bend < 0:
        return arc(img[::-1], -bend)[::-1].copy()
    h, w = img.shape[:2]
    if bend < 1e-3:
        return img
    r_mid = w / bend
    r_mid = max(r_mid, h * 0.75)  # keep the inner edge outside the centre
    half = min(w / r_mid / 2, np.pi * 0.9)
    r_out, r_in = r_mid + h / 2, r_mid - h / 2
    out_w = int(np.ceil(2 * r_out * (np.sin(half) if half < np.pi / 2 else 1.0))) + 2
    lowest = r_in * np.cos(half) if half < np.pi / 2 else r_out * np.cos(half)
    out_h = int(np.ceil(r_out - lowest)) + 2
    cx, cy = out_w / 2, r_out + 1
    v, u = np.mgrid[0:out_h, 0:out_w].astype(np.float32)
    dx, dy = u - cx, v - cy
    r = np.sqrt(dx * dx + dy * dy)
    phi = np.arctan2(dx, -dy)
    map_x = w / 2 + phi * r_mid
    map_y = r_out - r
    return _remap(img, map_x, map_y)


def wave(img: np.ndarray, amplitude: float, period: float, phase: float) -> np.ndarray:
    """Vertical sine displacement along x (amplitude and period in pixels)."""
    h, w = img.shape[:2]
    a = int(np.ceil(abs(amplitude)))
    out_h = h + 2 * a
    v, u = np.mgrid[0:out_h, 0:w].astype(np.float32)
    map_y = v - a - amplitude * np.sin(2 * np.pi * u / max(period, 1) + phase)
    return _remap(img, u, map_y)


def random_homography(rng, w: int, h: int, rotate_deg: float, shear: float,
                      perspective: float) -> np.ndarray:
    """3x3 matrix: rotation about the centre, horizontal shear and random corner jitter.

    perspective: corner displacement as a fraction of the text height, sampled in a way that
    mimics viewing a plane obliquely (one side or the top shrinks).
    """
    c = np.array([w / 2, h / 2])
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = src.copy()
    if perspective > 0:
        p = perspective * h
        kind = int(rng.integers(3))
        if kind == 0:  # horizontal foreshortening: left or right edge shorter
            side = 1 if rng.random() < 0.5 else 0
            idx = [1, 2] if side else [0, 3]
            dst[idx[0], 1] += p
            dst[idx[1], 1] -= p
        elif kind == 1:  # keystone: top or bottom narrower
            top = rng.random() < 0.5
            idx = [0, 1] if top else [3, 2]
            dst[idx[0], 0] += p * w / max(h, 1) * 0.3
            dst[idx[1], 0] -= p * w / max(h, 1) * 0.3
        dst += rng.uniform(-1, 1, (4, 2)).astype(np.float32) * p * 0.35  # free jitter
    persp = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    a = np.radians(rotate_deg)
    rot = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    sh = np.array([[1, shear, 0], [0, 1, 0], [0, 0, 1]])
    t0 = np.array([[1, 0, -c[0]], [0, 1, -c[1]], [0, 0, 1]])
    t1 = np.array([[1, 0, c[0]], [0, 1, c[1]], [0, 0, 1]])
    return t1 @ rot @ sh @ t0 @ persp


def warp_homography(img: np.ndarray, m: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Apply `m`, growing the canvas so nothing is cut; returns the image and the full matrix."""
    h, w = img.shape[:2]
    corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]]).reshape(-1, 1, 2)
    tc = cv2.perspectiveTransform(corners, m.astype(np.float64)).reshape(-1, 2)
    x0, y0 = np.floor(tc.min(0)) - 1
    x1, y1 = np.ceil(tc.max(0)) + 1
    shift = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]])
    full = shift @ m
    out_w, out_h = int(min(x1 - x0, 8 * (w + h))), int(min(y1 - y0, 8 * (w + h)))
    out = cv2.warpPerspective(img, full, (out_w, out_h), flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    return out, full


def ink_box(alpha: np.ndarray, thresh: float = 0.1) -> Tuple[int, int, int, int]:
    """x0, y0, x1, y1 (exclusive) of pixels with alpha above `thresh`; whole image if none."""
    ys = np.nonzero(alpha.max(1) > thresh)[0]
    xs = np.nonzero(alpha.max(0) > thresh)[0]
    if len(xs) == 0:
        return 0, 0, alpha.shape[1], alpha.shape[0]
    return int(xs[0]), int(ys[0]), int(xs[-1]) + 1, int(ys[-1]) + 1
