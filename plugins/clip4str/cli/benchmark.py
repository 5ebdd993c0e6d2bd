"""`tools/benchmark.py`: recognition speed (crops/s at several batch sizes), peak memory and
word accuracy on real crops, for our recognizers and for the baseline decoding path.

Every measurement runs in its own process (peak memory is per model, threads are set before
torch starts). Figures are printed; nothing is asserted.

    tools/benchmark.py                      # shipped small model + ViT-B/16 (random weights)
    tools/benchmark.py --rec CONFIG [--rec-weights W] --batch-sizes 1 32 --crops 128
    tools/benchmark.py --onnx               # also the ONNX exports (made in a temporary folder)
    tools/benchmark.py --rec CONFIG --onnx FOLDER   # an existing export of CONFIG
    tools/benchmark.py --compare tesseract rapidocr  # the same crops through Tesseract 5 and
                            # RapidOCR 3's PP-OCRv6 small recognizer (rapidocr-v1.4: PP-OCRv4)
    tools/benchmark.py --precision bf16     # bf16 rows next to fp32 ones, same run
    tools/benchmark.py --end-to-end         # whole pages: ours vs RapidOCR 3 and Tesseract
    tools/benchmark.py --rec CONFIG --rec-weights W --labels VAL.json --compare rapidocr
                            # word accuracy on your own labelled crops, next to PP-OCRv6 small
With no --rec, Tesseract and RapidOCR 3 are compared by default, and both our models run next
to the reference decoding (no KV cache, cross-branch steps set by the visual branch).
"""
import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import List, Optional

from .benchmark_pages import pages_worker, run_end_to_end, run_json_worker
from .peers import PAGE_PEERS, RAPIDOCR_LABELS, crop_reader

REPO = Path(__file__).resolve().parents[3]
SMALL = ('configs/textrecog/clip4str/clip4str_small_conv-ctc.py', 'weights/clip4str_small.pth')
VIT_B16 = ('configs/textrecog/clip4str/clip4str_vit-b16.py', None)
AUTO_EXPORT = 'export'
# the reference implementation's decoding: no KV cache (the prefix is recomputed at every AR
# step) and the cross branch's step budget set by the batch's longest visual prediction
REFERENCE_DECODING = {'model.decoder.kv_cache': False, 'model.decoder.cross_steps': 'visual'}


def labelled_crops(ann: Path, n: int):
    """Up to n crops of an MMOCR textrecog annotation file (``data_list`` of ``img_path`` and
    ``instances[0].text``; relative paths are under the file's folder), BGR."""
    import numpy as np
    from PIL import Image
    try:
        items = json.loads(ann.read_text(encoding='utf-8'))['data_list'][:n]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise SystemExit(f'error: {ann}: not an MMOCR textrecog annotation file ({e})')
    crops = [np.asarray(Image.open(ann.parent / it['img_path']).convert('RGB'))[:, :, ::-1].copy()
             for it in items]
    return crops, [it['instances'][0]['text'] for it in items]


