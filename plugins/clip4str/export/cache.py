"""Exports made once and reused: an ONNX file or folder built from (config, weights) on first
use and kept next to the weights, or in the user's cache folder when that is not writable.

The name carries a fingerprint of the model config, the weights' bytes and the exporter's
versions, so changed weights or code never reuse a stale export.
"""
import hashlib
import os
import shutil
from pathlib import Path
from typing import Callable, List, Optional

EXPORT_FORMAT = 1  # bump when an export's layout or graphs change


def fingerprint(model_cfg_text: str, weights: str) -> str:
    import onnxruntime
    import torch
    h = hashlib.sha1(f'{EXPORT_FORMAT}|{torch.__version__}|{onnxruntime.__version__}|'
                     f'{model_cfg_text}'.encode())
    with open(weights, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            h.update(block)
    return h.hexdigest()[:12]


def cache_dirs(weights: str) -> List[Path]:
    """Where exports go, in order: next to the weights, then $CLIP4STR_CACHE or ~/.cache."""
    user = os.environ.get('CLIP4STR_CACHE') or os.path.join(
        os.environ.get('XDG_CACHE_HOME') or os.path.expanduser('~/.cache'), 'clip4str')
    return [Path(weights).absolute().parent, Path(user) / 'onnx']


def cached_export(weights: str, model_cfg_text: str, suffix: str,
                  build: Callable[[Path], None], log=print) -> Optional[Path]:
    """The export ``<weights stem>.<fingerprint><suffix>``: an existing one, or one ``build``
    writes (into a temporary name first, so a half-written export is never used). None when no
    cache folder is writable."""
    name = f'{Path(weights).stem}.{fingerprint(model_cfg_text, weights)}{suffix}'
    dirs = cache_dirs(weights)
    for folder in dirs:
        if (folder / name).exists():
            return folder / name
    for folder in dirs:
        tmp = folder / f'{name}.tmp{os.getpid()}'
        try:
            folder.mkdir(parents=True, exist_ok=True)
            log(f'exporting {weights} to ONNX once: {folder / name}')
            build(tmp)
            os.replace(tmp, folder / name)
            return folder / name
        except OSError:  # read-only folder (or another process won the race: use its export)
            if (folder / name).exists():
                return folder / name
            continue
        finally:
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            elif tmp.exists():
                tmp.unlink()
    return None
