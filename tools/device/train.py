#!/usr/bin/env python
"""Train a shipped model for a fixed wall-clock budget: the command a lent GPU runs
(tools/device/on_device.sh), and the CPU dry run of the same path (tests/device).

    python tools/device/train.py recog --budget-s 480 --out $OUT --kit .device
    python tools/device/train.py recog --budget-s 60 --max-iters 3 --batch-size 4 --out /tmp/o

It starts from the shipped weights, trains with MMEngine's runner (bf16 autocast, large
batches), and writes weight snapshots in parts of at most 16 MiB into --out every
--snapshot-every seconds and at the end (tools/device/reassemble.py joins them).
"""
import argparse
import math
import os
import os.path as osp
import sys
import time

HERE = osp.dirname(osp.abspath(__file__))
ROOT = osp.dirname(osp.dirname(HERE))
sys.path[:0] = [HERE, osp.join(ROOT, 'plugins')]

RECIPES = {
    'recog': dict(
        config='configs/textrecog/clip4str/clip4str_small_conv-ctc_synth-real.py',
        weights='weights/clip4str_small.pth', gpu_batch=256, cpu_batch=8, base_batch=128,
        lr_mult=1.0),
    # the config's own BF16OptimWrapper and ChannelsLastHook stay; lr halved: it fine-tunes
    'det': dict(
        config='configs/textdet/dbnet/dbnet_resnet18_fpnc_synthdoc.py',
        weights='weights/dbnet_resnet18_synthdoc.pth', gpu_batch=16, cpu_batch=2, base_batch=2,
        lr_mult=0.5),
}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('run', choices=sorted(RECIPES))
    p.add_argument('--budget-s', type=float, required=True, help='training seconds')
    p.add_argument('--out', required=True, help='folder for the snapshot parts ($OUT there)')
    p.add_argument('--kit', default=osp.join(ROOT, '.device'),
                   help='what tools/device/pack.py prepared (weights, real crops, fonts)')
    p.add_argument('--weights', help='start weights (default: the kit copy, else weights/)')
    p.add_argument('--batch-size', type=int, help='default: the recipe\'s on a GPU, 8 on CPU')
    p.add_argument('--workers', type=int, help='DataLoader workers (default: cores - 2, at most 14)')
    p.add_argument('--lr-scale', type=float, default=1.0,
                   help='times the recipe peak lr (which scales with sqrt(batch / base batch))')
    p.add_argument('--max-iters', type=int, default=0, help='also stop after N iterations')
    p.add_argument('--snapshot-every', type=float, default=120.0, help='seconds')
    p.add_argument('--synth-seed', type=int, default=1,
                   help='synthetic word seed (the shipped model saw seed 0\'s first 200K)')
    p.add_argument('--synth-share', type=float, default=0.75,
                   help='fraction of each epoch that is synthetic words')
    p.add_argument('--real-repeat', type=int, default=30, help='real crops per epoch, times')
    p.add_argument('--pages', type=int, default=1500,
                   help='det: synthetic pages rendered before training (at most)')
    p.add_argument('--render-s', type=float, default=75.0,
                   help='det: seconds for rendering them (on all cores), at most')
    p.add_argument('--work-dir', default=None, help='MMEngine logs (default: a /tmp folder)')
    return p.parse_args(argv)


def kit_path(kit: str, *names) -> str:
    return osp.join(kit, *names)


