"""`tools/benchmark.py --end-to-end`: pages/s, peak memory and token F1 of whole OCR engines on
one fixed set of pages, ours next to its peers (peers.py), at 1 and 2 threads, in one run.

The set (every engine reads the same image files):
* receipts: SROIE *training* receipts that our detector was not trained on (its held-out
  ones; ground truth: their line texts);
* A4: the two pages of tools/make_samples.py's invoice, typeset and rendered at 200 dpi
  (ground truth: the typeset PDF's text layer);
* photos: samples/sample_photo.jpg and the first M MMOCR det toy scenes (ICDAR 2015 *training*
  images; ground truth: IC15's word labels, ``###`` left out).

Each (engine, threads) pair runs in its own process: threads are set before torch or
onnxruntime start, and the peak RSS is that engine's alone. The first page is read once before
the clock starts (model loading and lazy initialisation are not timed). Token F1 is
tools/eval_ocr.py's bag-of-words score, micro-averaged per kind of page.

Every engine reads the pages one call after another ("per call"): the latency a caller of its
API sees. Ours is also timed as `clip4str-ocr` reads a folder ("batch tool": text output only,
as the peers write nothing), where with 2+ threads the next page is detected while this one is
read (the preset's ``detect_ahead``); the peers' Python APIs read one image per call.
"""
import importlib.util
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

from .eval_ocr import DEFAULT_DATA, REPO, ic15_transcriptions, read_sroie
from .peers import PAGE_PEERS, RAPIDOCR_LABELS

# the words make_samples.py paints on the sign of samples/sample_photo.jpg
PHOTO_TRUTH = 'BAKERY\nFresh Bread\nOPEN 7:30-18:00'
KINDS = ('receipt', 'a4', 'photo')
# the SROIE receipts held out of the shipped detector's training (docs/training.md)
HELD_OUT_RECEIPTS = ('003', '010', '016', '024', '031')


def render_a4(folder: Path, dpi: int = 200) -> List[dict]:
    """The sample invoice typeset by make_samples.py, as 200 dpi PNG pages + their text."""
    from pdf2image import convert_from_path
    from pypdf import PdfReader
    spec = importlib.util.spec_from_file_location('make_samples', REPO / 'tools/make_samples.py')
    make_samples = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_samples)
    pdf = folder / 'a4.pdf'
    make_samples.make_pdf(str(pdf))
    texts = [page.extract_text() for page in PdfReader(str(pdf)).pages]
    items = []
    for k, (image, text) in enumerate(zip(convert_from_path(str(pdf), dpi=dpi), texts)):
        path = folder / f'a4_{k + 1}.png'
        image.convert('RGB').save(path)
        items.append(dict(kind='a4', path=str(path), truth=text))
    return items


def page_set(folder: Path, receipts: int, scenes: int) -> List[dict]:
    """The fixed benchmark pages: [{kind, path, truth}], written under ``folder``."""
    items = []
    sroie = DEFAULT_DATA / 'SROIE_train_subset'
    if receipts and (sroie / 'training_data').is_dir():
        items += [dict(kind='receipt', path=str(p), truth=t)
                  for p, t in read_sroie(sroie, HELD_OUT_RECEIPTS[:receipts])]
    items += render_a4(folder)
    items.append(dict(kind='photo', path=str(REPO / 'samples/sample_photo.jpg'),
                      truth=PHOTO_TRUTH))
    toy = DEFAULT_DATA / 'mmocr_toy/det_toy_dataset/textdet_test.json'
    gt = DEFAULT_DATA / 'IC15_train/TrainingSet/gt.txt'
    if scenes and toy.is_file() and gt.is_file():
        texts = ic15_transcriptions(json.loads(toy.read_text()), gt)
        for k in range(1, scenes + 1):
            words = [t for t in texts[f'img_{k}.jpg'] if t != '###']
            items.append(dict(kind='photo', path=str(toy.parent / f'imgs/test/img_{k}.jpg'),
                              truth=' '.join(words)))
    return items


