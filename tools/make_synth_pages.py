#!/usr/bin/env python
"""Render synthetic document pages with word polygons as an MMOCR TextDetDataset.

    python tools/make_synth_pages.py data/synth_pages --num 3000 --seed 0 --workers 2
    python tools/make_synth_pages.py data/synth_pages_val --num 100 --seed 1 --split test
    python tools/make_synth_pages.py data/synth_pages --num 3000 --collect-only  # pages so far
    python tools/make_synth_pages.py data/synth_scenes --num 400 --seed 1 --mix '{"scene": 1}' \
        --word-crops ../shared/data/IIIT5K/train.tags ../shared/data/SVT/train_labels.txt

Page i of a seed is always the same picture; an interrupted run resumes (finished pages are kept).
"""
import argparse
import json

from clip4str.datasets.synth_pages import DEFAULT_MIX, generate


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('out_dir', help='output folder (imgs/, labels/, textdet_<split>.json)')
    p.add_argument('--num', type=int, default=1000, help='number of pages')
    p.add_argument('--start', type=int, default=0, help='index of the first page')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--workers', type=int, default=1, help='worker processes')
    p.add_argument('--split', default='train', help='annotation file name: textdet_<split>.json')
    p.add_argument('--word-crops', nargs='+', metavar='LABEL_FILE',
                   help='real word crops to paste into scenes: label files of "<path> <text>" '
                        'lines, e.g. IIIT5K/train.tags SVT/train_labels.txt (train splits only)')
    p.add_argument('--collect-only', action='store_true',
                   help='render nothing: write textdet_<split>.json from the pages done so far')
    p.add_argument('--mix', type=json.loads, default=None,
                   help=f'page kinds and weights as JSON, default {json.dumps(DEFAULT_MIX)}')
    return p.parse_args(argv)


def main(argv=None):
    import clip4str  # noqa: F401  (compat fixes; cheap)
    args = parse_args(argv)
    if args.num <= 0:
        raise SystemExit('error: --num must be positive')
    if args.collect_only:
        from clip4str.datasets.synth_pages.writer import write_annotations
        n = write_annotations(args.out_dir, range(args.start, args.start + args.num), args.split)
        print(f'wrote {args.out_dir}/textdet_{args.split}.json with the {n} pages done so far')
        return
    stats = generate(args.out_dir, args.num, seed=args.seed, workers=args.workers,
                     start=args.start, mix=args.mix, split=args.split,
                     word_crops=args.word_crops)
    print(f"wrote {stats['ann_file']}: {stats['num_pages']} pages, {stats['instances']} words; "
          f"{stats['new_pages']} rendered in {stats['seconds']} s "
          f"({stats['pages_per_s']} pages/s with {stats['workers']} workers)")


if __name__ == '__main__':
    main()
