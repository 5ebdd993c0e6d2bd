"""`tools/eval_ocr.py`: end-to-end scores on real pages, for our engine or a peer alike
(Tesseract, RapidOCR 3 / 1.4: see peers.py).

- SROIE receipts (line quads + text): bag-of-words token F1 (case-insensitive, micro-averaged),
  page 1-NED in reading order (case-insensitive, whitespace-normalised, against the lines in the
  annotators' order; ``page_1_ned_sorted``: the same with each page's tokens sorted, reading
  errors without the order) and the count of tokens
  read without their decimal point ("rm000" for "rm0.00"). ``--dump DIR`` keeps each page's text
  and truth, and the tokens missed and added over all pages (``tokens.json``), for error analysis.
- A text-detection set in MMOCR's JSON format (e.g. MMOCR's det toy set): detection precision /
  recall / F1 at IoU 0.5 with ``###``/ignored regions as don't-care, and end-to-end F1 when the
  words are known: a transcription file (JSON: image file name -> texts in instance order), or
  the instances' own ``text`` (our converters' JSON), and seconds per image.

    tools/eval_ocr.py --sroie ../shared/data/SROIE_train_subset --ids 026 027 028 029 030
    tools/eval_ocr.py --det-json ../shared/data/mmocr_toy/det_toy_dataset/textdet_test.json \
        --transcriptions ic15 --preset photo
    tools/eval_ocr.py ... --engine tesseract      # or rapidocr (3.x, PP-OCRv6), rapidocr-v1.4
"""
import argparse
import json
import os
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import List, Optional, Tuple

import numpy as np

from .peers import PAGE_PEERS, page_reader

REPO = Path(__file__).resolve().parents[3]
DEFAULT_DATA = Path(os.environ.get('CLIP4STR_DATA_ROOT', REPO.parent / 'shared' / 'data'))


class OurEngine:
    """Our engine with a page reader's interface (see peers.py)."""

    def __init__(self, preset: str, device: str = 'cpu', overrides: Optional[dict] = None):
        from clip4str.ocr import build_engine, load_preset
        self.engine = build_engine(load_preset(preset, overrides), device=device)

    def __call__(self, path: Path) -> Tuple[List[np.ndarray], List[str], str]:
        import cv2
        result = self.engine.ocr_image(cv2.imread(str(path)), source=str(path))
        return [w.polygon for w in result.words], [w.text for w in result.words], result.text


def read_sroie(root: Path, ids: Optional[List[str]]):
    """(image path, ground-truth page text) per receipt: its lines in the csv's order, the order
    the annotators read them in (mostly row by row, left to right). Lines sorted by their box's
    top edge instead scramble a row whose right end sits a pixel higher ("41.95 S / 16.32 /
    INFINITI 97"): on the 61 val receipts they score 84.2 page 1-NED against the csv order."""
    data = root / 'training_data'
    names = sorted(p.stem for p in (data / 'bbox').glob('*.csv'))
    for name in (ids or names):
        texts = []
        for line in (data / 'bbox' / f'{name}.csv').read_text(encoding='utf-8').splitlines():
            parts = line.split(',', 8)
            if len(parts) == 9:
                texts.append(parts[8].strip())
        yield data / 'images' / f'{name}.jpg', '\n'.join(texts)


def dump_page(folder: Path, name: str, text: str, truth: str, missed: Counter,
              extra: Counter) -> None:
    """Page text next to its ground truth, and the tokens each side lacks, for reading errors."""
    from clip4str.evaluation.ocr_metrics import token_differences
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f'{name}.pred.txt').write_text(text, encoding='utf-8')
    (folder / f'{name}.true.txt').write_text(truth, encoding='utf-8')
    page_missed, page_extra = token_differences(text, truth)
    missed.update(page_missed)
    extra.update(page_extra)


SCAN_PAGE = (4961, 7016)  # an A4 page scanned at 600 dpi


