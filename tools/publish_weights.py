#!/usr/bin/env python
"""Turn a training checkpoint into a small shipped weight file and record it in a manifest.

    python tools/publish_weights.py work_dirs/dbnet_synthdoc/iter_6000.pth \
        weights/dbnet_resnet18_synthdoc.pth \
        --config configs/textdet/dbnet/dbnet_resnet18_fpnc_synthdoc.py \
        --training-data "3000 synthetic pages (seed 0) + 25 SROIE receipts" \
        --work-dir work_dirs/dbnet_synthdoc --evaluate

The output holds ``{'state_dict': ..., 'meta': ...}`` only: no optimizer, scheduler or message
hub, floating-point tensors in float16 (``--fp32`` keeps them), plain Python values in ``meta``,
so it loads with ``torch.load(f, weights_only=True)`` and through MMEngine/MMOCR
(``TextDetInferencer(model=config, weights=file)``, ``tools/test.py config file``).
``weights/MANIFEST.json`` gets (or updates) one entry per file: sha256, size, config, training
data, iterations, wall time and scores with the command that produced them.
"""
import argparse
import datetime
import glob
import hashlib
import json
import os
import os.path as osp
import re
import shlex
import sys
from typing import Dict, Optional

import torch

LOG_TIME = re.compile(r'^(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) - mmengine')


def sha256sum(path: str) -> str:
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            h.update(block)
    return h.hexdigest()


def load_training_checkpoint(path: str) -> Dict:
    """A runner checkpoint (or a bare state dict), loaded without arbitrary unpickling."""
    import clip4str_compat
    if not osp.isfile(path):
        raise SystemExit(f'error: checkpoint not found: {path}')
    try:
        ckpt = clip4str_compat.safe_load_checkpoint(path, map_location='cpu')
    except Exception as e:
        raise SystemExit(f'error: cannot load checkpoint {path}: {type(e).__name__}: {e}')
    if not isinstance(ckpt, dict):
        raise SystemExit(f'error: {path} holds a {type(ckpt).__name__}, not a checkpoint dict')
    return ckpt


def shipped_state_dict(ckpt: Dict, half: bool = True, ema: bool = False) -> Dict:
    key = 'ema_state_dict' if ema else 'state_dict'
    sd = ckpt.get(key, None if ema else ckpt)
    if sd is None:
        raise SystemExit(f'error: checkpoint has no {key!r}')
    out = {}
    for name, tensor in sd.items():
        if not torch.is_tensor(tensor):
            continue  # e.g. EMA's step counter stored as int
        if ema:  # MMEngine's ExponentialMovingAverage prefixes names with 'module.'
            name = name[len('module.'):] if name.startswith('module.') else name
        t = tensor.detach().cpu().contiguous()  # e.g. channels-last training layout
        out[name] = t.half() if half and fits_in_fp16(t) else t.clone()
    return out


FP16_MAX = torch.finfo(torch.float16).max


def fits_in_fp16(t: torch.Tensor) -> bool:
    """Floating tensors whose values fp16 can hold; others stay fp32. BatchNorm running
    variances of a model trained from scratch reach 1e5 and would turn into inf (and the model
    into one that finds nothing)."""
    if not t.is_floating_point():
        return False
    return t.numel() == 0 or bool(t.float().abs().max() < FP16_MAX)


def wall_time_hours(work_dir: str) -> Optional[float]:
    """Sum over the runs in a work dir (each resume is a run) of first-to-last log line time."""
    total = 0.0
    for log in sorted(glob.glob(osp.join(work_dir, '*', '*.log'))):
        stamps = []
        with open(log, encoding='utf-8', errors='replace') as f:
            for line in f:
                m = LOG_TIME.match(line)
                if m:
                    stamps.append(m.group(1))
        if len(stamps) >= 2:
            parse = lambda s: datetime.datetime.strptime(s, '%Y/%m/%d %H:%M:%S')  # noqa
            total += max(0.0, (parse(stamps[-1]) - parse(stamps[0])).total_seconds())
    return round(total / 3600, 2) if total else None


def evaluate(config: str, weights: str) -> Dict:
    """Run tools/test.py on the published file; return its metrics and the command."""
    from clip4str.cli.test import main as test_main
    work_dir = osp.join('work_dirs', 'publish_eval', osp.splitext(osp.basename(weights))[0])
    argv = [config, weights, '--work-dir', work_dir]
    metrics = test_main(argv) or {}
    return dict(scores={k: round(float(v), 4) for k, v in metrics.items()},
                scores_command='python tools/test.py ' + ' '.join(shlex.quote(a) for a in argv))