def recog_dataset(cfg, args, kit: str) -> dict:
    real_lmdb = unpack(kit, 'real_crops', work_dir(args))
    import lmdb
    with lmdb.open(real_lmdb, readonly=True, lock=False) as env, env.begin() as txn:
        n_real = int(txn.get(b'num-samples'))
    real_per_epoch = n_real * args.real_repeat
    synth_len = int(real_per_epoch * args.synth_share / max(1e-6, 1 - args.synth_share))
    gen_kwargs = dict(fonts=dict(fonts=[kit_path(kit, 'fonts')]),
                      text=dict(lexicon_paths=[kit_path(kit, 'words.txt')]))
    synth = dict(type='SynthStreamDataset', length=synth_len, seed=args.synth_seed,
                 gen_kwargs=gen_kwargs, pipeline=cfg.synth_pipeline)
    real = dict(type='RepeatDataset', times=args.real_repeat, dataset=dict(
        type='FilteredRecogLMDBDataset', ann_file=real_lmdb,
        img_color_type='color_ignore_orientation', filter_cfg=dict(max_label_length=25),
        on_bad_image='skip', pipeline=cfg.real_pipeline))
    return dict(type='ConcatDataset', datasets=[synth, real])


def unpack(kit: str, name: str, dest: str) -> str:
    """<kit>/data/<name>.tar.gz (pack.py) unpacked into dest; returns dest/<name>."""
    import tarfile
    archive = kit_path(kit, 'data', name + '.tar.gz')
    if not osp.isfile(archive):
        raise SystemExit(f'error: {archive} missing (run tools/device/pack.py)')
    with tarfile.open(archive) as tar:
        tar.extractall(dest, filter='data')
    return osp.join(dest, name)


def ensure_page_fonts(kit: str) -> None:
    """The page renderer reads fonts from the system folders (and ~/.fonts) only: on a bare
    device machine put the kit's fonts in ~/.fonts."""
    from clip4str.datasets.synth_pages.fonts import find_fonts
    if find_fonts():
        return
    import shutil
    dest = osp.expanduser('~/.fonts')
    os.makedirs(dest, exist_ok=True)
    for f in os.listdir(kit_path(kit, 'fonts')):
        shutil.copy(kit_path(kit, 'fonts', f), dest)


def render_pages(out_dir: str, max_pages: int, seconds: float, seed: int, workers: int) -> int:
    """Synthetic pages (tools/make_synth_pages.py's generator) in chunks until `max_pages` or
    `seconds`; returns how many textdet_train.json lists."""
    from clip4str.datasets.synth_pages.writer import generate, write_annotations
    t0, done = time.time(), 0
    chunk = max(8, 8 * workers)
    while done < max_pages and time.time() - t0 < seconds:
        n = min(chunk, max_pages - done)
        generate(out_dir, n, seed=seed, workers=workers, start=done, log_every=10**9)
        done += n
    pages = write_annotations(out_dir, range(done))
    print(f'rendered {pages} pages in {time.time() - t0:.0f} s with {workers} workers',
          flush=True)
    return pages


def det_dataset(cfg, args, work: str) -> dict:
    kit = args.kit
    sroie = unpack(kit, 'sroie_words', work)
    ensure_page_fonts(kit)
    pages_dir = osp.join(work, 'synth_pages')
    render_pages(pages_dir, args.pages, args.render_s, args.synth_seed,
                 max(1, (args.workers if args.workers is not None else default_workers()) + 1))
    pages = dict(cfg.synth_pages_train, data_root=pages_dir)
    real = dict(cfg.sroie_words_train, data_root=sroie)
    return dict(type='ConcatDataset',
                datasets=[pages, dict(type='RepeatDataset', times=12, dataset=real)])


