#!/usr/bin/env python
"""Convert SROIE receipts (line quads + text) into WORD polygons, as MMOCR TextDetDatasets.

SROIE's ``bbox/NNN.csv`` gives one text line per row: ``x1,y1,...,x4,y4,TEXT`` (TEXT may hold
commas). A word is a maximal run of non-space characters. Each line quad is rectified, binarised
(Otsu) and its column ink profile searched for the blank gaps between words: the gaps are matched,
in order, to where the spaces fall if every character were equally wide (receipts are mostly
monospace), preferring wide gaps. Lines with too few gaps fall back to those proportional cuts.

    python tools/dataset_converters/sroie_words.py \
        ../shared/data/SROIE_train_subset/training_data data/sroie_words

writes ``textdet_train.json`` and ``textdet_val.json`` (receipts in --val-ids) with absolute image
paths (the images are read in place, never copied) and the word text in each instance.
"""
import argparse
import glob
import json
import os
import os.path as osp
import sys
from typing import List, Optional, Sequence, Tuple

import cv2
import numpy as np

from clip4str.datasets.scene_text_export import read_quad_lines
from clip4str.ocr.word_split import blank_gaps, ink_mask

DEFAULT_VAL_IDS = ('003', '010', '016', '024', '031')  # one of them (010) a 4961x7016 scan
METAINFO = {'dataset_type': 'TextDetDataset', 'task_name': 'textdet',
            'category': [{'id': 0, 'name': 'text'}]}


# ------------------------------------------------------------------------------ reading
read_lines = read_quad_lines  # (quad 4x2 float32, text) per line; malformed rows skipped


# ------------------------------------------------------------------------------ splitting
def _rectify(gray: np.ndarray, quad: np.ndarray):
    w = int(round(max(np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[2] - quad[3]))))
    h = int(round(max(np.linalg.norm(quad[3] - quad[0]), np.linalg.norm(quad[2] - quad[1]))))
    w, h = max(w, 2), max(h, 2)
    rect = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    m = cv2.getPerspectiveTransform(quad.astype(np.float32), rect)
    crop = cv2.warpPerspective(gray, m, (w, h), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)
    return crop, m


def expected_cuts(text: str, left: float, right: float) -> List[float]:
    """x of each inter-word space if all characters of ``text`` were equally wide."""
    t = text.strip()
    cw = (right - left) / max(len(t), 1)
    cuts, i = [], 0
    while i < len(t):
        if t[i].isspace():
            j = i
            while j < len(t) and t[j].isspace():
                j += 1
            cuts.append(left + cw * (i + j) / 2)
            i = j
        else:
            i += 1
    return cuts


def match_gaps(gaps: Sequence[Tuple[int, int]], cuts: Sequence[float], char_w: float,
               width_bonus: float = 1.0) -> Optional[List[int]]:
    """Choose one gap per expected cut, in order, minimising distance minus a wide-gap bonus.

    Returns the chosen gap indices, or None when there are fewer gaps than cuts.
    """
    k, m = len(cuts), len(gaps)
    if m < k:
        return None
    centers = np.array([(a + b) / 2 for a, b in gaps], np.float64)
    widths = np.array([b - a for a, b in gaps], np.float64)
    cost = (np.abs(centers[None, :] - np.asarray(cuts)[:, None]) / max(char_w, 1e-6)
            - width_bonus * np.minimum(widths / max(char_w, 1e-6), 1.5)[None, :])
    best = np.full((k, m), np.inf)
    arg = np.zeros((k, m), np.int64)
    best[0] = cost[0]
    for i in range(1, k):
        run_min, run_arg = np.inf, -1
        for j in range(m):
            if j > 0 and best[i - 1, j - 1] < run_min:
                run_min, run_arg = best[i - 1, j - 1], j - 1
            if run_arg >= 0:
                best[i, j] = run_min + cost[i, j]
                arg[i, j] = run_arg
    j = int(np.argmin(best[k - 1]))
    if not np.isfinite(best[k - 1, j]):
        return None
    chosen = [j]
    for i in range(k - 1, 0, -1):
        j = int(arg[i, j])
        chosen.append(j)
    return chosen[::-1]


