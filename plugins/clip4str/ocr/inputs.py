"""Turning command-line inputs (files, folders, globs) into a sorted list of work items.

Each item gets an output name from its path relative to what the user named (a folder's files
keep their sub-folders); the extension becomes part of the name ('a/scan.pdf' -> 'a/scan_pdf'),
and names that still collide get a short hash of the full path. The list is sorted, so every
rank of a sharded run sees the same list and takes ``items[rank::world_size]``.
"""
import glob
import hashlib
import os
from dataclasses import dataclass
from typing import List, Optional, Tuple

from .pages import IMAGE_EXTS, PDF_EXTS

SUPPORTED_EXTS = IMAGE_EXTS + PDF_EXTS


@dataclass
class InputItem:
    path: str
    name: str                     # output folder name, relative to --out
    problem: Optional[str] = None  # set when the spec itself is unusable (fails at run time)


def _output_name(rel: str) -> str:
    stem, ext = os.path.splitext(rel)
    return stem + ('_' + ext[1:].lower() if ext else '')


def collect_inputs(specs: List[str], exclude: Optional[str] = None) -> List[InputItem]:
    """Expand files, folders (recursively) and glob patterns; sorted, duplicates removed.

    ``exclude``: a folder whose files are never inputs (the output folder, when it lies inside
    an input folder: its pictures and PDFs must not be read on the next run).
    """
    skip = os.path.realpath(exclude) + os.sep if exclude else None
    found: List[Tuple[str, str]] = []   # (path, relative name)
    problems: List[InputItem] = []
    for spec in specs:
        if glob.has_magic(spec) and not os.path.exists(spec):
            matches = sorted(p for p in glob.glob(spec, recursive=True) if os.path.isfile(p)
                             and not (skip and os.path.realpath(p).startswith(skip)))
            base = spec.split('*')[0].split('?')[0].split('[')[0]
            base = base if base.endswith(os.sep) else os.path.dirname(base)
            if not matches:
                problems.append(InputItem(spec, _output_name(os.path.basename(spec)),
                                          'no files match this pattern'))
            found += [(p, os.path.relpath(p, base or '.')) for p in matches]
        elif os.path.isdir(spec):
            files = []
            for root, dirs, names in os.walk(spec, followlinks=True):
                if skip and (os.path.realpath(root) + os.sep).startswith(skip):
                    dirs[:] = []
                    continue
                dirs[:] = sorted(d for d in dirs if not d.startswith('.'))
                files += [os.path.join(root, n) for n in names
                          if n.lower().endswith(SUPPORTED_EXTS) and not n.startswith('.')]
            if not files:
                problems.append(InputItem(spec, _output_name(os.path.basename(
                    os.path.normpath(spec))), 'folder holds no images or PDFs'))
            found += [(p, os.path.relpath(p, spec)) for p in sorted(files)]
        else:  # a file, or a path that does not exist (reported when it is processed)
            found.append((spec, os.path.basename(spec)))
    seen, items = set(), []
    for path, rel in found:
        key = os.path.realpath(path)
        if key in seen:
            continue
        seen.add(key)
        items.append(InputItem(path, _output_name(rel)))
    counts = {}
    for it in items:
        counts[it.name] = counts.get(it.name, 0) + 1
    for it in items:
        if counts[it.name] > 1:
            digest = hashlib.sha1(os.path.abspath(it.path).encode()).hexdigest()[:8]
            it.name = f'{it.name}-{digest}'
    return sorted(items + problems, key=lambda it: (it.name, it.path))


def shard(items: List[InputItem], rank: int, world_size: int) -> List[InputItem]:
    """This rank's share of the sorted list: every world_size-th item starting at rank."""
    if world_size < 1 or not 0 <= rank < world_size:
        raise ValueError(f'bad sharding: rank {rank} of world size {world_size}')
    return items[rank::world_size]


def dist_rank() -> Tuple[int, int]:
    """(rank, world_size) from torchrun's environment (RANK/WORLD_SIZE), (0, 1) without it."""
    return int(os.environ.get('RANK', 0)), int(os.environ.get('WORLD_SIZE', 1))
