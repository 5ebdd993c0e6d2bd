#!/usr/bin/env python
"""Reading order of the layout alone, on ground-truth boxes: SROIE receipts' line boxes, split
into word boxes by character count (what a word detector gives), are laid out by
``analyse_layout`` and the page text is scored (page 1-NED, case-insensitive, whitespace
normalised) against the annotators' line order (the csv order, the end-to-end scorer's truth
too: tools/eval_ocr.py). For comparison, the same lines sorted top to bottom by their boxes
are scored against the csv order too, and the layout's text against that sorted text.

    tools/eval_layout_order.py --sroie ../shared/data/SROIE_train_subset --ids 003 010 016 024 031

With ``--ocr PRESET`` the receipts are read end to end instead and scored as tools/eval_ocr.py
scores them (against the csv order): the page text in the layout's order (text.txt) and the
same lines (the JSON's ``lines``) sorted top to bottom.
``--cache DIR`` keeps each receipt's words (the JSON) there and, on later runs, redoes only the
layout on them: quick to try layout changes (confirm a final figure without it: a new layout can
also change which numbers split at the decimal point are read again whole).
"""
import argparse
import json
from pathlib import Path

import numpy as np

from clip4str.evaluation.ocr_metrics import normalise_page, one_minus_ned, reading_order_lines
from clip4str.ocr.layout import analyse_layout, layout_text


def read_lines(csv: Path):
    polys, texts = [], []
    for line in csv.read_text(encoding='utf-8').splitlines():
        parts = line.split(',', 8)
        if len(parts) == 9 and parts[8].strip():
            polys.append(np.array(list(map(float, parts[:8]))).reshape(4, 2))
            texts.append(parts[8].strip())
    return polys, texts


def split_words(poly: np.ndarray, text: str):
    """Word quads along the line quad (corners clockwise from top-left), by character count."""
    tl, tr, br, bl = poly
    n = max(1, len(text))
    out, pos = [], 0
    for word in text.split(' '):
        if word:
            a, b = pos / n, (pos + len(word)) / n
            out.append((np.array([tl + a * (tr - tl), tl + b * (tr - tl),
                                  bl + b * (br - bl), bl + a * (br - bl)]), word))
        pos += len(word) + 1
    return out


def score_receipt(csv: Path):
    polys, texts = read_lines(csv)
    words = [w for p, t in zip(polys, texts) for w in split_words(p, t)]
    truth = normalise_page('\n'.join(texts))
    ours = layout_text([t for _, t in words], analyse_layout([p for p, _ in words]))
    sorted_lines = reading_order_lines(polys, texts)
    return (one_minus_ned(normalise_page(ours), truth),
            one_minus_ned(normalise_page(sorted_lines), truth),
            one_minus_ned(normalise_page(ours), normalise_page(sorted_lines)))


def cached_page(cache: Path, layout_cfg):
    """The page in ``cache`` (a JSON written by :func:`read_page`) with its layout redone."""
    from clip4str.ocr.orientation import rotate_points
    from clip4str.ocr.result import PageResult, Word
    d = json.loads(cache.read_text(encoding='utf-8'))
    info = d['page']
    words = [Word(np.array(p, float).reshape(-1, 2), s, t)
             for p, s, t in zip(d['det_polygons'], d['det_scores'], d['rec_texts'])]
    # laid out in the frame the page was read in, as the engine does
    turned = [rotate_points(w.polygon, info['rotation'], info['width'], info['height'])
              for w in words]
    return PageResult(source=info['source'], page_index=info['index'], width=info['width'],
                      height=info['height'], words=words, layout=analyse_layout(turned, layout_cfg),
                      rotation=info['rotation'])


def read_page(engine, image: Path, cache):
    """The engine's page for ``image``; with a ``cache`` folder, its words are saved there."""
    import cv2
    page = engine().ocr_image(cv2.imread(str(image)), source=str(image))
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
        d = page.to_dict()
        d['det_polygons'] = [w.polygon.tolist() for w in page.words]  # not rounded: as laid out
        (cache / f'{image.stem}.json').write_text(json.dumps(d), encoding='utf-8')
    return page


def score_ocr(page, csv: Path):
    _, texts = read_lines(csv)
    truth = normalise_page('\n'.join(texts))
    lines = page.to_dict()['lines']  # the JSON's lines: their text and box
    boxes = [np.array(l['bbox'])[[0, 1, 2, 1, 2, 3, 0, 3]].reshape(4, 2) for l in lines]
    resorted = reading_order_lines(boxes, [l['text'] for l in lines])
    return (one_minus_ned(normalise_page(page.text), truth),
            one_minus_ned(normalise_page(resorted), truth))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--sroie', type=Path, required=True)
    parser.add_argument('--ids', nargs='*', help='receipt ids (default: all)')
    parser.add_argument('--exclude', nargs='*', default=[], help='ids to leave out')
    parser.add_argument('--ocr', metavar='PRESET', help='read the receipts end to end')
    parser.add_argument('--cache', type=Path, metavar='DIR',
                        help='with --ocr: keep the words read here, redo only the layout later')
    parser.add_argument('-v', '--verbose', action='store_true')
    args = parser.parse_args()
    bbox = args.sroie / 'training_data' / 'bbox'
    ids = args.ids or sorted(p.stem for p in bbox.glob('*.csv'))
    ids = [i for i in ids if i not in args.exclude]
    if args.ocr:
        from functools import lru_cache

        from clip4str.ocr import build_engine, load_preset
        from clip4str.ocr.preset import engine_config
        preset = load_preset(args.ocr)
        engine = lru_cache()(lambda: build_engine(preset))  # built only if a page is read
    scores = []
    for name in ids:
        if args.ocr:
            image = args.sroie / 'training_data' / 'images' / f'{name}.jpg'
            cached = args.cache and args.cache / f'{name}.json'
            page = (cached_page(cached, engine_config(preset).layout) if cached and cached.is_file()
                    else read_page(engine, image, args.cache))
            scores.append(score_ocr(page, bbox / f'{name}.csv'))
        else:
            scores.append(score_receipt(bbox / f'{name}.csv'))
        if args.verbose:
            print(name, ' '.join(f'{100 * v:.1f}' for v in scores[-1]))
    if args.ocr:
        ours, sorted_ = np.mean(scores, 0) * 100
        print(f'{len(ids)} receipts read with --preset {args.ocr}, page 1-NED: text.txt order '
              f'{ours:.1f}, the same lines sorted top to bottom {sorted_:.1f}')
        return
    ours, sorted_, ours_vs_sorted = np.mean(scores, 0) * 100
    print(f'{len(ids)} receipts, page 1-NED vs the csv order: layout {ours:.1f}, top-to-bottom '
          f'sort {sorted_:.1f}; layout vs the top-to-bottom sort: {ours_vs_sorted:.1f}')


if __name__ == '__main__':
    main()
