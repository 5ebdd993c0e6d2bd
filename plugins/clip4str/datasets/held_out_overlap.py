"""Find the images of a training set that show words of a held-out test set of word crops.

Benchmarks reuse photos (ICDAR 2013's test set holds ICDAR 2003 training photos) or photograph the
same sign twice (SVT): such training images must not be trained on. A training word is matched to
the test crops with the same text (case-insensitive), two ways: the test crop is searched for in
the image around the word's box (template matching, +-15% scale: the same photo), and the word's
rectified crop is correlated with the test crop at 96x32 (the same sign in another photo).
"""
import os.path as osp
from collections import defaultdict
from typing import Dict, List

import cv2
import numpy as np

from .scene_text_export import SceneImage, word_crop


def read_held_out(label_file: str) -> Dict[str, List[np.ndarray]]:
    """Lower-cased text -> grey test crops, from ``relpath LABEL`` lines (relpath relative to
    the label file's folder)."""
    crops = defaultdict(list)
    root = osp.dirname(label_file)
    with open(label_file, encoding='utf-8-sig') as f:
        for line in f:
            rel, _, label = line.rstrip('\r\n').partition(' ')
            crop = cv2.imread(osp.join(root, rel), cv2.IMREAD_GRAYSCALE)
            if crop is None:
                raise SystemExit(f'error: {label_file}: cannot read {rel}')
            crops[label.lower()].append(crop)
    return crops


def best_match(gray: np.ndarray, box, crops: List[np.ndarray]) -> float:
    """Highest correlation of any crop, resized to the box (+-15%), shifted around the box."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    region = gray[int(max(0, y0 - 0.3 * h)):int(y1 + 0.3 * h) + 1,
                  int(max(0, x0 - 0.3 * w)):int(x1 + 0.3 * w) + 1]
    best = -1.0
    for crop in crops:
        for scale in (0.85, 1.0, 1.15):
            tw, th = int(w * scale), int(h * scale)
            if tw < 2 or th < 2 or tw > region.shape[1] or th > region.shape[0]:
                continue
            score = cv2.matchTemplate(region, cv2.resize(crop, (tw, th)),
                                      cv2.TM_CCOEFF_NORMED).max()
            best = max(best, float(score))
    return best


def _normalised(gray: np.ndarray) -> np.ndarray:
    g = cv2.resize(gray, (96, 32)).astype(np.float32)
    g -= g.mean()
    return g / (np.linalg.norm(g) + 1e-6)


def held_out_overlap(images: List[SceneImage], held_out: Dict[str, List[np.ndarray]],
                     threshold: float = 0.8, crop_threshold: float = 0.7) -> Dict[str, str]:
    """{image key: why} for the images showing a held-out test word: the test crop is found in
    the image around the word (``best_match`` >= threshold), or the word's rectified crop and the
    test crop correlate at 96x32 (>= crop_threshold)."""
    hits = {}
    normalised = {}
    for im in images:
        words = [w for w in im.words if w.text.lower() in held_out]
        gray = cv2.imread(im.path, cv2.IMREAD_GRAYSCALE) if words else None
        if gray is None:
            continue
        for w in words:
            tests = held_out[w.text.lower()]
            score = best_match(gray, (*w.points.min(0), *w.points.max(0)), tests)
            if score >= threshold:
                hits[im.key] = f'{w.text!r} found in place ({score:.2f})'
                break
            crop = word_crop(gray, w.points)
            if crop is None:
                continue
            if w.text.lower() not in normalised:
                normalised[w.text.lower()] = [_normalised(t) for t in tests]
            corr = max(float((_normalised(crop) * t).sum()) for t in normalised[w.text.lower()])
            if corr >= crop_threshold:
                hits[im.key] = f'{w.text!r} crop correlates ({corr:.2f})'
                break
    return hits


def add_held_out_args(parser, default_label_file: str) -> None:
    """The converters' options for :func:`drop_held_out`."""
    parser.add_argument('--held-out', default=default_label_file,
                        help='test word crops label file (relpath LABEL) whose images must be '
                             f'left out (default: {default_label_file})')
    parser.add_argument('--overlap-threshold', type=float, default=0.8,
                        help='template-match score from which an image shows a test word')
    parser.add_argument('--crop-threshold', type=float, default=0.7,
                        help='crop correlation from which a word is the same sign as a test word')


def drop_held_out(images: List[SceneImage], args):
    """(images without held-out words, {left-out key: why}); exits if the label file is missing."""
    if not osp.isfile(args.held_out):
        raise SystemExit(f'error: {args.held_out} not found: the held-out test crops are needed '
                         f'to leave out the training images that show them (--held-out)')
    overlap = held_out_overlap(images, read_held_out(args.held_out), args.overlap_threshold,
                               args.crop_threshold)
    return [im for im in images if im.key not in overlap], overlap