def split_line(gray: np.ndarray, quad: np.ndarray, text: str,
               min_space: float = 0.45) -> Tuple[List[str], List[np.ndarray], bool]:
    """Words, their polygons (4x2, image pixels) and whether the ink profile was used (False:
    proportional fallback) for one line.

    A space in the text whose matched ink gap is narrower than ``min_space`` character widths is
    not visible on the receipt (SROIE writes '19:21' as '19 : 21'), so its words are merged.
    """
    words = text.split()
    if len(words) <= 1:
        return words, ([quad.astype(np.float32)] if words else []), True
    crop, m = _rectify(gray, quad)
    h, w = crop.shape
    ink = ink_mask(crop)[int(h * 0.1):max(int(h * 0.9), int(h * 0.1) + 1)]
    profile = ink.sum(0).astype(np.float64)
    min_ink = max(0.0, 0.02 * ink.shape[0])
    inked = np.flatnonzero(profile > min_ink)
    left, right = (inked[0], inked[-1] + 1) if len(inked) else (0, w)
    cuts = expected_cuts(text, left, right)
    char_w = (right - left) / max(len(text.strip()), 1)
    gaps = blank_gaps(profile, min_ink)
    chosen = match_gaps(gaps, cuts, char_w)
    used_profile = chosen is not None
    if used_profile:
        bounds = []
        merged = [words[0]]
        for word, j in zip(words[1:], chosen):
            if gaps[j][1] - gaps[j][0] < min_space * char_w:
                merged[-1] += word  # no visible space here
            else:
                bounds.append(gaps[j])
                merged.append(word)
        words = merged
    else:
        bounds = [(c, c) for c in cuts]
    pad = max(1.0, 0.1 * h)
    edges = [(left, left)] + list(bounds) + [(right, right)]  # word i: edges[i] .. edges[i+1]
    polys = []
    for i in range(len(words)):
        x0, x1 = edges[i][1], edges[i + 1][0]
        if used_profile:  # trim to the ink inside this word's span
            seg = np.flatnonzero(profile[int(x0):int(x1)] > min_ink)
            if len(seg):
                x0, x1 = x0 + seg[0], x0 + seg[-1] + 1
        # pad, but never past the middle of the neighbouring gaps
        lo = 0 if i == 0 else (edges[i][0] + edges[i][1]) / 2
        hi = w if i == len(words) - 1 else (edges[i + 1][0] + edges[i + 1][1]) / 2
        x0, x1 = max(lo, x0 - pad), min(hi, x1 + pad)
        rect = np.array([[[x0, 0], [x1, 0], [x1, h], [x0, h]]], np.float64)
        polys.append(cv2.perspectiveTransform(rect, np.linalg.inv(m))[0].astype(np.float32))
    return words, polys, used_profile


# ------------------------------------------------------------------------------ dataset
def convert_receipt(img_path: str, csv_path: str) -> Tuple[dict, dict]:
    gray = cv2.imread(img_path, cv2.IMREAD_GRAYSCALE)
    if gray is None:
        raise ValueError(f'cannot read image {img_path}')
    h, w = gray.shape
    instances = []
    stats = dict(lines=0, split_lines=0, fallback_lines=0, words=0, merged=0)
    for quad, text in read_lines(csv_path):
        words, polys, used = split_line(gray, quad, text)
        stats['lines'] += 1
        stats['merged'] += len(text.split()) - len(words)
        if len(text.split()) > 1:
            stats['split_lines' if used else 'fallback_lines'] += 1
        for word, poly in zip(words, polys):
            poly = np.stack([poly[:, 0].clip(0, w - 1), poly[:, 1].clip(0, h - 1)], 1)
            instances.append(dict(
                polygon=[round(float(v), 1) for v in poly.reshape(-1)],
                bbox=[round(float(poly[:, 0].min()), 1), round(float(poly[:, 1].min()), 1),
                      round(float(poly[:, 0].max()), 1), round(float(poly[:, 1].max()), 1)],
                bbox_label=0, ignore=False, text=word))
        stats['words'] += len(words)
    entry = dict(img_path=osp.abspath(img_path), height=h, width=w, instances=instances)
    return entry, stats


def convert(root: str, out_dir: str, val_ids: Sequence[str] = DEFAULT_VAL_IDS) -> dict:
    images = sorted(glob.glob(osp.join(root, 'images', '*.jpg')))
    if not images:
        raise SystemExit(f'error: no images/*.jpg under {root} (expected SROIE training_data)')
    os.makedirs(out_dir, exist_ok=True)
    splits = {'train': [], 'val': []}
    totals = dict(lines=0, split_lines=0, fallback_lines=0, words=0, merged=0, failed=[])
    for img in images:
        rid = osp.splitext(osp.basename(img))[0]
        csv_path = osp.join(root, 'bbox', rid + '.csv')
        if not osp.isfile(csv_path):
            print(f'warning: {img}: no annotation {csv_path}, skipped', file=sys.stderr)
            totals['failed'].append(rid)
            continue
        try:
            entry, stats = convert_receipt(img, csv_path)
        except Exception as e:  # one bad receipt never stops the batch
            print(f'warning: {img}: {e}, skipped', file=sys.stderr)
            totals['failed'].append(rid)
            continue
        for k in ('lines', 'split_lines', 'fallback_lines', 'words', 'merged'):
            totals[k] += stats[k]
        splits['val' if rid in val_ids else 'train'].append(entry)
    for split, data in splits.items():
        with open(osp.join(out_dir, f'textdet_{split}.json'), 'w', encoding='utf-8') as f:
            json.dump(dict(metainfo=METAINFO, data_list=data), f)
    totals.update(train=len(splits['train']), val=len(splits['val']), val_ids=list(val_ids))
    return totals


def main(argv=None):
    p = argparse.ArgumentParser(description='SROIE line boxes -> word polygons (MMOCR JSON)')
    p.add_argument('root', help='SROIE training_data folder (images/, bbox/)')
    p.add_argument('out_dir', help='where textdet_train.json / textdet_val.json go')
    p.add_argument('--val-ids', nargs='*', default=list(DEFAULT_VAL_IDS),
                   help='receipt ids held out for validation')
    args = p.parse_args(argv)
    t = convert(args.root, args.out_dir, args.val_ids)
    print(f"{t['train']} train + {t['val']} val receipts (val: {' '.join(t['val_ids'])}); "
          f"{t['words']} words from {t['lines']} lines; multi-word lines split by ink gaps: "
          f"{t['split_lines']}, by proportional fallback: {t['fallback_lines']}; "
          f"text spaces with no visible gap (words merged): {t['merged']}"
          + (f"; skipped: {' '.join(t['failed'])}" if t['failed'] else ''))


if __name__ == '__main__':
    main()
