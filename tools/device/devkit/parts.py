"""Checkpoints that come back from the device machine in parts.

The device tool returns at most 8 files of at most 16 MiB from $OUT. A snapshot is a weights-only
checkpoint (``torch.save`` bytes) cut into parts, plus a JSON manifest with each part's sha256,
written last. Two slots (A, B) alternate, so a run killed while writing one still leaves the other
complete; :func:`reassemble` takes the newest slot whose parts all check out.
"""
import hashlib
import io
import json
import os
import os.path as osp
from typing import Dict, List, Optional

PART_BYTES = 16 * 1024 * 1024 - 4096  # under the tool's 16 MiB per file, with room to spare
SLOTS = ('A', 'B')


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_atomic(path: str, data: bytes) -> None:
    tmp = path + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def write_snapshot(out_dir: str, name: str, slot: str, payload: bytes, meta: Dict,
                   part_bytes: int = PART_BYTES) -> List[str]:
    """Write `payload` as <name>-<slot>.partK files plus <name>-<slot>.json; return the paths."""
    if slot not in SLOTS:
        raise ValueError(f'slot must be one of {SLOTS}, got {slot!r}')
    os.makedirs(out_dir, exist_ok=True)
    manifest_path = osp.join(out_dir, f'{name}-{slot}.json')
    if osp.exists(manifest_path):  # invalidate the slot first: its parts are about to change
        os.remove(manifest_path)
    parts = []
    for k, start in enumerate(range(0, max(len(payload), 1), part_bytes)):
        chunk = payload[start:start + part_bytes]
        path = osp.join(out_dir, f'{name}-{slot}.part{k}')
        _write_atomic(path, chunk)
        parts.append(dict(file=osp.basename(path), bytes=len(chunk), sha256=_sha256(chunk)))
    for stale in range(len(parts), 64):  # a smaller snapshot than the slot's last one
        path = osp.join(out_dir, f'{name}-{slot}.part{stale}')
        if not osp.exists(path):
            break
        os.remove(path)
    manifest = dict(name=name, slot=slot, bytes=len(payload), sha256=_sha256(payload),
                    parts=parts, meta=meta)
    _write_atomic(manifest_path, json.dumps(manifest, indent=1).encode())
    return [osp.join(out_dir, p['file']) for p in parts] + [manifest_path]


def read_slot(in_dir: str, name: str, slot: str) -> Optional[bytes]:
    """The slot's payload if its manifest and every part check out, else None."""
    manifest_path = osp.join(in_dir, f'{name}-{slot}.json')
    if not osp.isfile(manifest_path):
        return None
    try:
        with open(manifest_path, encoding='utf-8') as f:
            manifest = json.load(f)
        chunks = []
        for part in manifest['parts']:
            with open(osp.join(in_dir, part['file']), 'rb') as f:
                chunk = f.read()
            if _sha256(chunk) != part['sha256']:
                return None
            chunks.append(chunk)
    except (OSError, ValueError, KeyError):
        return None
    payload = b''.join(chunks)
    return payload if _sha256(payload) == manifest['sha256'] else None


def slot_meta(in_dir: str, name: str, slot: str) -> Optional[Dict]:
    try:
        with open(osp.join(in_dir, f'{name}-{slot}.json'), encoding='utf-8') as f:
            return json.load(f)['meta']
    except (OSError, ValueError, KeyError):
        return None


def reassemble(in_dir: str, name: str, dest: str) -> Dict:
    """Join the newest complete slot of `name` in `in_dir` into `dest`; return its meta.

    Raises FileNotFoundError naming the folder when no slot is complete.
    """
    candidates = []
    for slot in SLOTS:
        meta = slot_meta(in_dir, name, slot)
        if meta is not None:
            candidates.append((meta.get('iter', -1), meta.get('written_at', 0), slot, meta))
    for *_, slot, meta in sorted(candidates, reverse=True):
        payload = read_slot(in_dir, name, slot)
        if payload is None:
            continue
        import torch
        torch.load(io.BytesIO(payload), map_location='cpu', weights_only=True)  # loads safely
        os.makedirs(osp.dirname(osp.abspath(dest)), exist_ok=True)
        _write_atomic(dest, payload)
        return dict(meta, slot=slot)
    raise FileNotFoundError(f'{in_dir}: no complete snapshot named {name!r} (looked for '
                            f'{name}-A.json / {name}-B.json and the parts they list)')