def default_workers() -> int:
    """All cores but two render and load (the main process feeds the GPU, the pin-memory thread
    copies); capped at 14, as a sandbox may report the host's cores."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()
    return max(1, min(14, (cores or 2) - 2))


def build_config(args):
    import torch
    from mmengine.config import Config
    recipe = RECIPES[args.run]
    cfg = Config.fromfile(osp.join(ROOT, recipe['config']))
    gpu = torch.cuda.is_available()
    batch = args.batch_size or (recipe['gpu_batch'] if gpu else recipe['cpu_batch'])
    workers = args.workers if args.workers is not None else default_workers()
    cfg.train_dataloader = dict(
        batch_size=batch, num_workers=workers, persistent_workers=workers > 0,
        pin_memory=gpu, sampler=dict(type='DefaultSampler', shuffle=True),
        dataset=(recog_dataset(cfg, args, args.kit) if args.run == 'recog' else
                 det_dataset(cfg, args, osp.join(work_dir(args), 'data'))))
    if workers > 0:
        cfg.train_dataloader['prefetch_factor'] = 4
    for key in ('val_dataloader', 'val_evaluator', 'val_cfg', 'test_dataloader',
                'test_evaluator', 'test_cfg'):
        cfg[key] = None  # no benchmark data travels: evaluation happens on the CPU afterwards
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=10**9, val_interval=10**9)
    cfg.param_scheduler = None  # TimeBudgetHook schedules over seconds
    cfg.optim_wrapper.type = 'BF16OptimWrapper'  # autocast on the model's device, no scaler
    lr = (cfg.optim_wrapper.optimizer.lr * math.sqrt(batch / recipe['base_batch']) *
          recipe['lr_mult'] * args.lr_scale)
    cfg.optim_wrapper.optimizer.lr = lr
    cfg.auto_scale_lr = dict(enable=False)
    cfg.default_hooks.checkpoint = None  # SplitSnapshotHook writes what comes back
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=20 if gpu else 1)
    cfg.env_cfg = dict(cfg.env_cfg, cudnn_benchmark=gpu)
    cfg.randomness = dict(seed=args.synth_seed)
    cfg.load_from, cfg.resume = None, False
    meta = dict(run=args.run, config=recipe['config'], batch_size=batch, workers=workers,
                peak_lr=lr, budget_s=args.budget_s, synth_seed=args.synth_seed,
                start_weights=osp.basename(start_weights(args)))
    cfg.custom_hooks = list(cfg.get('custom_hooks') or []) + [
        dict(type='StartWeightsHook', path=start_weights(args)),
        dict(type='TimeBudgetHook', budget_s=args.budget_s, max_iters=args.max_iters),
        dict(type='SplitSnapshotHook', out_dir=args.out, name=args.run,
             interval_s=args.snapshot_every, extra_meta=meta)]
    cfg.work_dir = work_dir(args)
    return cfg


def work_dir(args) -> str:
    return args.work_dir or osp.join('/tmp', 'devkit_work', args.run)


def start_weights(args) -> str:
    if args.weights:
        return args.weights
    kit_copy = kit_path(args.kit, osp.basename(RECIPES[args.run]['weights']))
    return kit_copy if osp.isfile(kit_copy) else osp.join(ROOT, RECIPES[args.run]['weights'])


def ensure_distutils() -> None:
    """MMEngine's Runner logs its environment through collect_env, which imports distutils:
    gone from Python 3.12 (the device's) unless setuptools' shim is active, and it is only where
    setuptools' .pth file was read at start-up, not for the wheels on_device.sh puts on
    PYTHONPATH (the carried setuptools brings the shim)."""
    try:
        import distutils  # noqa: F401
    except ImportError:
        import _distutils_hack
        _distutils_hack.add_shim()


def main(argv=None):
    args = parse_args(argv)
    ensure_distutils()
    import clip4str  # noqa: F401  (registries and compat fixes first)
    import torch
    from devkit import hooks, synth_stream  # noqa: F401  (register the hook and dataset)
    from mmengine.runner import Runner
    if torch.cuda.is_available():
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    os.makedirs(args.out, exist_ok=True)
    cfg = build_config(args)
    t0 = time.time()
    if not osp.isfile(start_weights(args)):
        raise SystemExit(f'error: start weights not found: {start_weights(args)}')
    runner = Runner.from_cfg(cfg)
    runner.logger.info(f'runner built in {time.time() - t0:.1f} s; training for '
                       f'{args.budget_s:.0f} s')
    runner.train()
    return 0


if __name__ == '__main__':
    sys.exit(main())
