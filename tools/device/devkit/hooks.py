"""MMEngine hooks for a fixed wall-clock budget (the device lease counts seconds, not
iterations): a one-cycle learning rate over the budget, a stop when it is spent, and snapshots
in parts (:mod:`devkit.parts`) written every few minutes and at the end."""
import io
import json
import math
import os.path as osp
import sys
import time

import torch
from mmengine.hooks import Hook
from mmengine.registry import HOOKS

from . import parts

# tools/publish_weights.py: the fp16 conversion the shipped files use (BN variances stay fp32)
sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
from publish_weights import shipped_state_dict  # noqa: E402


def one_cycle_factor(frac: float, warmup: float = 0.075, start: float = 0.04,
                     final: float = 1e-3) -> float:
    """Multiplier of the peak learning rate at fraction `frac` of the budget: linear warm-up
    from `start` to 1, then cosine down to `final` (GroupOneCycleLR's shape, over time)."""
    frac = min(max(frac, 0.0), 1.0)
    if frac < warmup:
        return start + (1 - start) * frac / warmup
    t = (frac - warmup) / (1 - warmup)
    return final + (1 - final) * 0.5 * (1 + math.cos(math.pi * t))


@HOOKS.register_module()
class StartWeightsHook(Hook):
    """Loads the start weights when training begins: after Runner.train() has run the model's
    init_weights (which would overwrite weights loaded earlier). A weights-only torch.load, not
    MMEngine's load_from: the device has numpy 2, this machine numpy 1, and the shipped files
    hold tensors only."""
    priority = 'HIGHEST'

    def __init__(self, path: str):
        self.path = path

    def before_train(self, runner):
        if not osp.isfile(self.path):
            raise FileNotFoundError(f'start weights not found: {self.path}')
        ckpt = torch.load(self.path, map_location='cpu', weights_only=True)
        state = ckpt.get('state_dict', ckpt)
        model = runner.model.module if hasattr(runner.model, 'module') else runner.model
        missing, unexpected = model.load_state_dict(state, strict=False)
        if missing or unexpected:
            raise RuntimeError(f'{self.path} does not fit the model: missing {missing[:5]}, '
                               f'unexpected {unexpected[:5]}')
        runner.logger.info(f'start weights: {len(state)} tensors from {self.path}')


@HOOKS.register_module()
class TimeBudgetHook(Hook):
    """Stops training after `budget_s` seconds and schedules the learning rate over them.

    Replaces the config's param_scheduler (iteration counts are unknown in advance). Each param
    group's learning rate at the start of training is its peak. Runs before RuntimeInfoHook, so
    the logged lr is the one used.
    """
    priority = 'HIGHEST'

    def __init__(self, budget_s: float, warmup: float = 0.075, max_iters: int = 0):
        self.budget_s, self.warmup, self.max_iters = float(budget_s), warmup, int(max_iters)
        self.start = None
        self.samples = 0

    def before_train(self, runner):
        self.start = time.monotonic()
        for group in runner.optim_wrapper.optimizer.param_groups:
            group.setdefault('peak_lr', group['lr'])

    def elapsed(self) -> float:
        return time.monotonic() - self.start if self.start is not None else 0.0

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        factor = one_cycle_factor(self.elapsed() / self.budget_s, self.warmup)
        for group in runner.optim_wrapper.optimizer.param_groups:
            group['lr'] = group['peak_lr'] * factor

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
        if data_batch is not None:
            self.samples += len(data_batch['inputs'])
        done = runner.iter + 1
        if self.elapsed() >= self.budget_s or (self.max_iters and done >= self.max_iters):
            runner.train_loop.stop_training = True


@HOOKS.register_module()
class SplitSnapshotHook(Hook):
    """Writes the model's weights (fp16 where they fit) as a split snapshot into `out_dir` every
    `interval_s` seconds and when training ends, alternating between slots A and B."""
    priority = 'LOW'

    def __init__(self, out_dir: str, name: str, interval_s: float = 120.0, extra_meta=None):
        self.out_dir, self.name, self.interval_s = out_dir, name, float(interval_s)
        self.extra_meta = dict(extra_meta or {})
        self.last = None
        self.slot = 0

    def before_train(self, runner):
        self.last = time.monotonic()

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
        if time.monotonic() - self.last >= self.interval_s:
            self.save(runner, final=False)

    def after_train(self, runner):
        self.save(runner, final=True)

    def save(self, runner, final: bool):
        budget = next((h for h in runner.hooks if isinstance(h, TimeBudgetHook)), None)
        model = runner.model.module if hasattr(runner.model, 'module') else runner.model
        state = shipped_state_dict({'state_dict': model.state_dict()})
        elapsed = budget.elapsed() if budget else None
        samples = budget.samples if budget else None
        meta = dict(self.extra_meta, iter=runner.iter + (0 if final else 1), final=final,
                    train_seconds=round(elapsed, 1) if elapsed else None, samples=samples,
                    samples_per_s=round(samples / elapsed, 1) if elapsed and samples else None,
                    written_at=time.time(), torch=str(torch.__version__),
                    device=torch.cuda.get_device_name() if torch.cuda.is_available() else 'cpu')
        meta = json.loads(json.dumps(meta, default=str))  # plain types: weights_only loading
        buf = io.BytesIO()
        torch.save({'state_dict': state, 'meta': meta}, buf)
        slot = parts.SLOTS[self.slot % 2]
        parts.write_snapshot(self.out_dir, self.name, slot, buf.getvalue(), meta)
        self.slot += 1
        self.last = time.monotonic()
        runner.logger.info(f'snapshot {self.name}-{slot}: iter {meta["iter"]}, '
                           f'{len(buf.getvalue()) / 2**20:.1f} MiB, samples/s '
                           f'{meta["samples_per_s"]}')