def shared_crops(n: int, labels_file: Optional[str] = None):
    """Up to n crops with labels: those of ``labels_file`` if given, else IIIT5K test crops, or
    synthetic ones without data. BGR arrays, as the OCR engine hands crops to the recognizers
    (OpenCV order)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont
    if labels_file:
        return labelled_crops(Path(labels_file), n)
    root = Path(os.environ.get('CLIP4STR_DATA_ROOT', REPO.parent / 'shared' / 'data')) / 'IIIT5K'
    crops, labels = [], []
    if (root / 'test.tags').is_file():
        for line in (root / 'test.tags').read_text().splitlines()[:n]:
            rel, label = line.split(' ', 1)
            crops.append(np.asarray(Image.open(root / rel).convert('RGB'))[:, :, ::-1].copy())
            labels.append(label)
        return crops, labels
    words = ['OPEN', 'hotel', 'Parking', 'EXIT', 'cafe', 'STOP', 'Salutes', 'PRIVATE']
    for i in range(n):
        img = Image.new('RGB', (160, 48), (240, 240, 230))
        ImageDraw.Draw(img).text((10, 16), words[i % 8], fill=(10, 10, 10),
                                 font=ImageFont.load_default())
        crops.append(np.asarray(img)[:, :, ::-1].copy())
        labels.append(words[i % 8])
    return crops, labels


class EncoderClock:
    """Seconds spent in a PyTorch recognizer's image encoder (its backbone), for the share of
    the time no decoding change can save."""

    def __init__(self, encoder):
        self.seconds = 0.0
        encoder.register_forward_pre_hook(self._start)
        encoder.register_forward_hook(self._stop)

    def _start(self, module, args):
        self._t = time.perf_counter()

    def _stop(self, module, args, output):
        self.seconds += time.perf_counter() - self._t


def build_reader(args, batch_size: int, weights: Optional[str]):
    if args.engine in PAGE_PEERS:
        return crop_reader(args.engine, batch_size, args.threads)
    if args.onnx:
        from clip4str.export import OnnxTextRecognizer
        return OnnxTextRecognizer(args.onnx, args.device, batch_size=batch_size,
                                  threads=args.threads)
    from clip4str.ocr.models import TextRecognizer
    options = REFERENCE_DECODING if args.baseline else None
    return TextRecognizer(args.rec, weights, device=args.device, batch_size=batch_size,
                          cfg_options=options, precision=args.precision)


def measure(args) -> dict:
    """Runs inside the worker process."""
    import torch
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)  # random-weight models are the same in every worker: texts compare
    import clip4str  # noqa: F401
    from clip4str.evaluation import word_accuracy

    crops, labels = shared_crops(args.crops, args.labels)
    weights = args.rec_weights if args.rec_weights and os.path.isfile(args.rec_weights) else None
    external = args.engine != 'clip4str'
    result = dict(config=args.engine if external else args.rec,
                  weights='shipped' if external else weights or 'random',
                  baseline=args.baseline, onnx=bool(args.onnx), threads=args.threads,
                  precision='-' if external or args.onnx else args.precision,
                  crops=len(crops), device=args.device)
    for bs in args.batch_sizes:
        rec = build_reader(args, bs, weights)
        rec(crops[:min(len(crops), max(bs, 4))])  # warm-up
        encoder = getattr(getattr(rec, 'model', None), 'backbone', None)  # PyTorch readers
        clock = EncoderClock(encoder) if isinstance(encoder, torch.nn.Module) else None
        start = time.perf_counter()
        out = rec(crops)
        elapsed = time.perf_counter() - start
        result[f'crops_per_s@{bs}'] = len(crops) / elapsed
        if clock is not None:
            result[f'encoder_share@{bs}'] = clock.seconds / elapsed
        result['word_acc'] = word_accuracy([t for t, _ in out], labels)
        result['texts'] = [t for t, _ in out]
        del rec  # peak memory is one model's, not two while the next one loads
    result['peak_rss_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def run_worker(rec: str, weights: Optional[str], baseline: bool, args,
               onnx: Optional[str] = None, engine: str = 'clip4str',
               precision: Optional[str] = None) -> dict:
    cmd = ['--worker', '--rec', rec, '--engine', engine, '--crops', str(args.crops),
           '--device', args.device, '--precision', precision or args.precision,
           '--batch-sizes', *map(str, args.batch_sizes)]
    if args.labels:
        cmd += ['--labels', str(Path(args.labels).resolve())]
    if weights:
        cmd += ['--rec-weights', weights]
    if baseline:
        cmd.append('--baseline')
    if onnx:
        cmd += ['--onnx', onnx]
    return run_json_worker(cmd, args.threads, rec if engine == 'clip4str' else engine)


def export(rec: str, weights: Optional[str], folder: str, threads: int) -> str:
    """Export a benchmarked model with tools/export_onnx.py (its own process)."""
    cmd = [sys.executable, '-m', 'clip4str.cli.export_onnx', rec, '--out', folder, '--no-check']
    if weights and os.path.isfile(weights):
        cmd.insert(4, weights)
    r = subprocess.run(cmd, cwd=REPO, env=dict(os.environ, OMP_NUM_THREADS=str(threads)),
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f'ONNX export of {rec} failed:\n{r.stderr[-2000:]}')
    return folder


def print_table(rows: List[dict], batch_sizes: List[int]) -> None:
    head = f'{"model":54s}{"weights":10s}' + ''.join(f'{"crops/s@" + str(b):>14s}'
                                                    for b in batch_sizes)
    print(head + f'{"acc(36)":>9s}{"peak MB":>9s}')
    for r in rows:
        name = RAPIDOCR_LABELS.get(r['config'], Path(r['config']).stem) \
            + (' [reference decoding]' if r['baseline'] else '') \
            + (' [onnxruntime]' if r.get('onnx') else '') \
            + (f' [{r["precision"]}]' if r.get('precision') not in ('fp32', '-', None) else '')
        weights = r['weights'] if r['weights'] in ('random', 'shipped') else 'trained'
        cells = ''.join(f'{r[f"crops_per_s@{b}"]:14.1f}' for b in batch_sizes)
        print(f'{name:54s}{weights:10s}{cells}{100 * r["word_acc"]:9.1f}'
              f'{r["peak_rss_mb"]:9.0f}')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--rec', help='recognizer config (default: shipped small + ViT-B/16)')
    parser.add_argument('--rec-weights', help='recognizer weights (default: random init)')
    parser.add_argument('--baseline', action='store_true',
                        help='also time decoding that recomputes the prefix at every AR step')
    parser.add_argument('--onnx', nargs='?', const=AUTO_EXPORT, metavar='FOLDER',
                        help='also time onnxruntime on an export of --rec in FOLDER (without '
                        'FOLDER: export each benchmarked model into a temporary folder first)')
    parser.add_argument('--batch-sizes', type=int, nargs='+', default=[1, 32])
    parser.add_argument('--crops', type=int, default=64, help='number of crops to read')
    parser.add_argument('--labels', help='read the crops of this MMOCR textrecog JSON instead of '
                        'IIIT5K test (e.g. a validation split: word accuracy next to the peers)')
    parser.add_argument('--threads', type=int, default=os.cpu_count() or 1)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--precision', default='fp32', choices=['fp32', 'bf16', 'fp16'],
                        help='precision of the PyTorch recognizer\'s backbone (bf16: AMX CPUs, GPUs)')
    parser.add_argument('--compare', nargs='*', choices=PAGE_PEERS, default=None,
                        help='also time these on the same crops (default without --rec: '
                        'tesseract and rapidocr, i.e. RapidOCR 3 / PP-OCRv6 small)')
    e2e = parser.add_argument_group('end to end (--end-to-end): whole pages, see '
                                    'benchmark_pages.py')
    e2e.add_argument('--end-to-end', action='store_true',
                     help='time whole engines on receipts, A4 pages and photos instead')
    e2e.add_argument('--e2e-threads', type=int, nargs='+', default=[1, 2])
    e2e.add_argument('--peers', nargs='*', choices=PAGE_PEERS, default=['rapidocr', 'tesseract'])
    e2e.add_argument('--preset', default='document', help='our preset for every page')
    e2e.add_argument('--backends', nargs='+', choices=['torch', 'onnx', 'onnx-int8'],
                     help="our backends to time (default: the preset's; onnx-int8: onnx with "
                     "the int8 detector, onnx: with the fp32 one)")
    e2e.add_argument('--receipts', type=int, default=5,
                     help='SROIE training receipts held out of our detector\'s training (<= 5)')
    e2e.add_argument('--scenes', type=int, default=2, help='MMOCR det toy scenes')
    parser.add_argument('--engine', default='clip4str', help=argparse.SUPPRESS)
    parser.add_argument('--worker', action='store_true', help=argparse.SUPPRESS)
    parser.add_argument('--worker-pages', help=argparse.SUPPRESS)
    parser.add_argument('--backend', help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def ratios(num: dict, den: dict, batch_sizes) -> str:
    return ', '.join(f'bs {b}: {num[f"crops_per_s@{b}"] / den[f"crops_per_s@{b}"]:.2f}x'
                     for b in batch_sizes)


def same_texts(a: dict, b: dict) -> str:
    same = sum(x == y for x, y in zip(a['texts'], b['texts']))
    return f'same text on {same}/{len(a["texts"])} crops'


def print_ratios(rows: List[dict], args) -> None:
    precisions = [args.precision] + (['fp32'] if args.precision != 'fp32' else [])
    for rec in dict.fromkeys(r['config'] for r in rows if r['config'] not in PAGE_PEERS):
        def pick(baseline, onnx, precision):
            return next((r for r in rows if r['config'] == rec and r['baseline'] == baseline
                         and bool(r.get('onnx')) == onnx
                         and r['precision'] in (precision, '-')), None)
        name = Path(rec).stem
        fast, full = pick(False, False, args.precision), pick(False, False, 'fp32')
        if fast and full and fast is not full:
            print(f'{name}: {args.precision} vs fp32: {ratios(fast, full, args.batch_sizes)}; '
                  f'{same_texts(fast, full)}')
        for precision in precisions:
            ours, base = pick(False, False, precision), pick(True, False, precision)
            if ours and base:
                print(f'{name} [{precision}]: KV cache + early stop vs reference decoding: '
                      f'{ratios(ours, base, args.batch_sizes)}; {same_texts(ours, base)}')
        onnx = pick(False, True, 'fp32')
        if onnx and full:
            print(f'{name}: onnxruntime vs PyTorch: {ratios(onnx, full, args.batch_sizes)}')
        base = pick(True, False, args.precision)
        if fast and base and f'encoder_share@{args.batch_sizes[0]}' in base:
            # Amdahl: the encoder runs the same in both paths, so even free decoding cannot
            # beat the baseline by more than its time over the encoder's
            bounds = ', '.join(
                f'bs {b}: encoder {100 * fast[f"encoder_share@{b}"]:.0f}% of the time, '
                f'at most {1 / base[f"encoder_share@{b}"]:.2f}x'
                for b in args.batch_sizes)
            print(f'{name}: bound on any decoding speed-up over the baseline: {bounds}')
    ours = rows[0]
    for other in (r for r in rows if r['config'] in PAGE_PEERS):
        label = RAPIDOCR_LABELS.get(other['config'], other['config'])
        print(f'{Path(ours["config"]).stem} vs {label}: crops/s '
              f'{ratios(ours, other, args.batch_sizes)}; word accuracy '
              f'{100 * ours["word_acc"]:.1f} vs {100 * other["word_acc"]:.1f}')


def main(argv=None):
    args = parse_args(argv)
    if args.worker:
        print(json.dumps(measure(args)))
        return
    if args.worker_pages:
        pages_worker(args)
        return
    if args.end_to_end:
        run_end_to_end(args)
        return
    if args.onnx and args.onnx != AUTO_EXPORT and not args.rec:
        raise SystemExit('error: --onnx FOLDER needs --rec, the config exported into FOLDER')
    jobs = ([(args.rec, args.rec_weights)] if args.rec else
            [(SMALL[0], str(REPO / SMALL[1])), VIT_B16])
    # the fp32 reference for speed and agreement of a lower precision, in the same run
    precisions = [args.precision] + (['fp32'] if args.precision != 'fp32' else [])
    rows = []
    with tempfile.TemporaryDirectory(prefix='clip4str-onnx-') as tmp:
        for i, (rec, weights) in enumerate(jobs):
            for precision in precisions:
                rows.append(run_worker(rec, weights, False, args, precision=precision))
                if args.baseline or not args.rec:
                    rows.append(run_worker(rec, weights, True, args, precision=precision))
            if args.onnx:
                folder = args.onnx if args.onnx != AUTO_EXPORT else export(
                    rec, weights, os.path.join(tmp, str(i)), args.threads)
                rows.append(run_worker(rec, weights, False, args, onnx=folder))
    compare = args.compare if args.compare is not None else (
        [] if args.rec else ['tesseract', 'rapidocr'])
    for engine in compare:
        rows.append(run_worker(jobs[0][0], None, False, args, engine=engine))
    print(f'{args.crops} crops, {args.threads} threads, device {args.device}, load average '
          f'{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs')
    print_table(rows, args.batch_sizes)
    print_ratios(rows, args)


if __name__ == '__main__':
    main()
