"""Compatibility fixes for the pinned stack on CPU-only machines (see docs/install.md).

The stack (torch 2.13 CPU, torchvision 0.28 from PyPI, mmcv-lite 2.0.1, mmengine 0.10.7) has three
known incompatibilities, and a fourth where numpy 2 is installed instead of the pinned 1.x. Each
fix here is idempotent, changes no installed file, and is a no-op where the problem does not exist
(e.g. with a torchvision whose C++ ops load, or full mmcv):

1. torchvision's PyPI wheel links CUDA libraries, so its C++ ops fail to load on a CPU torch and
   ``import torchvision`` dies in ``_meta_registrations`` ("operator torchvision::nms does not
   exist"). We define the two operators it expects (``torchvision::nms``, ``torchvision::qnms``)
   before torchvision is imported; calling them raises a clear error.
2. mmcv-lite ships no compiled ``mmcv._ext``, yet ``mmdet.models`` imports ``mmcv.ops`` which loads
   it. We provide a stand-in module whose attributes raise "compiled op unavailable" when *called*,
   so everything imports and the detectors/recognizers that need no compiled op run.
3. torch >= 2.6 loads checkpoints with ``weights_only=True``; MMEngine's runner checkpoints hold
   ``HistoryBuffer`` objects and numpy scalars, so ``load_checkpoint``/``--resume`` fail. We
   register MMEngine's local-file checkpoint loader to load with ``weights_only=True`` inside a
   ``torch.serialization.safe_globals`` scope listing exactly those types, instead of turning the
   safety off (``CLIP4STR_TRUST_CHECKPOINTS=1`` opts into full unpickling for a trusted file).
4. numpy 2 removed ``np.sctypes``, which imgaug 0.4.0 (imported by MMOCR's data transforms) reads
   at import, so ``import mmocr.datasets`` fails. We put the table back, built from the dtypes that
   numpy 2 still has, before imgaug is imported.

This module imports nothing heavy at import time. ``apply()`` runs all fixes (``import clip4str``
calls it). ``install_import_hook()`` (run at interpreter start by the ``clip4str_compat.pth`` file
that ``tools/setup.sh`` writes) applies fixes 1, 2 and 4 lazily, just before torchvision,
``mmcv._ext`` or imgaug is first imported, so ``from mmocr.apis import MMOCRInferencer`` works
even when ``clip4str`` was not imported first.
"""
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types

_MISSING_OP_HINT = ('is a compiled operator that is unavailable in this installation '
                    '({what}). {fix}')


# ---------------------------------------------------------------- 1. torchvision C++ operators
def torchvision_ops_load() -> bool:
    """Whether torchvision's own C++ extension loads (it does not for CUDA wheels on CPU torch)."""
    import torch
    spec = importlib.util.find_spec('torchvision')
    if spec is None or not spec.submodule_search_locations:
        return True  # no torchvision: nothing to fix
    import glob
    import os
    for loc in spec.submodule_search_locations:
        for lib in glob.glob(os.path.join(loc, '_C*.so')) + glob.glob(os.path.join(loc, '_C*.pyd')):
            try:
                torch.ops.load_library(lib)
                return True
            except (OSError, RuntimeError):
                return False
    return False


def fix_torchvision_ops() -> bool:
    """Define ``torchvision::nms``/``qnms`` when torchvision's C++ ops cannot load.

    Returns True if the operators were defined by this call.
    """
    if 'torchvision' in sys.modules or getattr(fix_torchvision_ops, 'done', False):
        return False
    fix_torchvision_ops.done = True
    if torchvision_ops_load():
        return False
    import torch

    lib = torch.library.Library('torchvision', 'FRAGMENT')
    fix_torchvision_ops.lib = lib  # keep the registration alive
    for name in ('nms', 'qnms'):
        schema = ('(Tensor dets, Tensor scores, float iou_threshold) -> Tensor' if name == 'nms' else
                  '(Tensor qdets, Tensor qscores, float iou_threshold) -> Tensor')
        try:
            lib.define(f'{name}{schema}')
        except RuntimeError:
            continue  # already defined (e.g. by another copy of this fix)

        def _unavailable(*args, _name=name, **kwargs):
            raise RuntimeError(f'torchvision::{_name} ' + _MISSING_OP_HINT.format(
                what="torchvision's PyPI wheel is built for CUDA",
                fix='Build torchvision from source against this torch to use it.'))

        lib.impl(name, _unavailable, 'CompositeExplicitAutograd')
    return True


