"""`tools/train.py`: train a model from an mm config with MMEngine's runner."""
import argparse
import logging

from mmengine.logging import print_log

from .common import add_common_args, build_runner, load_config, one_line_errors


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train a model (MMEngine runner)')
    parser.add_argument('config', help='train config file')
    parser.add_argument(
        '--resume', nargs='?', const='auto', default=None, metavar='CHECKPOINT',
        help='resume from CHECKPOINT, or with no value from the latest checkpoint in work_dir')
    parser.add_argument('--amp', action='store_true',
                        help='mixed precision: fp16 with loss scaling on CUDA (as the reference), '
                        'bf16 on CPU (BF16OptimWrapper)')
    parser.add_argument('--auto-scale-lr', action='store_true',
                        help='scale lr by total batch size / auto_scale_lr.base_batch_size')
    add_common_args(parser)
    return parser.parse_args(argv)


def main(argv=None):
    import clip4str  # noqa: F401  (registries and compat fixes before the runner is built)
    args = parse_args(argv)
    with one_line_errors(args.debug):
        _train(args)


def _train(args):
    cfg = load_config(args)

    if args.amp:
        wrapper = cfg.optim_wrapper.get('type', 'OptimWrapper')
        if wrapper in ('AmpOptimWrapper', 'BF16OptimWrapper'):
            print_log('AMP is already enabled in the config.', logger='current',
                      level=logging.WARNING)
        else:
            import torch
            if torch.cuda.is_available():
                cfg.optim_wrapper.type = 'AmpOptimWrapper'
                cfg.optim_wrapper.loss_scale = 'dynamic'
            else:  # MMEngine's AmpOptimWrapper is GPU-only; bf16 needs no loss scaling
                cfg.optim_wrapper.type = 'BF16OptimWrapper'
    if args.auto_scale_lr:
        if 'base_batch_size' not in cfg.get('auto_scale_lr', {}):
            raise SystemExit(f'error: --auto-scale-lr needs auto_scale_lr.base_batch_size in '
                             f'{args.config}')
        cfg.auto_scale_lr.enable = True
    if args.resume == 'auto':
        cfg.resume, cfg.load_from = True, None
    elif args.resume is not None:
        cfg.resume, cfg.load_from = True, args.resume

    runner = build_runner(cfg)
    runner.train()
    import torch.distributed as dist
    if dist.is_available() and dist.is_initialized():
        # an explicit shutdown: left to interpreter exit, gloo's threads sometimes abort the
        # process after training finished ("terminate called without an active exception")
        dist.barrier()
        dist.destroy_process_group()
        # ... and still, under load, about one run in four aborted in the interpreter's teardown
        # after that. Checkpoints and logs are written by now: flush them and leave without it
        import logging
        import os
        import sys
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


if __name__ == '__main__':
    main()
