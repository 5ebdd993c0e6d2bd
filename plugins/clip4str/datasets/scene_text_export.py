"""Write annotated scene images as MMOCR 1.x JSON: a TextDetDataset of the images (read in place)
and a TextRecogDataset of rectified word crops. Shared by ``tools/dataset_converters/*``.

A converter parses its own annotation format into :class:`SceneImage` records and calls
:func:`export`. Layout of ``out_dir``::

    textdet_train.json  textdet_val.json     images by absolute path, word polygons + text
    textrecog_train.json textrecog_val.json  one crop per readable word
    crops/train/*.png  crops/val/*.png       the crops (absolute paths in the JSON)
    meta.json                                counts and the validation image names

The validation split is fixed: every ``val_every``-th image in natural name order
(img_2 < img_10), see :func:`validation_names`. Crops are cut the way the OCR pipeline cuts
detections (``clip4str.ocr.rectify.warp_region``: the same margin and height cap), following the
annotated point order, so the first edge is the top of the text in reading direction.
"""
import json
import os
import os.path as osp
import re
import shutil
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

import cv2
import numpy as np

from clip4str.ocr.polygon_edges import region_size
from clip4str.ocr.rectify import RectifyConfig, warp_region

TEXTDET_METAINFO = {'dataset_type': 'TextDetDataset', 'task_name': 'textdet',
                    'category': [{'id': 0, 'name': 'text'}]}
TEXTRECOG_METAINFO = {'dataset_type': 'TextRecogDataset', 'task_name': 'textrecog'}
UNREADABLE = '###'


@dataclass
class Word:
    """One annotated word: ``points`` (N, 2) in reading order (top edge first, clockwise)."""
    points: np.ndarray
    text: str
    ignore: bool = False


@dataclass
class SceneImage:
    path: str
    words: List[Word] = field(default_factory=list)
    name: Optional[str] = None   # crop naming key; defaults to the file stem
    group: Optional[str] = None  # the split follows this (e.g. a word crop's source image)

    @property
    def key(self) -> str:
        return self.name or osp.splitext(osp.basename(self.path))[0]

    @property
    def split_key(self) -> str:
        return self.group or self.key


def natural_key(name: str):
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r'(\d+)', name)]


def validation_names(names: Iterable[str], val_every: int = 10) -> Set[str]:
    """Every ``val_every``-th name (the 10th, 20th, ...) in natural sort order."""
    ordered = sorted(set(names), key=natural_key)
    return {n for i, n in enumerate(ordered) if i % val_every == val_every - 1}


def rect_points(x: float, y: float, w: float, h: float) -> np.ndarray:
    return np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], np.float64)


def read_quad_lines(path: str) -> List[Tuple[np.ndarray, str]]:
    """(quad (4, 2) float32, text) per line of an ICDAR 2015 / SROIE style file:
    ``x1,y1,x2,y2,x3,y3,x4,y4,TEXT`` (TEXT may hold commas; a BOM is skipped). Malformed lines
    are reported on stderr and skipped."""
    out = []
    with open(path, encoding='utf-8-sig', errors='replace') as f:
        for n, row in enumerate(f, 1):
            row = row.rstrip('\r\n')
            if not row.strip():
                continue
            parts = row.split(',', 8)
            try:
                quad = np.array([float(v) for v in parts[:8]], np.float32).reshape(4, 2)
            except ValueError:
                print(f'warning: {path}:{n}: not "x1,y1,...,x4,y4,TEXT", skipped',
                      file=sys.stderr)
                continue
            out.append((quad, parts[8] if len(parts) > 8 else ''))
    return out


def det_instance(word: Word, width: int, height: int) -> dict:
    """MMOCR TextDetDataset instance; points are clipped to the image."""
    pts = np.asarray(word.points, np.float64).reshape(-1, 2)
    pts = np.stack([pts[:, 0].clip(0, width - 1), pts[:, 1].clip(0, height - 1)], 1)
    return dict(polygon=[round(float(v), 1) for v in pts.reshape(-1)],
                bbox=[round(float(pts[:, 0].min()), 1), round(float(pts[:, 1].min()), 1),
                      round(float(pts[:, 0].max()), 1), round(float(pts[:, 1].max()), 1)],
                bbox_label=0, ignore=bool(word.ignore), text=word.text)


