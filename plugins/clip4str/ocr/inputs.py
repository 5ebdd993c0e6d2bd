"""Turning command-line inputs (files, folders, globs) into a sorted list of work items.

Each item gets an output name from its path relative to what the user named (a folder's files
keep their sub-folders); the extension becomes part of the name ('a/scan.pdf' -> 'a/scan_pdf'),
and names that still collide get a short hash of the full path; a name part too long for the
file system is shortened and hashed. The list is sorted, so every rank of a sharded run sees the
same list and takes ``items[rank::world_size]``.

Folder walks take regular files only (pipes, sockets and devices are reported, never opened),
follow linked folders once and report links that lead back to a folder already read.
"""
import errno
import glob
import hashlib
import os
import stat
from dataclasses import dataclass
from typing import List, Optional, Tuple

from .pages import IMAGE_EXTS, PDF_EXTS, file_kind

SUPPORTED_EXTS = IMAGE_EXTS + PDF_EXTS
MAX_NAME_BYTES = 200  # per path part; file systems allow 255, temporary names add a suffix


@dataclass
class InputItem:
    path: str
    name: str                     # output folder name, relative to --out
    problem: Optional[str] = None  # set when the spec itself is unusable (fails at run time)


def _output_name(rel: str) -> str:
    stem, ext = os.path.splitext(rel)
    return stem + ('_' + ext[1:].lower() if ext else '')


def _short(part: str) -> str:
    """A path part cut to MAX_NAME_BYTES (UTF-8), ending in a hash of the whole part."""
    raw = part.encode('utf-8', 'surrogateescape')
    if len(raw) <= MAX_NAME_BYTES:
        return part
    digest = hashlib.sha1(raw).hexdigest()[:12]
    head = raw[:MAX_NAME_BYTES - 13].decode('utf-8', 'ignore')
    return f'{head}-{digest}'


def _fit_name(name: str) -> str:
    return os.path.join(*[_short(p) for p in name.split(os.sep)])


def _inode(st: os.stat_result):
    return st.st_dev, st.st_ino


def _walk(top: str, skip: Optional[str]):
    """(files, problems) under ``top``: regular files with a supported extension, sorted;
    linked folders are followed once (by inode); loops, broken links and special files are
    problems (path, message)."""
    files, problems = [], []
    # the folders really under top are read where they are, never through a link
    visited = {_inode(os.stat(root)) for root, _, _ in os.walk(top)}
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as e:
            problems.append((folder, f'cannot read folder: {e.strerror or e}'))
            continue
        subdirs = []
        for entry in entries:
            if entry.name.startswith('.'):
                continue
            wanted = entry.name.lower().endswith(SUPPORTED_EXTS)
            try:
                st = os.stat(entry.path)  # follows links
            except OSError as e:
                if entry.is_symlink() and wanted or e.errno == errno.ELOOP:
                    problems.append((entry.path, 'broken or looping symbolic link'))
                continue
            if stat.S_ISDIR(st.st_mode):
                if skip and (os.path.realpath(entry.path) + os.sep).startswith(skip):
                    continue
                key = _inode(st)
                if entry.is_symlink() and key in visited:
                    problems.append((entry.path, 'link to a folder already read (a link loop '
                                     'or a second link); not followed'))
                    continue
                visited.add(key)
                subdirs.append(entry.path)
            elif wanted:
                if stat.S_ISREG(st.st_mode):
                    files.append(entry.path)
                else:
                    problems.append((entry.path, f'is {file_kind(st.st_mode)}, not a regular '
                                     'file; not read'))
        stack += reversed(subdirs)
    return files, problems


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
            # (isfile: regular files only; a named pipe is never opened)
            base = spec.split('*')[0].split('?')[0].split('[')[0]
            base = base if base.endswith(os.sep) else os.path.dirname(base)
            if not matches:
                problems.append(InputItem(spec, _output_name(os.path.basename(spec)),
                                          'no files match this pattern'))
            found += [(p, os.path.relpath(p, base or '.')) for p in matches]
        elif os.path.isdir(spec):
            files, bad = _walk(spec, skip)
            problems += [InputItem(p, _output_name(os.path.relpath(p, spec)), why)
                         for p, why in bad]
            if not files and not bad:
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
            digest = hashlib.sha1(os.path.abspath(it.path).encode(
                'utf-8', 'surrogateescape')).hexdigest()[:8]
            it.name = f'{it.name}-{digest}'
    for it in items + problems:
        it.name = _fit_name(it.name)
    return sorted(items + problems, key=lambda it: (it.name, it.path))


def shard(items: List[InputItem], rank: int, world_size: int) -> List[InputItem]:
    """This rank's share of the sorted list: every world_size-th item starting at rank."""
    if world_size < 1 or not 0 <= rank < world_size:
        raise ValueError(f'bad sharding: rank {rank} of world size {world_size}')
    return items[rank::world_size]


def dist_rank() -> Tuple[int, int]:
    """(rank, world_size) from torchrun's environment (RANK/WORLD_SIZE), (0, 1) without it."""
    return int(os.environ.get('RANK', 0)), int(os.environ.get('WORLD_SIZE', 1))
