#!/usr/bin/env python
"""ICDAR 2015 incidental scene text (TRAINING split only) -> MMOCR 1.x JSON.

Two sources, one ground truth (``gt_img_N.txt``: ``x1,y1,...,x4,y4,TEXT`` per word, ``###`` for
unreadable, points clockwise from the top-left in reading direction):

* ``--images DIR`` (``img_N.jpg``, 1280x720): textdet JSON of the images + rectified word crops.
* ``--word-crops DIR``: the official word-recognition training set (``word_N.png``, ``gt.txt``,
  ``coords.txt`` = the word's quad inside its crop): crops rectified by those quads, textrecog
  JSON only. ``word_N`` is the N-th readable word of the images in order (img_1's words first),
  so each crop goes to the split of its source image.

Validation split: every 10th training image in natural order (img_10, img_20, ..., img_1000).
Never point this at the test set (``Challenge4_Test_Task1_GT``, ch4_test_images): it is the
project's held-out acceptance data.

    python tools/dataset_converters/ic15.py --gts /work/data/src/ic15/End2End/TrainingSet/Gts \\
        --word-crops ../shared/data/IC15_train/TrainingSet --out data/ic15_words
    python tools/dataset_converters/ic15.py --gts .../Gts --images .../ch4_training_images \\
        --out data/ic15
"""
import argparse
import glob
import os.path as osp
import re
import sys
from typing import Dict, List, Tuple

import numpy as np

from clip4str.datasets.scene_text_export import (UNREADABLE, SceneImage, Word, export,
                                                 natural_key, read_quad_lines, summary,
                                                 validation_names)

IC15_SIZE = '1280x720'


def read_gt(path: str) -> List[Word]:
    """Words of one ``gt_img_N.txt``; ``###`` (or empty) text marks an unreadable word."""
    return [Word(quad.astype(np.float64), text, ignore=text == UNREADABLE or not text.strip())
            for quad, text in read_quad_lines(path)]


def read_gts(gt_dir: str) -> Dict[str, List[Word]]:
    """{'img_N': words} for every gt_img_N.txt in ``gt_dir``."""
    files = glob.glob(osp.join(gt_dir, 'gt_*.txt'))
    if not files:
        raise SystemExit(f'error: no gt_*.txt under {gt_dir}')
    return {osp.basename(f)[3:-4]: read_gt(f) for f in files}


def image_samples(gts: Dict[str, List[Word]], image_dir: str) -> List[SceneImage]:
    out, missing = [], []
    for key in sorted(gts, key=natural_key):
        path = osp.join(image_dir, key + '.jpg')
        if osp.isfile(path):
            out.append(SceneImage(path, gts[key]))
        else:
            missing.append(key)
    if missing:
        print(f'warning: {len(missing)} of {len(gts)} GT files have no image in {image_dir} '
              f'(e.g. {missing[0]}.jpg): left out', file=sys.stderr)
    return out


def _read_word_list(path: str, pattern: str) -> Dict[str, str]:
    out = {}
    with open(path, encoding='utf-8-sig', errors='replace') as f:
        for line in f:
            m = re.match(pattern, line.rstrip('\r\n'))
            if m:
                out[m.group(1)] = m.group(2)
    return out


def word_crop_samples(gts: Dict[str, List[Word]], crop_dir: str) -> List[SceneImage]:
    """Word crops with their quad (coords.txt) and text (gt.txt), grouped by source image."""
    texts = {k: v.replace('\\"', '"') for k, v in
             _read_word_list(osp.join(crop_dir, 'gt.txt'), r'(word_\d+)\.png, "(.*)"\s*$').items()}
    coords = _read_word_list(osp.join(crop_dir, 'coords.txt'), r'(word_\d+)\.png,(.*)$')
    # word_N is the N-th readable word over img_1, img_2, ... in GT line order
    sources: List[Tuple[str, str]] = [(key, w.text) for key in sorted(gts, key=natural_key)
                                      for w in gts[key] if not w.ignore]
    out, mismatched = [], 0
    for name in sorted(texts, key=natural_key):
        n = int(name.split('_')[1])
        if n > len(sources) or name not in coords:
            print(f'warning: {name}: no source word or no coords, left out', file=sys.stderr)
            continue
        src, src_text = sources[n - 1]
        if src_text != texts[name]:
            mismatched += 1
        pts = np.array([float(v) for v in coords[name].split(',')[:8]], np.float64).reshape(4, 2)
        out.append(SceneImage(osp.join(crop_dir, name + '.png'), [Word(pts, texts[name])],
                              name=name, group=src))
    if mismatched:
        print(f'warning: {mismatched} crops have a text different from their assumed source '
              f'word: are the GTs the training set?', file=sys.stderr)
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description='ICDAR 2015 training set -> MMOCR JSON')
    p.add_argument('--gts', required=True, help='folder of gt_img_N.txt (training set)')
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument('--images', help='folder of img_N.jpg (ch4_training_images)')
    src.add_argument('--word-crops', help='official word-recognition training folder')
    p.add_argument('--out', default='data/ic15', help='output folder (default: data/ic15)')
    p.add_argument('--val-every', type=int, default=10)
    args = p.parse_args(argv)
    gts = read_gts(args.gts)
    if args.images:
        samples = image_samples(gts, args.images)
        meta = export(samples, args.out, args.val_every,
                      source=dict(dataset='ICDAR 2015 training', images=args.images, gts=args.gts))
        if set(meta['image_sizes']) - {IC15_SIZE}:
            print(f"warning: not all images are {IC15_SIZE} (most common sizes: "
                  f"{meta['image_sizes']}): are these IC15 images?", file=sys.stderr)
    else:
        # split by source image, chosen over all images as in --images mode
        meta = export(word_crop_samples(gts, args.word_crops), args.out, args.val_every,
                      source=dict(dataset='ICDAR 2015 word recognition training',
                                  word_crops=args.word_crops, gts=args.gts), det=False,
                      val_keys=validation_names(gts, args.val_every))
    print(summary(meta))


if __name__ == '__main__':
    main()
