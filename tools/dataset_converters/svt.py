#!/usr/bin/env python
"""Street View Text (TRAINING split only: ``train.xml``) full images -> MMOCR 1.x JSON.

``train.xml`` lists 100 images (``<imageName>img/14_03.jpg``) with axis-aligned word rectangles
(``<taggedRectangle x y width height><tag>WORD``), upper-case words. Only the words of the image's
lexicon are boxed: other text in the image is NOT annotated, so a detector trained on these
images learns to miss it (fine for crops, weak for detection).

``test.xml`` is the held-out SVT benchmark: never convert it. Street View shows the same sign in
several views, so training images showing a word of the SVT test crops are left out (see
``clip4str.datasets.held_out_overlap``) and listed in meta.json.

Validation split: every 10th remaining image in natural name order.

    python tools/dataset_converters/svt.py /work/data/src/svt --out data/svt
"""
import argparse
import os.path as osp
import sys

from clip4str.datasets.held_out_overlap import add_held_out_args, drop_held_out
from clip4str.datasets.scene_text_export import export, read_tagged_rectangles, summary

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEFAULT_HELD_OUT = osp.join(osp.dirname(REPO), 'shared', 'data', 'SVT', 'test_labels.txt')


def main(argv=None):
    p = argparse.ArgumentParser(description='SVT training images -> MMOCR JSON')
    p.add_argument('root', help='SVT folder holding train.xml and img/')
    p.add_argument('--out', default='data/svt', help='output folder (default: data/svt)')
    p.add_argument('--val-every', type=int, default=10)
    add_held_out_args(p, DEFAULT_HELD_OUT)
    args = p.parse_args(argv)
    images = read_tagged_rectangles(osp.join(args.root, 'train.xml'), args.root)
    kept, overlap = drop_held_out(images, args)
    print(f'{len(overlap)} of {len(images)} images show held-out test words: left out',
          file=sys.stderr)
    meta = export(kept, args.out, args.val_every,
                  source=dict(dataset='SVT train.xml', root=osp.abspath(args.root),
                              held_out=osp.abspath(args.held_out),
                              left_out_as_held_out=dict(sorted(overlap.items()))))
    print(summary(meta))


if __name__ == '__main__':
    main()
