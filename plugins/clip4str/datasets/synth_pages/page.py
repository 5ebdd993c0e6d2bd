"""One synthetic page from (seed, index): layout, then scan/photo geometry, then damage.

The result is deterministic: page ``i`` of seed ``s`` is drawn from ``default_rng([s, i])`` only.
"""
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import cv2
import numpy as np

from . import geometry
from .canvas import Canvas
from .degrade import degrade
from .fonts import FontLibrary
from .layouts import LAYOUTS, Ctx
from .text_source import TextSource

# Share of each kind of page; documents dominate, scenes keep the detector useful on photos.
DEFAULT_MIX = {'document': 0.34, 'table': 0.1, 'form': 0.12, 'receipt': 0.26, 'scene': 0.18}
# How each kind is captured: (scan, photo, clean) probabilities.
CAPTURE = {'receipt': (0.45, 0.45, 0.10), 'scene': (0.0, 0.0, 1.0)}
DOC_CAPTURE = (0.55, 0.30, 0.15)
MIN_WORD_SIDE = 5.0  # px; smaller words are marked ignore (illegible, and unfair to score)


@dataclass
class PageSample:
    image: np.ndarray  # H x W x 3 RGB uint8
    instances: List[Dict] = field(default_factory=list)  # polygon, bbox, ignore, text
    kind: str = ''
    capture: str = ''
    jpeg_quality: int = 90


def _instances(canvas: Canvas) -> List[Dict]:
    """Word polygons clipped to the image; words that fall off it are dropped or ignored."""
    w, h = canvas.size
    out = []
    for word in canvas.words:
        poly = word.polygon.astype(np.float64)
        clipped = np.stack([poly[:, 0].clip(0, w - 1), poly[:, 1].clip(0, h - 1)], 1)
        area = abs(cv2.contourArea(poly.astype(np.float32)))
        kept = abs(cv2.contourArea(clipped.astype(np.float32)))
        if area <= 0 or kept < 0.3 * area:
            continue
        (_, _), (rw, rh), _ = cv2.minAreaRect(clipped.astype(np.float32))
        ignore = word.ignore or kept < 0.9 * area or min(rw, rh) < MIN_WORD_SIDE
        xs, ys = clipped[:, 0], clipped[:, 1]
        out.append(dict(polygon=[round(float(v), 1) for v in clipped.reshape(-1)],
                        bbox=[round(float(xs.min()), 1), round(float(ys.min()), 1),
                              round(float(xs.max()), 1), round(float(ys.max()), 1)],
                        bbox_label=0, ignore=bool(ignore), text=word.text))
    return out


def _choose(rng: np.random.Generator, probs: Dict[str, float]) -> str:
    names = sorted(probs)
    p = np.array([probs[n] for n in names], np.float64)
    return names[int(rng.choice(len(names), p=p / p.sum()))]


def render_page(seed: int, index: int, fonts: Optional[FontLibrary] = None,
                mix: Optional[Dict[str, float]] = None, kind: Optional[str] = None,
                crops=None) -> PageSample:
    """Page ``index`` of ``seed``. ``crops`` (a :class:`WordCrops`) lets scenes paste real
    photographed words next to rendered ones."""
    rng = np.random.default_rng([seed, index])
    fonts = fonts or FontLibrary()
    kind = kind or _choose(rng, mix or DEFAULT_MIX)
    if kind not in LAYOUTS:
        raise ValueError(f'unknown page kind {kind!r}; choose from {sorted(LAYOUTS)}')
    canvas = LAYOUTS[kind](Ctx(rng, fonts, TextSource(rng), crops))
    p_scan, p_photo, _ = CAPTURE.get(kind, DOC_CAPTURE)
    r = rng.random()
    capture = 'scan' if r < p_scan else 'photo' if r < p_scan + p_photo else 'clean'
    if capture == 'scan':
        canvas = geometry.scan(canvas, rng)
    elif capture == 'photo':
        canvas = geometry.photograph(canvas, rng)
    image = degrade(canvas.array(), rng, 'photo' if kind == 'scene' else capture)
    canvas.set_array(image)
    return PageSample(image=image, instances=_instances(canvas), kind=kind, capture=capture,
                      jpeg_quality=int(rng.integers(35, 96)))