# ---------------------------------------------------------------- 2. mmcv-lite's missing _ext
class _MissingExt(types.ModuleType):
    """Stand-in for ``mmcv._ext``: any op can be looked up, none can run."""

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)

        def _unavailable(*args, **kwargs):
            raise RuntimeError(f'mmcv._ext.{name} ' + _MISSING_OP_HINT.format(
                what='mmcv-lite has no compiled ops',
                fix='Models needing it (DCN backbones, mmcv nms/RoIAlign) need full mmcv: '
                    'rerun `CLIP4STR_FULL_MMCV=1 tools/setup.sh`.'))

        _unavailable.__name__ = name
        return _unavailable


def mmcv_ext_missing() -> bool:
    """True when mmcv is installed without its compiled extension (mmcv-lite)."""
    if importlib.util.find_spec('mmcv') is None:
        return False
    real = sys.modules.get('mmcv._ext')
    if real is not None:
        return isinstance(real, _MissingExt)
    finder_specs = [f.find_spec('mmcv._ext', importlib.util.find_spec('mmcv').submodule_search_locations)
                    for f in sys.meta_path if not isinstance(f, _CompatFinder)
                    and hasattr(f, 'find_spec')]
    return not any(s is not None for s in finder_specs)


def fix_mmcv_ext() -> bool:
    """Register the stand-in ``mmcv._ext`` when mmcv has none. True if installed by this call."""
    if 'mmcv._ext' in sys.modules or not mmcv_ext_missing():
        return False
    spec = importlib.machinery.ModuleSpec('mmcv._ext', _ExtLoader())
    sys.modules['mmcv._ext'] = importlib.util.module_from_spec(spec)
    return True


# ---------------------------------------------------------------- 3. MMEngine checkpoints
TRUST_ENV = 'CLIP4STR_TRUST_CHECKPOINTS'


def mmengine_checkpoint_globals() -> list:
    """The non-tensor globals MMEngine 0.10 runner checkpoints contain (message hub, seeds).

    ``getattr`` is there because ``HistoryBuffer`` pickles bound statistics methods; torch's
    weights-only unpickler only *calls* allow-listed functions, so it can fetch but never call them.
    """
    import numpy as np
    from mmengine.logging import HistoryBuffer

    dtypes = [type(np.dtype(t)) for t in ('float64', 'float32', 'float16', 'int64', 'int32', 'bool')]
    return [HistoryBuffer, getattr, np.ndarray, np.dtype, np.core.multiarray.scalar,
            np.core.multiarray._reconstruct, *dtypes, *_param_scheduler_classes()]


def _param_scheduler_classes() -> list:
    """Schedulers pickle their bound annealing function, hence their own class (rebuilding one
    only restores attributes: no code runs)."""
    from mmengine.optim.scheduler.param_scheduler import _ParamScheduler
    from mmengine.registry import PARAM_SCHEDULERS
    found, seen = [], set()
    registries = [PARAM_SCHEDULERS, *PARAM_SCHEDULERS.children.values()]
    for registry in registries:
        for cls in registry.module_dict.values():
            if isinstance(cls, type) and issubclass(cls, _ParamScheduler) and cls not in seen:
                seen.add(cls)
                found.append(cls)
    # base classes appear in the pickle under their own names
    for cls in list(found):
        for base in cls.__mro__:
            if issubclass(base, _ParamScheduler) and base not in seen:
                seen.add(base)
                found.append(base)
    return found


