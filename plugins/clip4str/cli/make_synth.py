"""`tools/make_synth.py`: render synthetic word images into an MMOCR recognition LMDB.

    tools/make_synth.py --out data/synth/train --num 200000 --seed 0 --workers 2
    tools/make_synth.py --out data/synth/train --preview 48          # look before generating
    nice -n 19 tools/make_synth.py --out data/synth/train --num 200000 --workers 1  # resumes

Sample i depends only on (--seed, i) and the settings, so reruns resume where a killed run
stopped and any --workers gives the same bytes.
"""
import argparse
import os
import signal
import sys


def parse_args(argv=None):
    p = argparse.ArgumentParser(description='Generate synthetic word images (LMDB for '
                                'MMOCR RecogLMDBDataset)')
    p.add_argument('--out', required=True, help='LMDB directory to create or resume')
    p.add_argument('--num', type=int, default=0, help='total number of samples wanted')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--workers', type=int, default=1, help='rendering processes')
    p.add_argument('--config', help='mm-style .py/.json/.yaml defining synth = dict(...) with '
                   'any of: text, fonts, backgrounds, style, image_format, jpg_quality '
                   '(SynthGenerator arguments; see clip4str.datasets.synth.generator)')
    p.add_argument('--fonts', nargs='+', metavar='PATH',
                   help='font files or directories (default: system font directories)')
    p.add_argument('--font-cache', help='font coverage cache file '
                   '(default ~/.cache/clip4str/synth_font_coverage.json; "none" disables)')
    p.add_argument('--format', choices=['jpg', 'png'], help='image encoding (default jpg)')
    p.add_argument('--commit-every', type=int, default=1000,
                   help='samples per LMDB transaction (what a killed run can lose)')
    p.add_argument('--overwrite', action='store_true',
                   help='delete an existing LMDB at --out instead of resuming it')
    p.add_argument('--preview', type=int, metavar='N',
                   help='write a PNG sheet of the first N samples (with labels) and exit '
                   'unless --num is also given')
    p.add_argument('--preview-path', help='sheet path (default: <out>_preview.png)')
    p.add_argument('--list-fonts', action='store_true',
                   help='print the fonts used and the ones skipped (with why), then exit')
    return p.parse_args(argv)


def build_gen_kwargs(args) -> dict:
    kwargs = {}
    if args.config:
        if not os.path.isfile(args.config):
            raise SystemExit(f'error: config file not found: {args.config}')
        from mmengine.config import Config
        try:
            cfg = Config.fromfile(args.config)
        except Exception as e:
            raise SystemExit(f'error: cannot load config {args.config}: {type(e).__name__}: {e}')
        if not isinstance(cfg.get('synth'), dict):
            raise SystemExit(f'error: {args.config}: define synth = dict(...) with the '
                             f'generator settings')
        kwargs = cfg.synth.to_dict()
        allowed = {'text', 'fonts', 'backgrounds', 'style', 'image_format', 'jpg_quality',
                   'dict_file'}
        unknown = set(kwargs) - allowed
        if unknown:
            raise SystemExit(f'error: {args.config}: unknown keys {sorted(unknown)}; '
                             f'allowed: {sorted(allowed)}')
    fonts = dict(kwargs.get('fonts') or {})
    if args.fonts:
        missing = [f for f in args.fonts if not os.path.exists(os.path.expanduser(f))]
        if missing:
            raise SystemExit(f'error: --fonts paths not found: {missing}')
        fonts['fonts'] = args.fonts
    if args.font_cache:
        fonts['cache_file'] = None if args.font_cache.lower() == 'none' else args.font_cache
    if fonts:
        kwargs['fonts'] = fonts
    if args.format:
        kwargs['image_format'] = args.format
    return kwargs


def _terminate(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    import clip4str  # noqa: F401  (compat fixes; also makes the package importable here)
    from clip4str.datasets.synth import (LMDBMismatchError, NoFontError, SynthGenerator,
                                         generate_lmdb, render_preview)
    args = parse_args(argv)
    kwargs = build_gen_kwargs(args)
    signal.signal(signal.SIGTERM, _terminate)  # `kill`: stop like Ctrl-C, keeping finished work
    try:
        if args.list_fonts:
            gen = SynthGenerator(seed=args.seed, **kwargs)
            for f in gen.fonts.fonts:
                flags = (' caps-only' if f.caps_only else '') + (' script' if f.script else '')
                print(f'use  {f.path}  [{f.family} / {f.style}]{flags}')
            for path, why in gen.fonts.skipped:
                print(f'skip {path}: {why}')
            print(f'{len(gen.fonts)} fonts in {len(gen.fonts.families)} families; '
                  f'{len(gen.fonts.skipped)} skipped')
            return 0
        if args.preview:
            path = args.preview_path or args.out.rstrip('/') + '_preview.png'
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            render_preview(path, args.preview, seed=args.seed, gen_kwargs=kwargs)
            print(f'preview of {args.preview} samples: {path}')
            if not args.num:
                return 0
        if args.num <= 0:
            raise SystemExit('error: --num must be a positive number of samples '
                             '(or use --preview N / --list-fonts)')
        generate_lmdb(args.out, args.num, seed=args.seed, workers=args.workers,
                      gen_kwargs=kwargs, commit_every=args.commit_every,
                      overwrite=args.overwrite, log=lambda m: print(m, flush=True))
    except (LMDBMismatchError, NoFontError, ValueError) as e:
        print(f'error: {e}', file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print('interrupted: committed samples are kept; rerun the same command to resume',
              file=sys.stderr)
        return 130
    return 0


if __name__ == '__main__':
    sys.exit(main())
