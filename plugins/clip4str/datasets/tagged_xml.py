"""ICDAR 2003 style XML scene sets (IC03 ``words.xml``, SVT ``train.xml``) -> MMOCR JSON: the
reader and the command line shared by ``tools/dataset_converters/{ic03,svt}.py``.

The XML holds ``<image><imageName>..</imageName>`` with axis-aligned words
``<taggedRectangle x y width height><tag>WORD</tag>``. Training images showing a word of the
held-out test crops are left out (:mod:`.held_out_overlap`) and listed in meta.json.
"""
import argparse
import os.path as osp
import sys
import xml.etree.ElementTree as ET
from typing import List, Optional, Sequence

from .held_out_overlap import add_held_out_args, drop_held_out
from .scene_text_export import SceneImage, Word, export, rect_points, summary


def read_tagged_rectangles(xml_path: str, image_root: str) -> List[SceneImage]:
    """Images and words of the XML. Image keys are the image paths without extension,
    '/' -> '_'."""
    if not osp.isfile(xml_path):
        raise SystemExit(f'error: {xml_path} not found')
    out = []
    for image in ET.parse(xml_path).getroot().iter('image'):
        name = image.findtext('imageName', '').strip()
        words = []
        for rect in image.iter('taggedRectangle'):
            try:
                x, y, w, h = (float(rect.get(k)) for k in ('x', 'y', 'width', 'height'))
            except (TypeError, ValueError):
                print(f'warning: {xml_path}: {name}: a rectangle without x/y/width/height, '
                      f'skipped', file=sys.stderr)
                continue
            words.append(Word(rect_points(x, y, w, h), (rect.findtext('tag') or '').strip()))
        out.append(SceneImage(osp.join(image_root, name), words,
                              name=osp.splitext(name)[0].replace('/', '_')))
    return out


def main(argv: Optional[Sequence[str]], *, dataset: str, xml_name: str, default_out: str,
         default_held_out: str) -> None:
    """``ROOT [--out DIR] [--val-every N] [--held-out LABELS] ...`` for one XML set."""
    p = argparse.ArgumentParser(description=f'{dataset} -> MMOCR JSON')
    p.add_argument('root', help=f'folder holding {xml_name} and the images it names')
    p.add_argument('--out', default=default_out, help=f'output folder (default: {default_out})')
    p.add_argument('--val-every', type=int, default=10)
    add_held_out_args(p, default_held_out)
    args = p.parse_args(argv)
    images = read_tagged_rectangles(osp.join(args.root, xml_name), args.root)
    kept, overlap = drop_held_out(images, args)
    print(f'{len(overlap)} of {len(images)} images show held-out test words: left out',
          file=sys.stderr)
    meta = export(kept, args.out, args.val_every,
                  source=dict(dataset=dataset, root=osp.abspath(args.root),
                              held_out=osp.abspath(args.held_out),
                              left_out_as_held_out=dict(sorted(overlap.items()))))
    print(summary(meta))
