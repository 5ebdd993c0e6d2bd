#!/usr/bin/env python
"""How often a preset reads upright words upside down, and turned words upright.

Each word crop of IIIT5K / SVT *train* (never the test splits) is placed on a white page at a
baseline angle, as given and turned 180 degrees; the preset's engine reads the known region (its
choice between candidates) and judges the one-word page's orientation (0 or 180). "Word read
turned": read turned 180 degrees from how it was placed (upright words: a wrong turn; turned
ones: found).

    python tools/eval_upside_down.py --preset photo --crops 400 --angles 0 40
"""
import argparse
import random

import cv2
import numpy as np

from clip4str.ocr.orientation import rotate_image
from clip4str.ocr.preset import build_engine, load_preset
from clip4str.ocr.rectify import TURNED


def train_crops(root, n, seed=0):
    items = []
    for labels, base in (('IIIT5K/train.tags', 'IIIT5K'), ('SVT/train_labels.txt', 'SVT')):
        for line in open(f'{root}/{labels}'):
            rel, text = line.rstrip('\n').split(' ', 1)
            items.append((f'{root}/{base}/{rel}', text))
    random.Random(seed).shuffle(items)
    return items[:n]


def on_page(crop, angle):
    """The crop on a white page, turned by ``angle`` degrees; returns page and region quad."""
    h, w = crop.shape[:2]
    side = int(2 * np.hypot(w, h)) + 20
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    m[:, 2] += (side / 2 - w / 2, side / 2 - h / 2)
    page = cv2.warpAffine(crop, m, (side, side), borderValue=(255, 255, 255))
    quad = np.hstack([np.float32([[0, 0], [w, 0], [w, h], [0, h]]), np.ones((4, 1))]) @ m.T
    return page, quad


def read_turned(reading: str, angle: float) -> bool:
    """Was a word on a page at ``angle`` read turned 180 degrees from how it was placed? A word
    steeper than 45 degrees is a vertical region, read 'down' if placed turned clockwise."""
    if abs(angle) > 45 and reading in ('down', 'up'):
        return reading != ('down' if angle > 0 else 'up')
    return reading.endswith(TURNED)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--preset', default='photo')
    ap.add_argument('--data', default='../shared/data')
    ap.add_argument('--crops', type=int, default=400)
    ap.add_argument('--skip', type=int, default=0,
                    help='use the crops after the first SKIP of the shuffled order (a part '
                         'disjoint from the one reported, e.g. to choose thresholds on)')
    ap.add_argument('--angles', type=float, nargs='+', default=[0.0, 40.0])
    args = ap.parse_args()
    engine = build_engine(load_preset(args.preset))
    items = train_crops(args.data, args.skip + args.crops)[args.skip:]
    for angle in args.angles:
        for turned in (False, True):
            word_flips = page_flips = right = 0
            for path, label in items:
                crop = cv2.imread(path)
                if turned:
                    crop = rotate_image(crop, 180)
                page, quad = on_page(crop, angle)
                word = engine.read_regions(page, [quad])[0]
                word_flips += read_turned(word.reading, angle)
                page_flips += engine._judge(page, [quad]).flip
                right += word.text.lower() == label.lower()
            n = len(items)
            print(f'{args.preset} angle {angle:g} {"turned 180" if turned else "upright":10s}: '
                  f'word read turned {100 * word_flips / n:.2f}%, page judged turned '
                  f'{100 * page_flips / n:.2f}%, word correct as cut {100 * right / n:.1f}% '
                  f'(n={n})', flush=True)


if __name__ == '__main__':
    main()
