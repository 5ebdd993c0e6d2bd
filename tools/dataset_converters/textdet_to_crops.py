#!/usr/bin/env python
"""Word crops for recognizer training from MMOCR text-detection JSON files.

Each instance that has a transcription (and is not ignored) is cut out with the OCR engine's own
rectifying crop (`clip4str.ocr.rectify.crop_candidates`, upright reading), so the recognizer
trains on crops made the way it will see them at inference. Writes PNGs under ``OUT/crops/`` and
one label file per input JSON (``OUT/<name>.txt``: ``crops/<file> <label>`` lines, read by
``RecogLabelFileDataset`` with its default ``SpaceSeparatedLabelParser``).

    python tools/dataset_converters/textdet_to_crops.py data/sroie_words/textdet_train.json \
        data/sroie_words/textdet_val.json --out data/sroie_crops

Labels with whitespace (line-level annotations) are skipped: the recognizer reads words.
"""
import argparse
import json
import os
import os.path as osp
import sys
from typing import Iterable, Tuple

import cv2

sys.path.insert(0, osp.join(osp.dirname(osp.abspath(__file__)), '..', '..', 'plugins'))
from clip4str.ocr.rectify import RectifyConfig, crop_candidates  # noqa: E402


def word_instances(det_json: str) -> Iterable[Tuple[str, list, str]]:
    """(image path, polygon, text) of every readable, non-ignored instance."""
    with open(det_json, encoding='utf-8') as f:
        data = json.load(f)
    root = osp.dirname(det_json)
    for item in data['data_list']:
        path = item['img_path']
        path = path if osp.isabs(path) else osp.join(root, path)
        for inst in item.get('instances', []):
            text = (inst.get('text') or '').strip()
            if inst.get('ignore') or not text or text == '###' or any(c.isspace() for c in text):
                continue
            yield path, inst['polygon'], text


def convert(det_jsons, out_dir: str, min_height: int = 6) -> dict:
    os.makedirs(osp.join(out_dir, 'crops'), exist_ok=True)
    cfg = RectifyConfig(upside_down=False, stacked=False)
    counts = {}
    for det_json in det_jsons:
        name = osp.splitext(osp.basename(det_json))[0].replace('textdet', 'textrecog')
        kept = skipped = 0
        cached_path, img = None, None
        with open(osp.join(out_dir, name + '.txt'), 'w', encoding='utf-8') as labels:
            for path, polygon, text in word_instances(det_json):
                if path != cached_path:
                    cached_path, img = path, cv2.imread(path, cv2.IMREAD_COLOR)
                cands = crop_candidates(img, polygon, cfg) if img is not None else []
                crop = cands[-1].image if cands else None  # 'horizontal' comes last when vertical
                if crop is None or crop.shape[0] < min_height:
                    skipped += 1
                    continue
                stem = osp.splitext(osp.basename(path))[0]
                rel = f'crops/{name}_{stem}_{kept:06d}.png'
                cv2.imwrite(osp.join(out_dir, rel), crop)
                labels.write(f'{rel} {text}\n')
                kept += 1
        counts[name] = dict(crops=kept, skipped=skipped)
    return counts


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('det_jsons', nargs='+', help='MMOCR textdet JSON files with instance texts')
    p.add_argument('--out', required=True, help='output folder (crops/ and label files)')
    p.add_argument('--min-height', type=int, default=6, help='skip crops lower than this (px)')
    args = p.parse_args(argv)
    for name, c in convert(args.det_jsons, args.out, args.min_height).items():
        print(f'{name}: {c["crops"]} crops ({c["skipped"]} skipped) -> {args.out}/{name}.txt')


if __name__ == '__main__':
    main()