def safe_load_checkpoint(filename, map_location=None):
    """Load a local checkpoint with ``weights_only=True`` plus MMEngine's allow-listed types.

    Set ``CLIP4STR_TRUST_CHECKPOINTS=1`` to load a file you trust with full unpickling.
    """
    import os
    import pickle

    import torch
    filename = os.path.expanduser(filename)
    if not os.path.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    if os.environ.get(TRUST_ENV) == '1':
        return torch.load(filename, map_location=map_location, weights_only=False)
    try:
        with torch.serialization.safe_globals(mmengine_checkpoint_globals()):
            return torch.load(filename, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as e:
        import re
        found = re.search(r'(Unsupported global: GLOBAL \S+|unrecognized function \S+)', str(e))
        why = found.group(1) if found else str(e).strip().splitlines()[0][:200]
        raise pickle.UnpicklingError(
            f'{filename}: refused to unpickle it safely ({why}). If you trust this file, '
            f'load it with {TRUST_ENV}=1.') from None
    except RuntimeError as e:
        raise RuntimeError(f'{filename}: not a readable PyTorch checkpoint ({e})') from None


def fix_checkpoint_loading() -> bool:
    """Make MMEngine's local-file checkpoint loader :func:`safe_load_checkpoint`."""
    if getattr(fix_checkpoint_loading, 'done', False):
        return False
    from mmengine.runner.checkpoint import CheckpointLoader
    CheckpointLoader.register_scheme(prefixes='', loader=safe_load_checkpoint, force=True)
    fix_checkpoint_loading.done = True
    return True


# ---------------------------------------------------------------- 4. numpy 2 and imgaug
def fix_numpy_sctypes() -> bool:
    """Restore ``np.sctypes`` (removed in numpy 2) for imgaug. True if defined by this call."""
    import numpy as np
    if hasattr(np, 'sctypes'):
        return False
    np.sctypes = {'int': [np.int8, np.int16, np.int32, np.int64],
                  'uint': [np.uint8, np.uint16, np.uint32, np.uint64],
                  'float': [np.float16, np.float32, np.float64, np.longdouble],
                  'complex': [np.complex64, np.complex128, np.clongdouble],
                  'others': [bool, object, bytes, str, np.void]}
    return True


# ---------------------------------------------------------------- import hook
class _CompatFinder(importlib.abc.MetaPathFinder):
    """Applies fixes 1, 2 and 4 the moment torchvision / mmcv._ext / imgaug is first imported."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname == 'torchvision':
            fix_torchvision_ops()
        elif fullname == 'imgaug':
            fix_numpy_sctypes()
        elif fullname == 'mmcv._ext' and mmcv_ext_missing():
            return importlib.machinery.ModuleSpec(fullname, _ExtLoader())
        return None


class _ExtLoader(importlib.abc.Loader):

    def create_module(self, spec):
        return _MissingExt(spec.name, __doc__)

    def exec_module(self, module):
        pass


def install_import_hook() -> None:
    """Idempotently put the lazy fixer first on ``sys.meta_path`` (cheap: imports nothing)."""
    if not any(isinstance(f, _CompatFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _CompatFinder())


def quiet_known_warnings() -> None:
    """mmengine imports ``pkg_resources``; with the setuptools<81 pin it needs, every command
    would print a deprecation warning that users can do nothing about."""
    import warnings
    warnings.filterwarnings('ignore', message='pkg_resources is deprecated',
                            category=UserWarning)


def apply() -> None:
    """Apply every fix now (idempotent)."""
    quiet_known_warnings()
    install_import_hook()
    fix_torchvision_ops()
    fix_mmcv_ext()
    fix_numpy_sctypes()
    fix_checkpoint_loading()
