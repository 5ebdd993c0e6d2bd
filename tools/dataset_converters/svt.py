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
import os.path as osp

from clip4str.datasets import tagged_xml

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEFAULT_HELD_OUT = osp.join(osp.dirname(REPO), 'shared', 'data', 'SVT', 'test_labels.txt')


def main(argv=None):
    tagged_xml.main(argv, dataset='SVT train.xml', xml_name='train.xml',
                    default_out='data/svt', default_held_out=DEFAULT_HELD_OUT)


if __name__ == '__main__':
    main()
