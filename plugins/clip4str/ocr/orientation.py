"""Page orientation: is the page upright, or turned by 90, 180 or 270 degrees?

The recognizer is about as confident on upside-down words as on upright ones (it reads "do" for
"op", "80Z" for "208"), so one word cannot tell; a page can. A sample of the page's longest
regions is read as cut and turned 180 degrees: the mean gain in per-character log-probability
decides between 0 and 180 (on 1200 IIIT5K / SVT train crops, a mean over 4 words above 0.1 never
chose the wrong way for upright words and found 95% of turned ones; over 8 words, 99%).

A page turned sideways is different: the detector, trained on horizontal text, finds letters or
fragments, which read as one- or two-character junk. When few of the sampled readings are
confident words, the page is also detected turned by 90 degrees, and the frame whose sample reads
better wins.
"""
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

import cv2
import numpy as np

from .polygon_edges import as_points, region_size, top_bottom_edges
from .rectify import warp_region

Reading = Tuple[str, List[float]]

# clockwise quarter turns -> cv2.rotate codes
_ROTATE = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


@dataclass
class OrientationConfig:
    enabled: bool = False        # presets turn it on; off keeps the engine a plain pipeline
    sample: int = 12             # regions read both ways (the longest horizontal ones)
    flip_gain: float = 0.1       # mean log-prob gain of turned readings that turns the page 180
    flip_agree: float = 0.75     # ... and the share of the sample's words that must gain
    sideways: bool = True        # also try 90 / 270 when the sample reads badly
    sideways_below: float = 0.5  # ... i.e. when fewer than this share of it are good words
    sideways_gain: float = 0.25  # the turned frame must have this much more good words,
    sideways_min_good: int = 2   # ... at least this many, and a share of sideways_below


def rotate_image(img: np.ndarray, degrees: int) -> np.ndarray:
    """``img`` turned clockwise by 0, 90, 180 or 270 degrees."""
    return img if degrees % 360 == 0 else cv2.rotate(img, _ROTATE[degrees % 360])


def rotate_points(pts: np.ndarray, degrees: int, width: int, height: int) -> np.ndarray:
    """Points of a ``width`` x ``height`` image in the frame of the image turned clockwise."""
    pts = np.asarray(pts, float).reshape(-1, 2)
    x, y = pts[:, 0], pts[:, 1]
    d = degrees % 360
    if d == 90:
        return np.stack([height - y, x], 1)
    if d == 180:
        return np.stack([width - x, height - y], 1)
    if d == 270:
        return np.stack([y, width - x], 1)
    return pts.copy()


def unrotate_points(pts: np.ndarray, degrees: int, width: int, height: int) -> np.ndarray:
    """Inverse of :func:`rotate_points` (``width`` x ``height``: the original image's size)."""
    d = degrees % 360
    turned_w, turned_h = (height, width) if d in (90, 270) else (width, height)
    return rotate_points(pts, (360 - d) % 360, turned_w, turned_h)


def log_prob(reading: Reading) -> float:
    """Mean per-character log-probability of a reading; an empty reading scores very low."""
    text, scores = reading
    if not text or not len(scores):
        return float(np.log(1e-4))
    return float(np.mean(np.log(np.clip(scores, 1e-4, 1.0))))


def is_good_word(reading: Reading, min_len: int = 3, min_prob: float = 0.8) -> bool:
    """A confident reading of several letters or digits: what upright text gives."""
    text = ''.join(c for c in reading[0] if c.isalnum())
    return len(text) >= min_len and log_prob(reading) >= np.log(min_prob)


def sample_crops(img: np.ndarray, polygons: Sequence[np.ndarray], k: int,
                 max_height: int = 64) -> List[np.ndarray]:
    """Upright crops of the ``k`` longest horizontal regions (fewer on sparse pages)."""
    sized = []
    for poly in polygons:
        try:
            top, bottom = top_bottom_edges(as_points(poly))
        except ValueError:
            continue
        length, height = region_size(top, bottom)
        if height >= 2 and length >= height:
            sized.append((length, top, bottom))
    sized.sort(key=lambda t: -t[0])
    return [warp_region(img, top, bottom, 0.08, max_height) for _, top, bottom in sized[:k]]


@dataclass
class SampleVerdict:
    flip: bool            # the 180-degree readings are clearly better
    good_share: float     # share of good words in the better of the two readings
    good: int = 0         # their number


def _needed_gain(n: int, cfg: OrientationConfig) -> float:
    # fewer words, noisier mean: one word needs twice the gain (1.3% of upright single crops
    # turned at 0.1, 0.2% at 0.2)
    return cfg.flip_gain * np.sqrt(4 / min(n, 4))


def could_flip(upright: Sequence[Reading], cfg: OrientationConfig) -> bool:
    """Whether any turned readings could turn the page: a reading's log-probability is at most
    0, so the mean gain is at most the upright readings' mean loss. A sample read this surely
    upright needs no turned reading (the verdict is the same without it)."""
    return bool(upright) and -np.mean([log_prob(u) for u in upright]) > _needed_gain(
        len(upright), cfg)


def judge_sample(upright: Sequence[Reading], turned: Optional[Sequence[Reading]],
                 cfg: OrientationConfig) -> SampleVerdict:
    """Compare readings of the same crops as cut and turned 180 degrees (``turned`` None: not
    read, as :func:`could_flip` found the upright sample too sure to be turned)."""
    if not upright:
        return SampleVerdict(False, 0.0)
    if turned is None:
        if could_flip(upright, cfg):
            raise ValueError('the turned readings are needed: could_flip(upright) is true')
        good = [is_good_word(r) for r in upright]
        return SampleVerdict(False, float(np.mean(good)), int(sum(good)))
    gains = np.array([log_prob(t) - log_prob(u) for u, t in zip(upright, turned)])
    # Scenes read poorly either way: there, most words must agree and the turned readings
    # must hold as many good words (2 of MMOCR's 10 det toy scenes were turned on the mean
    # alone)
    flip = bool(gains.mean() > _needed_gain(len(upright), cfg)
                and np.mean(gains > 0) >= cfg.flip_agree
                and sum(map(is_good_word, turned)) >= sum(map(is_good_word, upright)))
    best = turned if flip else upright
    good = [is_good_word(r) for r in best]
    return SampleVerdict(flip, float(np.mean(good)), int(sum(good)))
