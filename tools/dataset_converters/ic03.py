#!/usr/bin/env python
"""ICDAR 2003 robust reading, scene TRAINING set (``SceneTrialTrain``) -> MMOCR 1.x JSON.

``words.xml`` lists the annotated images (``<imageName>apanar_06.08.2002/IMG_1261.JPG``) with
axis-aligned word rectangles (``<taggedRectangle x y width height offset rotation><tag>WORD``;
``rotation`` is 0 throughout and the small horizontal ``offset`` slant is ignored). Images that
``words.xml`` does not list are left out.

ICDAR 2013's test set reuses some of these photos (and other shots of the same signs), so every
image showing a word of the IC13 *test* crops (``label_all.txt``, see
``clip4str.datasets.held_out_overlap``) is left out and listed in meta.json (61 of the 250 with
the default thresholds).

Validation split: every 10th remaining image in natural name order. ``SceneTrialTest`` is a test
set: never convert it.

    python tools/dataset_converters/ic03.py /work/data/src/ic03/SceneTrialTrain --out data/ic03
"""
import argparse
import os.path as osp
import sys

from clip4str.datasets.held_out_overlap import add_held_out_args, drop_held_out
from clip4str.datasets.scene_text_export import export, read_tagged_rectangles, summary

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEFAULT_HELD_OUT = osp.join(osp.dirname(REPO), 'shared', 'data', 'IC13', 'label_all.txt')


def main(argv=None):
    p = argparse.ArgumentParser(description='ICDAR 2003 SceneTrialTrain -> MMOCR JSON')
    p.add_argument('root', help='SceneTrialTrain folder holding words.xml and the image folders')
    p.add_argument('--out', default='data/ic03', help='output folder (default: data/ic03)')
    p.add_argument('--val-every', type=int, default=10)
    add_held_out_args(p, DEFAULT_HELD_OUT)
    args = p.parse_args(argv)
    images = read_tagged_rectangles(osp.join(args.root, 'words.xml'), args.root)
    kept, overlap = drop_held_out(images, args)
    print(f'{len(overlap)} of {len(images)} images show held-out test words: left out',
          file=sys.stderr)
    meta = export(kept, args.out, args.val_every,
                  source=dict(dataset='ICDAR 2003 SceneTrialTrain', root=osp.abspath(args.root),
                              held_out=osp.abspath(args.held_out),
                              left_out_as_held_out=dict(sorted(overlap.items()))))
    print(summary(meta))


if __name__ == '__main__':
    main()
