"""`clip4str-ocr` / `tools/ocr.py`: images and PDFs -> text, JSON, pictures, searchable PDFs.

    clip4str-ocr samples/ --out results/                  # every image/PDF under samples/
    clip4str-ocr scan.pdf --pages 1-3,7 --dpi 300 --out r/
    clip4str-ocr 'photos/**/*.jpg' --preset photo --out r/ --quiet
    clip4str-ocr samples/ --rec-onnx onnx/clip4str_small --out r/   # see tools/export_onnx.py
    torchrun --nproc-per-node 4 tools/ocr.py data/ --out r/ --device cuda   # sharded

Exit status: 0 when every input was read (empty pages are fine), 1 when any failed, 2 for a bad
command line or unusable model files.
"""
import argparse
import os
import sys

SHORT_FORM_AFTER = 5  # more inputs than this: one line per input instead of the full text


def parse_args(argv=None):
    from mmengine.config import DictAction

    from clip4str.ocr.deadline import DEFAULT_TIMEOUT
    p = argparse.ArgumentParser(
        prog='clip4str-ocr', description='OCR images and PDFs (detector + CLIP4STR recognizer)',
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument('inputs', nargs='+', help='image/PDF files, folders (recursive) or globs')
    p.add_argument('--out', default='ocr_results', help='output folder')
    p.add_argument('--preset', default='document',
                   help='pipelines/<name>.py (document, photo) or a preset file path')
    p.add_argument('--det', help='detector config (overrides the preset)')
    p.add_argument('--det-weights', help='detector checkpoint (path or URL)')
    p.add_argument('--rec', help='recognizer config (overrides the preset)')
    p.add_argument('--rec-weights', help='recognizer checkpoint (path or URL)')
    p.add_argument('--rec-onnx', metavar='FOLDER',
                   help='run the recognizer exported by tools/export_onnx.py into FOLDER with '
                   'onnxruntime (replaces the preset\'s recognizer)')
    p.add_argument('--outputs', help='comma list of json,txt,vis,pdf (default: the preset\'s)')
    p.add_argument('--dpi', type=float, help='PDF render resolution (default: the preset\'s)')
    p.add_argument('--pages', help='pages to read, 1-based, e.g. 1-3,7 or 5- (default: all)')
    p.add_argument('--password', help='password of encrypted PDFs')
    p.add_argument('--max-pixels', type=int,
                   help='refuse images larger than this many pixels (decompression bombs)')
    p.add_argument('--timeout', type=float, metavar='SECONDS',
                   help='time limit per page of an input (rendering + OCR); an input over its '
                   f'limit is reported and skipped (default {DEFAULT_TIMEOUT:g}; 0: no limit)')
    p.add_argument('--batch-size', type=int, help='recognizer batch size (crops)')
    p.add_argument('--det-batch-size', type=int, help='detector batch size (pages)')
    p.add_argument('--device', default=None, help='cpu, cuda or cuda:N (default: cuda if '
                   'available; with torchrun each rank uses cuda:LOCAL_RANK)')
    p.add_argument('--precision', default='fp32', choices=['fp32', 'bf16', 'fp16'],
                   help='bf16/fp16: the models\' backbones in that precision (faster on GPUs '
                   'and AMX CPUs; results may differ slightly from fp32)')
    p.add_argument('--backend', choices=['torch', 'onnx'],
                   help='run both models on PyTorch, or on onnxruntime (exported on first use '
                   'and cached next to the weights; falls back to PyTorch with a warning) '
                   '(default: the preset\'s)')
    p.add_argument('--overwrite', action='store_true', help='redo inputs that have results')
    p.add_argument('--quiet', action='store_true', help='print only errors and the summary')
    p.add_argument('--no-progress', action='store_true', help='no progress bar')
    p.add_argument('--cfg-options', nargs='+', action=DictAction,
                   help='override preset settings, e.g. rectify.upside_down=True')
    return p.parse_args(argv)


def pick_device(requested):
    import torch
    local = int(os.environ.get('LOCAL_RANK', 0))
    if requested is None:
        requested = 'cuda' if torch.cuda.is_available() else 'cpu'
    if requested == 'cuda':
        if not torch.cuda.is_available():
            raise SystemExit('error: --device cuda but no CUDA device is available')
        return f'cuda:{local % torch.cuda.device_count()}'
    return requested


def print_results(summary, n_inputs, quiet):
    from clip4str.ocr.errors import printable
    if quiet:
        return
    ok = [o for o in summary.outcomes if o.status == 'ok']
    if n_inputs <= SHORT_FORM_AFTER:
        for o in ok:
            print(f'==> {printable(o.item.path)} <==')
            print(o.text.replace('\f', '').rstrip() or '(no text found)')
            print()
    else:
        for o in ok:
            first = ' '.join(o.text.split())[:70]
            print(f'{printable(o.item.path)}: {o.pages} page(s), {o.words} words: {first}')
    sys.stdout.flush()


def main(argv=None):
    import clip4str  # noqa: F401  (registries and compat fixes first)
    from clip4str.ocr.detect_ahead import limit_malloc_arenas
    from clip4str.ocr.errors import ModelLoadError
    from clip4str.ocr.inputs import collect_inputs, dist_rank, shard
    from clip4str.ocr.pages import parse_page_range
    from clip4str.ocr.preset import ALL_OUTPUTS, build_engine, load_preset
    from clip4str.ocr.runner import BatchRunner, LoadOptions, check_output_dir

    args = parse_args(argv)
    try:
        pages = parse_page_range(args.pages)
    except ValueError as e:
        print(f'error: --pages: {e}', file=sys.stderr)
        return 2
    if args.timeout is not None and args.timeout < 0:
        print('error: --timeout: give seconds per page, or 0 for no limit', file=sys.stderr)
        return 2
    try:  # before models load (a minute), not after
        check_output_dir(args.out)
    except OSError as e:
        print(f'error: --out: {e}', file=sys.stderr)
        return 2
    # before model loading starts threads: detection ahead allocates in two of them
    limit_malloc_arenas()
    rank, world = dist_rank()
    items = shard(collect_inputs(args.inputs, exclude=args.out), rank, world)
    try:
        cfg = load_preset(args.preset, args.cfg_options)
        explicit = set()
        for part in ('det', 'rec'):
            if getattr(args, part):
                cfg[part]['config'] = getattr(args, part)
                cfg[part].pop('fallback_config', None)
                cfg[part]['weights'] = None
                explicit.add(part)
            if getattr(args, f'{part}_weights'):
                cfg[part]['weights'] = getattr(args, f'{part}_weights')
                explicit.add(part)
        if args.rec_onnx:
            if args.rec or args.rec_weights:
                print('error: --rec-onnx replaces --rec/--rec-weights: give one or the other',
                      file=sys.stderr)
                return 2
            cfg.rec['onnx'] = args.rec_onnx
        outputs = args.outputs.split(',') if args.outputs else list(cfg.get('outputs', ALL_OUTPUTS))
        bad = set(outputs) - set(ALL_OUTPUTS)
        if bad:
            print(f'error: --outputs: unknown {sorted(bad)}; choose from {list(ALL_OUTPUTS)}',
                  file=sys.stderr)
            return 2
        device = pick_device(args.device)
        engine = build_engine(cfg, device, explicit, args.det_batch_size, args.batch_size,
                              args.precision, args.backend)
    except ModelLoadError as e:
        print(f'error: {e}', file=sys.stderr)
        return 2

    load_cfg = cfg.get('load', {})
    load = LoadOptions(dpi=args.dpi or load_cfg.get('dpi', 200), pages=pages,
                       password=args.password,
                       max_pixels=args.max_pixels or load_cfg.get('max_pixels')
                       or LoadOptions.max_pixels,
                       timeout=args.timeout if args.timeout is not None
                       else load_cfg.get('timeout', LoadOptions.timeout),
                       prefetch=load_cfg.get('prefetch', LoadOptions.prefetch))
    runner = BatchRunner(engine, args.out, outputs, load, overwrite=args.overwrite)
    progress = None
    if not (args.quiet or args.no_progress) and sys.stderr.isatty():
        from tqdm import tqdm
        progress = tqdm(total=len(items), unit='input', desc=f'OCR rank {rank}'
                        if world > 1 else 'OCR', file=sys.stderr)
    summary = runner.run(items, progress)
    if progress is not None:
        progress.close()
    print_results(summary, len(items), args.quiet)
    prefix = f'[rank {rank}/{world}] ' if world > 1 else ''
    print(prefix + summary.line(), file=sys.stderr, flush=True)
    return summary.exit_code


def cli():
    sys.exit(main())


if __name__ == '__main__':
    cli()
