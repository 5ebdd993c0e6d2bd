"""Append-only LMDB in the layout of MMOCR 1.x ``RecogLMDBDataset``.

Keys: ``num-samples`` (decimal count), ``image-%09d`` (encoded image bytes) and ``label-%09d``
(UTF-8 text), indices starting at 1. Each chunk is written in one transaction together with the
new ``num-samples``, so a killed run leaves a consistent database holding every committed chunk.
``synth-meta`` (JSON) records what produced the data, so a rerun can resume or refuse to mix.
"""
import json
import os
import shutil
from typing import Iterable, Tuple

import lmdb

META_KEY = b'synth-meta'


class LMDBMismatchError(RuntimeError):
    pass


def read_count(path: str) -> int:
    """Samples committed in an existing LMDB (0 if there is none)."""
    if not os.path.isfile(os.path.join(path, 'data.mdb')):
        return 0
    env = lmdb.open(path, readonly=True, lock=False, readahead=False, meminit=False)
    try:
        with env.begin() as txn:
            n = txn.get(b'num-samples')
        return int(n.decode()) if n else 0
    finally:
        env.close()


class RecogLMDBWriter:
    """Writes (image bytes, label) pairs; resumes an LMDB made with the same `meta`.

    Args:
        path: LMDB directory (created if needed).
        meta: JSON-able description of the data (seed, generator digest, ...). An existing
            LMDB with different meta raises :class:`LMDBMismatchError` unless `overwrite`.
        overwrite: delete an existing LMDB at `path` first.
    """

    def __init__(self, path: str, meta: dict, overwrite: bool = False,
                 map_size: int = 1 << 30):
        self.path = path
        if os.path.exists(path) and not os.path.isdir(path):
            raise LMDBMismatchError(f'{path}: exists and is not a directory')
        if overwrite and os.path.isdir(path):
            for name in ('data.mdb', 'lock.mdb'):
                if os.path.exists(os.path.join(path, name)):
                    os.remove(os.path.join(path, name))
            if not os.listdir(path):
                shutil.rmtree(path)
        os.makedirs(path, exist_ok=True)
        self.env = lmdb.open(path, map_size=map_size, subdir=True, meminit=False)
        self.meta = json.loads(json.dumps(meta, sort_keys=True))
        with self.env.begin() as txn:
            n = txn.get(b'num-samples')
            old = txn.get(META_KEY)
        self.count = int(n.decode()) if n else 0
        if self.count and old is None:
            self.env.close()
            raise LMDBMismatchError(
                f'{path}: holds {self.count} samples not written by this tool; '
                f'use another --out or --overwrite')
        if old is not None and json.loads(old.decode()) != self.meta:
            old_meta = json.loads(old.decode())
            diff = sorted(k for k in set(old_meta) | set(self.meta)
                          if old_meta.get(k) != self.meta.get(k))
            self.env.close()
            raise LMDBMismatchError(
                f'{path}: existing {self.count} samples were made with different settings '
                f'({", ".join(diff)} differ); resume with the same settings, or use another '
                f'--out or --overwrite')
        if old is None:
            with self.env.begin(write=True) as txn:
                txn.put(META_KEY, json.dumps(self.meta, sort_keys=True).encode())
                txn.put(b'num-samples', b'0')

    def append(self, items: Iterable[Tuple[bytes, str]]) -> int:
        """Write a chunk in one transaction; returns the new total."""
        items = list(items)
        while True:
            try:
                with self.env.begin(write=True) as txn:
                    n = self.count
                    for img, label in items:
                        n += 1
                        txn.put(b'image-%09d' % n, img)
                        txn.put(b'label-%09d' % n, label.encode('utf-8'))
                    txn.put(b'num-samples', str(n).encode())
                self.count = n
                return n
            except lmdb.MapFullError:  # aborted transaction: grow the map and redo it
                self.env.set_mapsize(self.env.info()['map_size'] * 2)

    def close(self, sync: bool = True):
        if self.env is not None:
            if sync:
                self.env.sync(True)
            self.env.close()
            self.env = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
