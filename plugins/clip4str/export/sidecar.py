"""The JSON sidecar of an ONNX export (``model.json``): what the runtime needs besides the graphs
(input size, normalisation, dictionary, special ids, decode settings), and its validation."""
import json
import os
from pathlib import Path
from typing import Dict

from ..ocr.errors import ModelLoadError

SIDECAR = 'model.json'
FORMAT = 'clip4str-onnx'
VERSION = 1

# graph name -> (input names, output names); the cross-modal graphs exist only with that branch
GRAPH_IO = {
    'image_encoder': (['images'], ['features']),
    'visual_memory': (['memory'], ['mem_k', 'mem_v']),
    'visual_step': (['token', 'past_k', 'past_v', 'mem_k', 'mem_v'],
                    ['logits', 'present_k', 'present_v']),
    'visual_cloze': (['tgt_in', 'mem_k', 'mem_v'], ['logits']),
    'text_encoder': (['tokens'], ['features']),
    'cross_memory': (['memory'], ['mem_k', 'mem_v']),
    'cross_step': (['token', 'past_k', 'past_v', 'mem_k', 'mem_v'],
                   ['logits', 'present_k', 'present_v']),
    'cross_cloze': (['tgt_in', 'mem_k', 'mem_v'], ['logits']),
}
VISUAL_GRAPHS = ('image_encoder', 'visual_memory', 'visual_step', 'visual_cloze')
CROSS_GRAPHS = ('text_encoder', 'cross_memory', 'cross_step', 'cross_cloze')


def write_sidecar(folder: Path, meta: Dict) -> Path:
    """Written last and atomically: a folder with a sidecar holds a complete export."""
    path = Path(folder) / SIDECAR
    tmp = path.with_suffix('.json.tmp')
    tmp.write_text(json.dumps(dict(format=FORMAT, version=VERSION, **meta), indent=1))
    os.replace(tmp, path)
    return path


def read_sidecar(folder) -> Dict:
    """The sidecar of an export folder; every problem is a ModelLoadError naming the path."""
    folder = Path(folder)
    hint = 'export one with tools/export_onnx.py CONFIG [CHECKPOINT] --out FOLDER'
    if not folder.is_dir():
        raise ModelLoadError(f'ONNX recognizer folder not found: {folder} ({hint})')
    path = folder / SIDECAR
    if not path.is_file():
        raise ModelLoadError(f'{folder} is not a CLIP4STR ONNX export: {SIDECAR} is missing '
                             f'({hint})')
    try:
        meta = json.loads(path.read_text())
    except (OSError, ValueError) as e:
        raise ModelLoadError(f'cannot read {path}: {type(e).__name__}: {e}')
    if not isinstance(meta, dict) or meta.get('format') != FORMAT:
        raise ModelLoadError(f'{path} is not a {FORMAT} sidecar ({hint})')
    if meta.get('version') != VERSION:
        raise ModelLoadError(f'{path} has format version {meta.get("version")}, this code reads '
                             f'version {VERSION}: export the model again ({hint})')
    missing = [k for k in ('input', 'dictionary', 'decode', 'graphs', 'max_seq_len')
               if k not in meta]
    if missing:
        raise ModelLoadError(f'{path} lacks {missing}: export the model again ({hint})')
    cross = isinstance(meta['decode'], dict) and meta['decode'].get('output_branch') == 'cross'
    for name in VISUAL_GRAPHS + (CROSS_GRAPHS if cross else ()):
        if not isinstance(meta['graphs'], dict) or name not in meta['graphs']:
            raise ModelLoadError(f'{path} lists no {name!r} graph: export the model again')
        if not (folder / meta['graphs'][name]).is_file():
            raise ModelLoadError(f'ONNX graph {folder / meta["graphs"][name]} is missing '
                                 f'(listed in {path}): export the model again')
    return meta
