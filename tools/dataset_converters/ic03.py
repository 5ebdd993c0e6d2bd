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
import os.path as osp

from clip4str.datasets import tagged_xml

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEFAULT_HELD_OUT = osp.join(osp.dirname(REPO), 'shared', 'data', 'IC13', 'label_all.txt')


def main(argv=None):
    tagged_xml.main(argv, dataset='ICDAR 2003 SceneTrialTrain', xml_name='words.xml',
                    default_out='data/ic03', default_held_out=DEFAULT_HELD_OUT)


if __name__ == '__main__':
    main()
