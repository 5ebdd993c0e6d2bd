"""Atomic file output: write to a temporary sibling, then os.replace (never a half-written file).

Result folders are built in hidden ``.partial-OWNER-xxxx`` folders named by the process that
owns them (pid, process start time, host hash: short, whatever the input's name), so a later run
can remove those of runs that were killed (:func:`remove_stale_partials`).
"""
import hashlib
import os
import re
import shutil
import socket
import tempfile
from contextlib import contextmanager

_UMASK = os.umask(0)
os.umask(_UMASK)
_HOST = hashlib.sha1(socket.gethostname().encode()).hexdigest()[:8]
_PARTIAL = re.compile(r'^\.(?:partial|old)-(\d+)\.(\d+)-([0-9a-f]{8})-')


def _start_time(pid: int) -> int:
    """The process's start time in clock ticks since boot (0 where /proc is missing)."""
    try:
        with open(f'/proc/{pid}/stat') as f:
            return int(f.read().rsplit(')', 1)[1].split()[19])
    except (OSError, IndexError, ValueError):
        return 0


def _owner() -> str:
    pid = os.getpid()
    return f'{pid}.{_start_time(pid)}-{_HOST}'


def _alive(pid: int, start: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return start == 0 or _start_time(pid) in (0, start)  # a reused pid is another process


def partial_dir(parent: str, kind: str = 'partial') -> str:
    """A new hidden temporary folder in ``parent`` owned by this process."""
    return tempfile.mkdtemp(prefix=f'.{kind}-{_owner()}-', dir=parent)


def remove_stale_partials(top: str, result_file: str = None) -> int:
    """Remove temporary folders under ``top`` left by killed runs on this host; their count.
    Folders holding ``result_file`` are finished results: not searched."""
    removed = 0
    for root, dirs, files in os.walk(top):
        if result_file in files:
            dirs[:] = []
        for d in list(dirs):
            m = _PARTIAL.match(d)
            if m and m.group(3) == _HOST and not _alive(int(m.group(1)), int(m.group(2))):
                shutil.rmtree(os.path.join(root, d), ignore_errors=True)
                dirs.remove(d)
                removed += 1
    return removed


def publish_mode(folder: str) -> None:
    """Give a finished temporary folder (mkdtemp makes 0700) and its sub-folders the mode
    ordinary folders get under the user's umask."""
    for root, dirs, _ in os.walk(folder):
        for d in [root] + [os.path.join(root, d) for d in dirs]:
            os.chmod(d, 0o777 & ~_UMASK)


@contextmanager
def atomic_path(path: str):
    """Yield a temporary path next to ``path``; on success it replaces ``path`` in one step."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix='.' + os.path.basename(path) + '.', suffix='.tmp',
                               dir=directory)
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; results are ordinary files
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def write_text(path: str, text: str) -> None:
    with atomic_path(path) as tmp:
        # names that are not valid UTF-8 (surrogate escapes) are written as \udcXX escapes
        with open(tmp, 'w', encoding='utf-8', errors='backslashreplace') as f:
            f.write(text)


def write_bytes(path: str, data: bytes) -> None:
    with atomic_path(path) as tmp:
        with open(tmp, 'wb') as f:
            f.write(data)


def publish_dir(tmp_dir: str, final_dir: str, overwrite: bool = False) -> None:
    """Move a finished result folder into place in one rename (replacing an old one if asked)."""
    if os.path.exists(final_dir):
        if not overwrite:
            raise FileExistsError(final_dir)
        old = partial_dir(os.path.dirname(os.path.abspath(final_dir)), 'old')
        os.replace(final_dir, os.path.join(old, 'x'))
        os.replace(tmp_dir, final_dir)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.makedirs(os.path.dirname(os.path.abspath(final_dir)), exist_ok=True)
        os.replace(tmp_dir, final_dir)
