"""Whole-page geometry: a slightly skewed scan, or a page photographed at an angle on a desk.

Both composite the page onto a new canvas through a homography, so word polygons follow exactly.
"""
import cv2
import numpy as np

from . import backgrounds
from .canvas import Canvas


def _rotation_about(center, degrees: float, shift=(0.0, 0.0)) -> np.ndarray:
    m = cv2.getRotationMatrix2D(tuple(float(c) for c in center), degrees, 1.0)
    m[:, 2] += shift
    return np.vstack([m, [0, 0, 1]])


def scan(page: Canvas, rng: np.random.Generator) -> Canvas:
    """Skew by a degree or two on a flatbed; sometimes with the dark scanner lid showing."""
    w, h = page.size
    angle = float(np.clip(rng.normal(0, 1.2), -4, 4))
    lid = rng.random() < 0.25
    out_w, out_h = (int(w * rng.uniform(1.02, 1.15)), int(h * rng.uniform(1.02, 1.1))) if lid \
        else (w, h)
    shift = ((out_w - w) * rng.uniform(0, 1), (out_h - h) * rng.uniform(0, 1))
    matrix = _rotation_about((w / 2, h / 2), angle, shift)
    if lid:
        bg = tuple(int(v) for v in rng.integers(0, 60, 3))
    else:  # the scan area is the page itself: fill uncovered corners with paper colour
        bg = tuple(int(v) for v in np.median(page.array().reshape(-1, 3), axis=0))
    out = Canvas((out_w, out_h), background=bg)
    out.paste_warped(page, matrix)
    return out


def photograph(page: Canvas, rng: np.random.Generator) -> Canvas:
    """Put the page on a desk and look at it from an angle (perspective + rotation)."""
    w, h = page.size
    grow = rng.uniform(1.05, 1.4)
    out_w, out_h = int(w * grow), int(h * grow)
    fill = rng.uniform(0.75, 0.97)  # how much of the photo the page covers
    scale = fill * min(out_w / w, out_h / h)
    angle = np.deg2rad(float(np.clip(rng.normal(0, 4), -15, 15)))
    half = np.array([[-w, -h], [w, -h], [w, h], [-w, h]], np.float32) * 0.5 * scale
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]], np.float32)
    dst = half @ rot.T
    # perspective: shrink the far edge, jitter every corner a little
    tilt = rng.uniform(0, 0.12)
    far = rng.integers(4)
    dst[far] *= 1 - tilt
    dst[(far + 1) % 4] *= 1 - tilt
    dst += rng.normal(0, 0.015 * min(w, h) * scale, dst.shape).astype(np.float32)
    # keep the whole page inside the photo
    lo, hi = dst.min(0), dst.max(0)
    span = hi - lo
    k = min(1.0, 0.98 * out_w / span[0], 0.98 * out_h / span[1])
    dst *= k
    lo, hi = dst.min(0), dst.max(0)
    offset = np.array([rng.uniform(-lo[0], out_w - hi[0]), rng.uniform(-lo[1], out_h - hi[1])])
    dst += offset.astype(np.float32)
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst)
    out = Canvas((out_w, out_h))
    out.set_array(backgrounds.desk(rng, (out_w, out_h)))
    out.paste_warped(page, matrix)
    return out