def build_page_reader(engine: str, threads: int, preset: str, backend: Optional[str]):
    if engine in PAGE_PEERS:
        from .peers import page_reader
        return page_reader(engine, threads)
    from .eval_ocr import OurEngine
    return OurEngine(preset, overrides=backend_overrides(backend))


def backend_overrides(backend: Optional[str]) -> Optional[dict]:
    """Preset overrides for a --backends choice: 'onnx-int8' is onnx with the int8 detector,
    'onnx' the fp32 one; None: the preset as it is."""
    if not backend:
        return None
    if backend == 'onnx-int8':
        return {'backend': 'onnx', 'det.quantize': 'int8'}
    return {'backend': backend, 'det.quantize': None}


def measure_pages(engine: str, threads: int, pages: List[dict], preset: str,
                  backend: Optional[str]) -> dict:
    """Runs inside the worker process: read every page once, timed, and score it."""
    import torch
    torch.set_num_threads(threads)
    import clip4str  # noqa: F401
    from clip4str.evaluation.ocr_metrics import Counts, token_counts
    if engine == 'ours':  # as clip4str-ocr does before its models load
        from clip4str.ocr.detect_ahead import limit_malloc_arenas
        limit_malloc_arenas()
    reader = build_page_reader(engine, threads, preset, backend)
    reader(Path(pages[0]['path']))  # warm-up: lazy loading and first-call set-up
    counts: Dict[str, Counts] = {k: Counts() for k in KINDS + ('all',)}
    seconds: Dict[str, float] = {k: 0.0 for k in KINDS}
    for item in pages:
        start = time.perf_counter()
        _, _, text = reader(Path(item['path']))
        seconds[item['kind']] += time.perf_counter() - start
        c = token_counts(text, item['truth'])
        counts[item['kind']] += c
        counts['all'] += c
    total = sum(seconds.values())
    row = dict(engine=engine, threads=threads, backend=backend, pages=len(pages),
               pages_per_s=len(pages) / total, seconds=seconds,
               token_f1={k: c.f1 for k, c in counts.items() if c.truth})
    if engine == 'ours':
        row.update(batch_tool(reader.engine, pages))
    row['peak_rss_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return row


def batch_tool(engine, pages: List[dict]) -> dict:
    """Pages/s and token F1 (all pages) of the batch tool's runner over the page files."""
    import tempfile

    from clip4str.evaluation.ocr_metrics import Counts, token_counts
    from clip4str.ocr.inputs import collect_inputs
    from clip4str.ocr.runner import BatchRunner
    with tempfile.TemporaryDirectory(prefix='clip4str-batch-') as out:
        items = collect_inputs([p['path'] for p in pages])
        start = time.perf_counter()
        summary = BatchRunner(engine, out, outputs=('txt',)).run(items)
        seconds = time.perf_counter() - start
    if summary.count('ok') != len(pages):
        raise SystemExit(f'batch tool read {summary.count("ok")} of {len(pages)} pages')
    texts = {os.path.abspath(o.item.path): o.text for o in summary.outcomes}
    counts = Counts()
    for item in pages:
        counts += token_counts(texts[os.path.abspath(item['path'])], item['truth'])
    return dict(batch_pages_per_s=len(pages) / seconds, batch_token_f1=counts.f1,
                detect_ahead=bool(engine.cfg.detect_ahead))


def run_json_worker(worker_args: List[str], threads: int, what: str) -> dict:
    """``tools/benchmark.py <worker_args>`` in a fresh process with ``threads`` threads; its
    last JSON line of output."""
    cmd = [sys.executable, '-m', 'clip4str.cli.benchmark', *worker_args,
           '--threads', str(threads)]
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    r = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith('{')]
    if r.returncode != 0 or not lines:
        raise SystemExit(f'benchmark of {what} failed:\n{r.stderr[-2000:]}')
    return json.loads(lines[-1])


