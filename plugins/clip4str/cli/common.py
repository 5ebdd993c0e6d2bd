"""Shared pieces of the train/test command lines (MMOCR's tools/ conventions)."""
import argparse
import os
import os.path as osp
import sys
from contextlib import contextmanager

from mmengine.config import Config, DictAction


def add_common_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('--work-dir', help='directory for logs, checkpoints and metrics')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config settings, key=value pairs, e.g. '
        'train_dataloader.batch_size=32 model.decoder.max_seq_len=30')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none', help='job launcher (pytorch = torchrun)')
    # torch.distributed.launch passes --local-rank; torchrun sets LOCAL_RANK
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    parser.add_argument('--debug', action='store_true',
                        help='on an error, show the full traceback instead of one line')


@contextmanager
def one_line_errors(debug: bool = False):
    """An unexpected error ends the command with one line 'error: Type: message' (exit 1);
    with ``debug`` the traceback is shown instead."""
    from ..ocr.errors import error_line
    try:
        yield
    except (SystemExit, KeyboardInterrupt):
        raise
    except Exception as e:
        if debug:
            raise
        raise SystemExit(f'error: {error_line(e)} (--debug shows the traceback)')


def bad_value(message: str) -> None:
    """A bad command-line or config value: one line, exit status 2 (as argparse does)."""
    print(f'error: {message}', file=sys.stderr, flush=True)
    raise SystemExit(2)


def load_config(args) -> Config:
    """Read the config named on the command line, failing with the file name and the problem."""
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    if not osp.isfile(args.config):
        raise SystemExit(f'error: config file not found: {args.config}')
    try:
        cfg = Config.fromfile(args.config)
    except Exception as e:  # syntax errors, missing _base_ files, failed custom_imports
        raise SystemExit(f'error: cannot load config {args.config}: {type(e).__name__}: {e}')
    cfg.launcher = args.launcher
    if args.cfg_options:
        from ..config_check import check_overrides
        try:
            check_overrides(cfg, args.cfg_options)
        except ValueError as e:
            bad_value(str(e))
        cfg.merge_from_dict(args.cfg_options)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])
    return cfg


def init_distributed_without_cuda(cfg) -> None:
    """Make torchrun training work on machines without CUDA (MMEngine 0.10 assumes GPUs).

    - MMEngine's launcher calls ``torch.cuda.set_device`` unconditionally, which fails on a
      CPU-only torch; the runner skips its own initialisation when a group already exists, so
      we start it here. NCCL needs GPUs: a configured 'nccl' becomes 'gloo'.
    - Its default DDP wrapper passes ``device_ids=[LOCAL_RANK]``, invalid for CPU modules: unless
      the config has its own ``model_wrapper_cfg``, we set one with ``device_ids=None``.
    """
    import torch
    import torch.distributed as dist
    if cfg.get('launcher', 'none') != 'pytorch' or torch.cuda.is_available() or \
            dist.is_initialized():
        return
    dist_cfg = dict(cfg.get('env_cfg', {}).get('dist_cfg', {}))
    backend = dist_cfg.pop('backend', 'gloo')
    if backend == 'nccl':
        backend = 'gloo'
    timeout = dist_cfg.pop('timeout', None)
    if timeout is not None:
        import datetime
        dist_cfg['timeout'] = datetime.timedelta(seconds=timeout)
    dist.init_process_group(backend=backend, **dist_cfg)
    if cfg.get('model_wrapper_cfg') is None:
        cfg.model_wrapper_cfg = dict(
            type='MMDistributedDataParallel', device_ids=None, broadcast_buffers=False,
            find_unused_parameters=cfg.get('find_unused_parameters', False))


def build_runner(cfg):
    from mmengine.registry import RUNNERS
    from mmengine.runner import Runner
    init_distributed_without_cuda(cfg)
    return Runner.from_cfg(cfg) if 'runner_type' not in cfg else RUNNERS.build(cfg)