def update_manifest(manifest: str, entry: Dict) -> None:
    data = {'models': []}
    if osp.isfile(manifest):
        with open(manifest, encoding='utf-8') as f:
            data = json.load(f)
    models = [m for m in data.get('models', []) if m.get('file') != entry['file']]
    models.append(entry)
    data['models'] = sorted(models, key=lambda m: m['file'])
    tmp = manifest + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        json.dump(data, f, indent=2)
        f.write('\n')
    os.replace(tmp, manifest)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description='Make a shipped weight file from a checkpoint')
    p.add_argument('checkpoint', help='runner checkpoint (work_dirs/.../iter_N.pth)')
    p.add_argument('output', help='shipped file, e.g. weights/dbnet_resnet18_synthdoc.pth')
    p.add_argument('--config', required=True, help='the config the weights belong to')
    p.add_argument('--manifest', default='weights/MANIFEST.json')
    p.add_argument('--training-data', default='', help='what it was trained on (free text)')
    p.add_argument('--work-dir', help='training work dir: wall time is summed from its logs')
    p.add_argument('--wall-time-hours', type=float, help='override the measured wall time')
    p.add_argument('--scores', help='JSON dict of scores (or a path to one), if not --evaluate')
    p.add_argument('--scores-command', default='', help='command that produced --scores')
    p.add_argument('--evaluate', action='store_true',
                   help="run tools/test.py with the config's test sets on the published file")
    p.add_argument('--fp32', action='store_true', help='keep float32 (default: float16)')
    p.add_argument('--ema', action='store_true', help='publish the EMA weights')
    p.add_argument('--max-mb', type=float, default=None, help='fail if the file is larger')
    p.add_argument('--notes', default='', help='free text for the manifest entry')
    return p.parse_args(argv)


def main(argv=None):
    import clip4str  # noqa: F401  (compat fixes, registries)
    args = parse_args(argv)
    if not osp.isfile(args.config):
        raise SystemExit(f'error: config file not found: {args.config}')
    ckpt = load_training_checkpoint(args.checkpoint)
    meta_in = ckpt.get('meta', {}) if isinstance(ckpt.get('meta'), dict) else {}
    state_dict = shipped_state_dict(ckpt, half=not args.fp32, ema=args.ema)
    meta = dict(config=args.config, iterations=int(meta_in.get('iter', 0) or 0),
                epoch=int(meta_in.get('epoch', 0) or 0),
                dtype='float32' if args.fp32 else 'float16',
                source_checkpoint=osp.basename(args.checkpoint))
    dataset_meta = meta_in.get('dataset_meta')
    if isinstance(dataset_meta, dict):  # plain types only (weights_only loading)
        meta['dataset_meta'] = json.loads(json.dumps(dataset_meta, default=str))

    os.makedirs(osp.dirname(osp.abspath(args.output)), exist_ok=True)
    tmp = args.output + '.tmp'
    torch.save({'state_dict': state_dict, 'meta': meta}, tmp)
    torch.load(tmp, map_location='cpu', weights_only=True)  # the promise we make: check it
    os.replace(tmp, args.output)
    size = osp.getsize(args.output)
    if args.max_mb is not None and size > args.max_mb * 1e6:
        os.remove(args.output)
        raise SystemExit(f'error: {args.output} is {size / 1e6:.1f} MB > --max-mb {args.max_mb}')

    entry = dict(file=osp.relpath(args.output),  # relative to the repository root
                 sha256=sha256sum(args.output), size_bytes=size, dtype=meta['dtype'],
                 config=args.config, training_data=args.training_data,
                 iterations=meta['iterations'],
                 wall_time_hours=(args.wall_time_hours if args.wall_time_hours is not None else
                                  wall_time_hours(args.work_dir) if args.work_dir else None),
                 source_checkpoint=osp.basename(args.checkpoint),
                 published=datetime.date.today().isoformat(), notes=args.notes)
    if args.evaluate:
        entry.update(evaluate(args.config, args.output))
    elif args.scores:
        text = open(args.scores).read() if osp.isfile(args.scores) else args.scores
        entry.update(scores=json.loads(text), scores_command=args.scores_command)
    update_manifest(args.manifest, entry)
    n_fp32 = sum(t.dtype == torch.float32 for t in state_dict.values()) if not args.fp32 else 0
    print(f"{args.output}: {size / 1e6:.2f} MB, sha256 {entry['sha256'][:16]}..., "
          f"{len(state_dict)} tensors ({meta['dtype']}, {n_fp32} kept in float32 for range); "
          f"manifest {args.manifest} updated")
    return entry


if __name__ == '__main__':
    sys.exit(0 if main() else 1)