def run_pages_worker(engine: str, threads: int, set_file: str, preset: str,
                     backend: Optional[str]) -> dict:
    return run_json_worker(['--worker-pages', set_file, '--engine', engine, '--preset', preset]
                           + (['--backend', backend] if backend else []), threads,
                           f'{engine} end to end')


def engine_label(row: dict) -> str:
    if row['engine'] == 'ours':
        return 'ours' + (f' [{row["backend"]}]' if row.get('backend') else '')
    return RAPIDOCR_LABELS.get(row['engine'], 'Tesseract 5' if row['engine'] == 'tesseract'
                               else row['engine'])


def print_pages_table(rows: List[dict], pages: List[dict]) -> None:
    counts = {k: sum(p['kind'] == k for p in pages) for k in KINDS}
    print(f'end to end: {len(pages)} pages (' + ', '.join(f'{n} {k}' for k, n in counts.items())
          + f'); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs')
    print(f'{"engine":34s}{"threads":>8s}{"pages/s":>9s}{"batch":>7s}' + ''.join(
        f'{"F1 " + k:>11s}' for k in KINDS + ('all',)) + f'{"peak MB":>9s}')
    for r in rows:
        f1 = ''.join(f'{100 * r["token_f1"][k]:11.1f}' if k in r['token_f1'] else f'{"-":>11s}'
                     for k in KINDS + ('all',))
        batch = f'{r["batch_pages_per_s"]:7.3f}' if 'batch_pages_per_s' in r else f'{"-":>7s}'
        print(f'{engine_label(r):34s}{r["threads"]:8d}{r["pages_per_s"]:9.3f}{batch}{f1}'
              f'{r["peak_rss_mb"]:9.0f}')
    print('pages/s: one call per page; batch: the batch tool over the page files'
          ' (ours; with 2+ threads it detects the next page while reading this one)')
    for ours in (r for r in rows if r['engine'] == 'ours'):
        for peer in (r for r in rows if r['engine'] != 'ours' and r['threads'] == ours['threads']):
            line = (f'{engine_label(ours)} vs {engine_label(peer)}, {ours["threads"]} thread(s): '
                    f'pages/s {ours["pages_per_s"] / peer["pages_per_s"]:.2f}x per call')
            if 'batch_pages_per_s' in ours:
                line += f', {ours["batch_pages_per_s"] / peer["pages_per_s"]:.2f}x batch tool'
            print(line + f', token F1 {100 * ours["token_f1"]["all"]:.1f} vs '
                  f'{100 * peer["token_f1"]["all"]:.1f}')
    for ours in (r for r in rows if 'batch_token_f1' in r):
        if abs(ours['batch_token_f1'] - ours['token_f1']['all']) > 1e-9:  # must read the same
            print(f'WARNING: {engine_label(ours)}, {ours["threads"]} thread(s): the batch tool '
                  f'read other text than the calls (token F1 {100 * ours["batch_token_f1"]:.2f}'
                  f' vs {100 * ours["token_f1"]["all"]:.2f})')


def run_end_to_end(args) -> List[dict]:
    """The parent side: the page set once, then one worker per (engine, threads)."""
    import tempfile
    with tempfile.TemporaryDirectory(prefix='clip4str-pages-') as tmp:
        pages = page_set(Path(tmp), args.receipts, args.scenes)
        set_file = os.path.join(tmp, 'pages.json')
        Path(set_file).write_text(json.dumps(pages))
        rows = []
        for threads in args.e2e_threads:
            for backend in args.backends or [None]:
                rows.append(run_pages_worker('ours', threads, set_file, args.preset, backend))
            for engine in args.peers:
                rows.append(run_pages_worker(engine, threads, set_file, args.preset, None))
    print_pages_table(rows, pages)
    return rows


def pages_worker(args) -> None:
    pages = json.loads(Path(args.worker_pages).read_text())
    print(json.dumps(measure_pages(args.engine, args.threads, pages, args.preset,
                                   args.backend)))