class OnScanPage:
    """An engine that reads each receipt as a flatbed scan of it: scaled to a third of the width
    of a 600-dpi A4 page and placed near its top-left corner on white (the receipt a third of the
    page wide, as in issue 23's large scans)."""

    def __init__(self, engine, folder: Path):
        self.engine, self.folder = engine, folder

    def __call__(self, path: Path):
        import cv2
        receipt = cv2.imread(str(path))
        if receipt is None:
            raise SystemExit(f'error: {path}: not a readable image')
        width, height = SCAN_PAGE
        scale = width / 3 / receipt.shape[1]
        receipt = cv2.resize(receipt, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        rows = min(receipt.shape[0], height - 200)  # a very long receipt runs off the page
        page = np.full((height, width, 3), 255, np.uint8)
        page[200:200 + rows, 200:200 + receipt.shape[1]] = receipt[:rows]
        scan = self.folder / f'{path.stem}.png'
        cv2.imwrite(str(scan), page)
        try:
            return self.engine(scan)
        finally:
            scan.unlink()


def eval_sroie(engine, root: Path, ids, dump: Optional[Path] = None) -> dict:
    from clip4str.evaluation.ocr_metrics import (Counts, normalise_page, one_minus_ned,
                                                 sorted_tokens)
    from clip4str.evaluation.ocr_metrics import dropped_decimals, token_counts
    total, neds, bag_neds, pages, start = Counts(), [], [], 0, time.perf_counter()
    missed, extra, no_dot = Counter(), Counter(), 0
    for image, truth in read_sroie(root, ids):
        _, _, text = engine(image)
        if dump:
            dump_page(dump, image.stem, text, truth, missed, extra)
        total += token_counts(text, truth)
        no_dot += dropped_decimals(text, truth)
        neds.append(one_minus_ned(normalise_page(text), normalise_page(truth)))
        bag_neds.append(one_minus_ned(sorted_tokens(text), sorted_tokens(truth)))
        pages += 1
    elapsed = time.perf_counter() - start
    if dump:
        (dump / 'tokens.json').write_text(json.dumps(
            dict(missed=missed.most_common(), extra=extra.most_common()), indent=0,
            ensure_ascii=False), encoding='utf-8')
    return dict(pages=pages, token_precision=total.precision, token_recall=total.recall,
                token_f1=total.f1, page_1_ned=float(np.mean(neds)) if neds else 0.0,
                page_1_ned_sorted=float(np.mean(bag_neds)) if bag_neds else 0.0,
                seconds_per_page=elapsed / max(pages, 1), dropped_decimals=no_dot)


def ic15_transcriptions(data: dict, gt_file: Path) -> dict:
    """Transcriptions for ICDAR2015 *training* images img_1..img_N (MMOCR's det toy set is
    img_1..img_10): IC15's word-recognition training crops number the non-``###`` words of the
    training images consecutively, image by image, in ground-truth order."""
    from clip4str.datasets.label_parsers import QuotedLabelParser
    parse = QuotedLabelParser()
    labels = [parse(line)['text'] for line in
              gt_file.read_text(encoding='utf-8-sig').splitlines() if line.strip()]
    items = sorted(data['data_list'],
                   key=lambda it: int(Path(it['img_path']).stem.split('_')[-1]))
    numbers = [int(Path(it['img_path']).stem.split('_')[-1]) for it in items]
    if numbers != list(range(1, len(items) + 1)):
        raise SystemExit('--transcriptions ic15 needs IC15 training images img_1..img_N')
    out, k = {}, 0
    for it in items:
        texts = []
        for inst in it['instances']:
            texts.append('###' if inst.get('ignore') else labels[k])
            k += not inst.get('ignore')
        out[Path(it['img_path']).name] = texts
    return out


def instance_texts(data: dict) -> Optional[dict]:
    """The words the annotation itself holds (our converters write each instance's ``text``),
    or None when any readable instance lacks one."""
    out = {}
    for item in data['data_list']:
        texts = [inst.get('text') for inst in item['instances']]
        if any(t is None and not inst.get('ignore')
               for t, inst in zip(texts, item['instances'])):
            return None
        out[item['img_path']] = [t or '' for t in texts]  # names repeat across IC03's folders
    return out


def eval_detection(engine, ann: Path, transcriptions: Optional[str]) -> dict:
    from clip4str.evaluation.ocr_metrics import DONT_CARE, Counts, match_words
    data = json.loads(ann.read_text())
    if transcriptions == 'ic15':
        texts_by_image = ic15_transcriptions(
            data, DEFAULT_DATA / 'IC15_train' / 'TrainingSet' / 'gt.txt')
    elif transcriptions:
        texts_by_image = json.loads(Path(transcriptions).read_text())
    else:
        texts_by_image = instance_texts(data)
    det, e2e = Counts(), Counts()
    started = time.perf_counter()
    for item in data['data_list']:
        image = ann.parent / item['img_path']
        if not image.is_file():
            image = ann.parent / 'imgs' / item['img_path']
        true_polys = [np.array(i['polygon'], float).reshape(-1, 2) for i in item['instances']]
        if texts_by_image is not None:
            true_texts = texts_by_image.get(item['img_path'])
            if true_texts is None:
                true_texts = texts_by_image[Path(item['img_path']).name]
        else:
            true_texts = ['?'] * len(true_polys)
        true_texts = [DONT_CARE if inst.get('ignore') else t
                      for inst, t in zip(item['instances'], true_texts)]
        polys, texts, _ = engine(image)
        d, e = match_words(polys, texts, true_polys, true_texts)
        det += d
        e2e += e
    elapsed = time.perf_counter() - started
    out = dict(det_precision=det.precision, det_recall=det.recall, det_f1=det.f1)
    if texts_by_image is not None:
        out.update(e2e_precision=e2e.precision, e2e_recall=e2e.recall, e2e_f1=e2e.f1)
    out.update(pages=len(data['data_list']),
               seconds_per_page=elapsed / max(len(data['data_list']), 1))
    return out


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--engine', choices=['ours', *PAGE_PEERS], default='ours',
                        help='rapidocr: RapidOCR 3.x (PP-OCRv6 small); rapidocr-v1.4: PP-OCRv4')
    parser.add_argument('--threads', type=int, default=1, help='threads of a RapidOCR peer')
    parser.add_argument('--preset', default=None,
                        help='our preset (default: document for SROIE, photo for --det-json)')
    parser.add_argument('--sroie', type=Path, nargs='?', const=DEFAULT_DATA / 'SROIE_train_subset')
    parser.add_argument('--ids', nargs='+', help='SROIE receipt ids (default: all)')
    parser.add_argument('--scan-page', action='store_true',
                        help='SROIE: read each receipt as a large scan, a third as wide as a '
                        '4961x7016 page (600-dpi A4), against the same truth')
    parser.add_argument('--det-json', type=Path, nargs='?',
                        const=DEFAULT_DATA / 'mmocr_toy/det_toy_dataset/textdet_test.json')
    parser.add_argument('--transcriptions',
                        help="JSON {image name: [text per instance]} for end-to-end F1, or "
                        "'ic15' for ICDAR2015 training images (the det toy set), whose words "
                        "IC15_train's labels give (default: the instances' own 'text', as "
                        "tools/dataset_converters write it, when every readable one has it)")
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--dump', type=Path,
                        help='SROIE: write each page\'s text and truth here, and tokens.json '
                        '(ground-truth tokens missed, predicted tokens not in the truth)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    import clip4str  # noqa: F401
    if not args.sroie and not args.det_json:
        raise SystemExit('nothing to evaluate: give --sroie and/or --det-json')
    results = {}
    if args.sroie:
        engine = (page_reader(args.engine, args.threads) if args.engine != 'ours'
                  else OurEngine(args.preset or 'document', args.device))
        if args.scan_page:
            with tempfile.TemporaryDirectory(prefix='clip4str-scan-') as folder:
                results['SROIE-scan'] = eval_sroie(OnScanPage(engine, Path(folder)), args.sroie,
                                                   args.ids, args.dump)
        else:
            results['SROIE'] = eval_sroie(engine, args.sroie, args.ids, args.dump)
    if args.det_json:
        engine = (page_reader(args.engine, args.threads, photo=True) if args.engine != 'ours'
                  else OurEngine(args.preset or 'photo', args.device))
        results['detection'] = eval_detection(engine, args.det_json, args.transcriptions)
    for name, values in results.items():
        counts = ('pages', 'seconds_per_page', 'dropped_decimals')
        cells = '  '.join(f'{k} {100 * v:.1f}' if k not in counts
                          else f'{k} {v:.2f}' if isinstance(v, float) else f'{k} {v}'
                          for k, v in values.items())
        print(f'{args.engine:10s} {name:10s} {cells}')
    return results


if __name__ == '__main__':
    main()