def word_crop(img: np.ndarray, points: np.ndarray,
              cfg: RectifyConfig = RectifyConfig()) -> Optional[np.ndarray]:
    """Upright crop of a word: a quad by its annotated order, longer polygons as top chain then
    bottom chain (Total-Text / CTW1500 layout). None when thinner than ``cfg.min_size``."""
    pts = np.asarray(points, np.float64).reshape(-1, 2)
    if len(pts) < 4 or len(pts) % 2:
        return None
    n = len(pts) // 2
    top, bottom = pts[:n], pts[n:][::-1]
    if min(region_size(top, bottom)) < cfg.min_size:
        return None
    return warp_region(img, top, bottom, cfg.pad, cfg.max_height)


def _atomic_json(path: str, obj) -> None:
    tmp = path + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        json.dump(obj, f, ensure_ascii=False)
    os.replace(tmp, path)


def export(images: Sequence[SceneImage], out_dir: str, val_every: int = 10,
           source: Optional[dict] = None, det: bool = True, crops: bool = True,
           val_keys: Optional[Set[str]] = None, cfg: RectifyConfig = RectifyConfig()) -> Dict:
    """Write the det and/or recog JSON files for ``images`` into ``out_dir``; returns the
    counts (also written to meta.json). ``val_keys``: the validation split keys, when they are
    not simply every ``val_every``-th of ``images`` (e.g. chosen over all images of a dataset).

    An image that cannot be read is reported on stderr and left out; the batch goes on.
    Existing crops are replaced, so a rerun gives the same output.
    """
    out_dir = osp.abspath(out_dir)
    val = val_keys if val_keys is not None else validation_names(
        (im.split_key for im in images), val_every)
    entries = {'train': [], 'val': []}
    rec = {'train': [], 'val': []}
    skipped, tiny, sizes = [], 0, Counter()
    if crops:
        shutil.rmtree(osp.join(out_dir, 'crops'), ignore_errors=True)
        for split in entries:
            os.makedirs(osp.join(out_dir, 'crops', split), exist_ok=True)
    os.makedirs(out_dir, exist_ok=True)
    for im in sorted(images, key=lambda s: natural_key(s.key)):
        split = 'val' if im.split_key in val else 'train'
        img = cv2.imread(im.path, cv2.IMREAD_COLOR)
        if img is None:
            print(f'warning: {im.path}: cannot read the image, left out', file=sys.stderr)
            skipped.append(im.key)
            continue
        h, w = img.shape[:2]
        sizes[f'{w}x{h}'] += 1
        entries[split].append(dict(img_path=osp.abspath(im.path), height=h, width=w,
                               instances=[det_instance(wd, w, h) for wd in im.words]))
        if not crops:
            continue
        for i, wd in enumerate(im.words):
            if wd.ignore or not wd.text.strip():
                continue
            crop = word_crop(img, wd.points, cfg)
            if crop is None:
                tiny += 1
                continue
            path = osp.join(out_dir, 'crops', split, f'{im.key}_{i}.png')
            cv2.imwrite(path, crop)
            rec[split].append(dict(img_path=path, instances=[dict(text=wd.text)]))
    for split in entries:
        if det:
            _atomic_json(osp.join(out_dir, f'textdet_{split}.json'),
                         dict(metainfo=TEXTDET_METAINFO, data_list=entries[split]))
        if crops:
            _atomic_json(osp.join(out_dir, f'textrecog_{split}.json'),
                         dict(metainfo=TEXTRECOG_METAINFO, data_list=rec[split]))
    counts = {split: dict(
        images=len(entries[split]),
        instances=sum(len(d['instances']) for d in entries[split]),
        ignored=sum(i['ignore'] for d in entries[split] for i in d['instances']),
        crops=len(rec[split])) for split in entries}
    meta = dict(source=source or {}, val_rule=f'every {val_every}th image in natural name order',
                val_images=sorted(val, key=natural_key), counts=counts,
                image_sizes=dict(sizes.most_common(5)), distinct_image_sizes=len(sizes),
                unreadable_images=skipped,
                words_too_thin_to_crop=tiny)
    _atomic_json(osp.join(out_dir, 'meta.json'), meta)
    return meta


def summary(meta: Dict) -> str:
    c = meta['counts']
    return '; '.join(f"{s}: {c[s]['images']} images, {c[s]['instances']} instances "
                     f"({c[s]['ignored']} ignored), {c[s]['crops']} crops"
                     for s in ('train', 'val'))
