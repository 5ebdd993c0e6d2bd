"""Atomic file output: write to a temporary sibling, then os.replace (never a half-written file)."""
import os
import shutil
import tempfile
from contextlib import contextmanager

_UMASK = os.umask(0)
os.umask(_UMASK)


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
        with open(tmp, 'w', encoding='utf-8') as f:
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
        old = tempfile.mkdtemp(prefix='.old-', dir=os.path.dirname(os.path.abspath(final_dir)))
        os.replace(final_dir, os.path.join(old, 'x'))
        os.replace(tmp_dir, final_dir)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.makedirs(os.path.dirname(os.path.abspath(final_dir)), exist_ok=True)
        os.replace(tmp_dir, final_dir)
