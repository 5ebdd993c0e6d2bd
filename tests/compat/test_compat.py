"""The four stack fixes in clip4str_compat: each test fails if its fix is removed.

The subprocesses run with ``-S`` and an explicit PYTHONPATH so the venv's ``clip4str_compat.pth``
hook is NOT active: only the fix the test applies is in play.
"""
import os
import pickle
import subprocess
import sys
import sysconfig
import textwrap

import pytest
import torch

from tests.helpers import REPO

SITE = sysconfig.get_paths()['purelib']


def run_isolated(code: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO / 'plugins'), SITE]))
    return subprocess.run([sys.executable, '-S', '-c', textwrap.dedent(code)], env=env,
                          capture_output=True, text=True, timeout=300)


def stack_has_problem(code: str) -> bool:
    return run_isolated(code).returncode != 0


def test_torchvision_imports_with_fix():
    if not stack_has_problem('import torchvision'):
        pytest.skip('torchvision C++ ops load here; the fix is a no-op')
    r = run_isolated('''
        import clip4str_compat, torch
        assert clip4str_compat.fix_torchvision_ops()
        import torchvision, open_clip
        from torchvision.ops import box_iou
        assert box_iou(torch.tensor([[0., 0, 2, 2]]), torch.tensor([[1., 1, 3, 3]])).item() > 0.14
        try:
            torch.ops.torchvision.nms(torch.zeros(1, 4), torch.zeros(1), 0.5)
        except RuntimeError as e:
            assert 'unavailable' in str(e), e
        else:
            raise SystemExit('nms should raise')
        ''')
    assert r.returncode == 0, r.stderr[-2000:]


def test_mmcv_lite_imports_mmocr_models_with_fix():
    if not stack_has_problem('import mmcv._ext'):
        pytest.skip('full mmcv installed; the fix is a no-op')
    r = run_isolated('''
        import clip4str_compat
        clip4str_compat.fix_torchvision_ops()
        assert clip4str_compat.fix_mmcv_ext()
        import torch, mmocr.models, mmcv.ops
        try:
            mmcv.ops.nms(torch.zeros(1, 4), torch.zeros(1), 0.5)
        except RuntimeError as e:
            assert 'mmcv._ext.nms' in str(e) and 'CLIP4STR_FULL_MMCV' in str(e), e
        else:
            raise SystemExit('nms should raise')
        ''')
    assert r.returncode == 0, r.stderr[-2000:]


def test_import_hook_lets_mmocr_import_first():
    """The .pth hook: MMOCRInferencer importable without importing clip4str first."""
    r = run_isolated('''
        import clip4str_compat
        clip4str_compat.install_import_hook()
        from mmocr.apis import MMOCRInferencer
        import open_clip
        ''')
    assert r.returncode == 0, r.stderr[-2000:]


# numpy 2 as imgaug meets it (here numpy 1.x is pinned, so the attribute is taken away)
NUMPY_WITHOUT_SCTYPES = """
import numpy as np
if hasattr(np, 'sctypes'):
    del np.sctypes
    np.__all__ = [name for name in np.__all__ if name != 'sctypes']
"""


def test_imgaug_imports_without_numpy_sctypes_with_hook():
    if not stack_has_problem(NUMPY_WITHOUT_SCTYPES + 'import imgaug'):
        pytest.skip('imgaug imports without np.sctypes here; the fix is a no-op')
    r = run_isolated(NUMPY_WITHOUT_SCTYPES + textwrap.dedent('''
        import clip4str_compat
        clip4str_compat.install_import_hook()
        import mmocr.datasets  # imports imgaug
        assert np.float32 in np.sctypes['float'] and np.uint8 in np.sctypes['uint']
        assert not clip4str_compat.fix_numpy_sctypes()  # present now: a no-op
        '''))
    assert r.returncode == 0, r.stderr[-2000:]


def _runner_checkpoint(tmp_path):
    """A real MMEngine runner checkpoint (message hub with HistoryBuffers, numpy scalars)."""
    from mmengine.model import BaseModel
    from mmengine.runner import Runner

    class Tiny(BaseModel):
        def __init__(self):
            super().__init__()
            self.lin = torch.nn.Linear(2, 1)

        def forward(self, x, mode='loss'):
            return dict(loss=self.lin(x).pow(2).mean())

    class Data(torch.utils.data.Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return dict(x=torch.full((2,), float(i)))

    runner = Runner(
        model=Tiny(), work_dir=str(tmp_path),
        train_dataloader=dict(dataset=Data(), batch_size=2, sampler=dict(type='DefaultSampler'),
                              collate_fn=dict(type='default_collate')),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1)),
        # schedulers pickle a bound annealing method (their class must be allowed too)
        param_scheduler=dict(type='OneCycleLR', eta_max=0.1, by_epoch=False, begin=0, end=2),
        train_cfg=dict(by_epoch=False, max_iters=2),
        default_hooks=dict(checkpoint=dict(type='CheckpointHook', interval=2, by_epoch=False)))
    runner.train()
    return tmp_path / 'iter_2.pth'


def test_runner_checkpoint_loads_safely(tmp_path):
    import clip4str  # noqa: F401  registers the safe loader
    from mmengine.runner.checkpoint import _load_checkpoint
    path = _runner_checkpoint(tmp_path)
    with pytest.raises(pickle.UnpicklingError):  # the problem: torch's default refuses it
        torch.load(path)
    ckpt = _load_checkpoint(str(path))
    assert set(ckpt) >= {'state_dict', 'message_hub', 'optimizer', 'param_schedulers'}
    assert ckpt['message_hub']['log_scalars']['train/loss'].current() >= 0


class _Evil:
    def __reduce__(self):
        return (os.system, ('echo pwned',))


def test_untrusted_pickle_is_refused_with_file_name(tmp_path, monkeypatch):
    import clip4str  # noqa: F401
    from mmengine.runner.checkpoint import _load_checkpoint
    path = tmp_path / 'evil.pth'
    torch.save({'state_dict': {}, 'x': _Evil()}, path)
    monkeypatch.delenv('CLIP4STR_TRUST_CHECKPOINTS', raising=False)
    with pytest.raises(pickle.UnpicklingError, match='evil.pth.*CLIP4STR_TRUST_CHECKPOINTS'):
        _load_checkpoint(str(path))
