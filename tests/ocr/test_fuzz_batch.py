"""One batch over 200+ generated hostile inputs plus good ones (see fuzz_set.py), through the
command line with fake models: it finishes, every good result is written, every bad input gets
exactly one line naming it, no traceback, nothing hidden left behind. And a batch killed with
SIGKILL loses nothing and leaves nothing once it is run again."""
import os
import signal
import time

import pytest

from clip4str.ocr.engine import OCREngine
from clip4str.ocr.errors import printable
from clip4str.ocr.inputs import collect_inputs
from clip4str.ocr.runner import BatchRunner
from . import fuzz_set
from .ocr_fakes import BoxDetector, GreyRecognizer, fake_engine  # noqa: F401  (fixture)

HANG_SHAPE = fuzz_set.HANG_SIZE[::-1]  # (height, width)


class HangingDetector(BoxDetector):
    """The fake detector, spinning forever on images of fuzz_set.HANG_SIZE (an OCR hang)."""

    def __call__(self, images):
        while any(im.shape[:2] == HANG_SHAPE for im in images):
            pass
        return super().__call__(images)


def hidden_entries(folder):
    return [os.path.join(root, n) for root, dirs, files in os.walk(folder)
            for n in dirs + files if n.startswith('.')]


def child_processes():
    """Live children of this process (a pdftoppm left running would show here)."""
    kids = []
    for tid in os.listdir('/proc/self/task'):
        with open(f'/proc/self/task/{tid}/children') as f:
            kids += f.read().split()
    return kids


@pytest.fixture
def fuzz(tmp_path):
    fz = fuzz_set.build(str(tmp_path))
    yield fz
    fz.close()


def test_fuzz_batch_one_line_per_bad_input_and_every_good_result(tmp_path, fuzz, capsys,
                                                                   monkeypatch):
    from clip4str.cli import ocr as cli
    monkeypatch.setattr('clip4str.ocr.preset.build_engine',
                        lambda *a, **k: OCREngine(HangingDetector(), GreyRecognizer()))
    out = tmp_path / 'out'
    assert len(fuzz.bad) >= 200
    children_before = set(child_processes())  # earlier tests' workers may still live
    code = cli.main([fuzz.root, '--out', str(out), '--password', fuzz_set.PASSWORD,
                     '--timeout', '2', '--outputs', 'json,txt', '--dpi', '72'])
    stdout, stderr = capsys.readouterr()

    assert code == 1
    assert 'Traceback' not in stdout + stderr
    assert len(stdout.splitlines()) == len(fuzz.good)  # a line per result
    lines = stderr.splitlines()
    errors = [ln for ln in lines if ln.startswith('error: ')]
    assert [ln for ln in lines if not ln.startswith('error: ')] == [lines[-1]]  # the summary
    assert f'{len(fuzz.good)} ok, {len(fuzz.bad)} failed' in lines[-1]
    for path in fuzz.bad:
        shown = ' '.join(printable(path).split())  # a tab in a name is shown as a space
        assert len([ln for ln in errors if shown in ln]) == 1, (path, errors)
    assert len(errors) == len(fuzz.bad)
    assert any('slow-render.pdf: rendering PDF page 1: timed out' in e for e in errors)
    assert any('ocr-hang.png: timed out' in e for e in errors)

    names = {it.path: it.name for it in collect_inputs([fuzz.root])}
    umask = os.umask(0)
    os.umask(umask)
    for path in fuzz.good:
        folder = out / names[path]
        assert (folder / 'result.json').is_file() and (folder / 'text.txt').is_file(), path
        assert (folder.stat().st_mode & 0o777) == 0o777 & ~umask
    assert (out / 'good-pdf-marker_png' / 'page-0001.json').is_file()  # an image, not a PDF
    assert len(list((out / 'good-aes256_pdf').glob('page-*.json'))) == 1
    assert hidden_entries(out) == []
    assert set(child_processes()) - children_before == set()


class StallingDetector(BoxDetector):
    """The fake detector, touching ``marker`` and sleeping on images of HANG_SIZE."""

    def __init__(self, marker):
        super().__init__()
        self.marker = marker

    def __call__(self, images):
        if any(im.shape[:2] == HANG_SHAPE for im in images):
            self.marker.touch()
            time.sleep(600)
        return super().__call__(images)


def test_kill_9_then_rerun_loses_nothing_and_leaves_nothing(tmp_path, fake_engine):
    src, out, marker = tmp_path / 'in', tmp_path / 'out', tmp_path / 'stalled'
    src.mkdir()
    for i in range(6):
        (src / f'a{i}.png').write_bytes(fuzz_set.image_bytes('PNG', i))
        (src / f'z{i}.png').write_bytes(fuzz_set.image_bytes('PNG', 10 + i))
    (src / 'k-stall.png').write_bytes(fuzz_set.image_bytes('PNG', 20, size=HANG_SHAPE))
    pid = os.fork()  # a child that has everything imported already: no start-up to wait for
    if pid == 0:
        try:
            BatchRunner(OCREngine(StallingDetector(marker), GreyRecognizer()), str(out),
                        outputs=('json', 'txt')).run(collect_inputs([str(src)]))
        finally:
            os._exit(0)
    try:
        for _ in range(6000):  # a safety limit only (10 minutes), never reached normally
            if marker.exists() or os.waitpid(pid, os.WNOHANG) != (0, 0):
                break
            time.sleep(0.1)
        assert marker.exists(), 'the batch ended before it stalled'
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    done = sorted(p.name for p in out.iterdir() if not p.name.startswith('.'))
    assert done == [f'a{i}_png' for i in range(6)]
    assert len(hidden_entries(out)) == 1  # the killed input's partial folder
    mtimes = {d: os.path.getmtime(out / d / 'result.json') for d in done}

    summary = BatchRunner(fake_engine, str(out), outputs=('json', 'txt')).run(
        collect_inputs([str(src)]))
    assert (summary.count('skipped'), summary.count('ok'), summary.count('failed')) == (6, 7, 0)
    assert hidden_entries(out) == []
    assert {d: os.path.getmtime(out / d / 'result.json') for d in done} == mtimes
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f'{c}{i}_png' for c in 'az' for i in range(6)] + ['k-stall_png'])
