"""Pages loaded ahead in a thread (load.prefetch): the next page is loaded while the engine works,
at most one ahead; results, errors and time limits are those of loading each page in turn, and
the loader thread is gone when an input fails or times out."""
import io
import os
import re
import signal
import threading

import pytest
from PIL import Image

from clip4str.ocr import runner as runner_module
from clip4str.ocr.deadline import Deadline
from clip4str.ocr.inputs import collect_inputs
from clip4str.ocr.runner import BatchRunner, LoadOptions
from . import fuzz_set
from .ocr_fakes import BoxDetector, fake_engine  # noqa: F401  (fixture)
from .test_fuzz_batch import child_processes
from .test_pages import _pdf

PDF_STAMPS = re.compile(rb'\(D:\d{14}[^)]*\)|/ID\s*\[[^]]*\]')  # dates, file ids
WAIT = 20  # seconds: a safety limit for events that come at once when prefetching works


def merged_pdf(path, parts):
    """One PDF of the pages of ``parts`` (PDF bytes), in order."""
    from pypdf import PdfReader, PdfWriter
    writer = PdfWriter()
    for data in parts:
        for page in PdfReader(io.BytesIO(data)).pages:
            writer.add_page(page)
    with open(path, 'wb') as f:
        writer.write(f)
    return str(path)


def pdf_bytes(tmp_path, n_pages, size=(200, 100)):
    return _pdf(tmp_path / f'part-{n_pages}-{size[0]}.pdf', n_pages, size=size).read_bytes()


@pytest.fixture
def loads(monkeypatch):
    """Records (page index, thread name) for every page loaded; ``loaded[i]`` is set then."""
    record = []
    loaded = [threading.Event() for _ in range(50)]
    real = runner_module.load_pages

    def recording(*args, **kwargs):
        for page in real(*args, **kwargs):
            record.append((page.index, threading.current_thread().name))
            loaded[page.index].set()
            yield page
    monkeypatch.setattr(runner_module, 'load_pages', recording)
    recording.record, recording.loaded = record, loaded
    return recording


def prefetch_threads():
    return [t for t in threading.enumerate() if t.name == 'page-prefetch']


def run(engine, inputs, out, prefetch, timeout=0, outputs=('json', 'txt', 'vis', 'pdf')):
    errors = []
    summary = BatchRunner(engine, str(out), outputs=outputs,
                          load=LoadOptions(dpi=72, timeout=timeout, prefetch=prefetch),
                          on_error=errors.append).run(collect_inputs(inputs))
    return summary, errors


def folder_bytes(folder):
    """The files of a result folder, the run's own time stamps blanked."""
    files = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            if name != 'result.json':  # holds the seconds taken
                with open(path, 'rb') as f:
                    files[os.path.relpath(path, folder)] = PDF_STAMPS.sub(b'', f.read())
    return files


def test_next_page_loads_while_the_engine_works_at_most_one_ahead(tmp_path, fake_engine, loads):
    path = _pdf(tmp_path / 'five.pdf', 5)
    real = fake_engine.detector
    seen = []

    def detector(images):  # on page k: page k+1 loads meanwhile, page k+2 does not
        k = len(seen)
        seen.append((loads.loaded[k + 1].wait(WAIT) if k < 4 else None,
                     loads.loaded[k + 2].is_set()))
        return real(images)
    fake_engine.detector = detector
    summary, errors = run(fake_engine, [str(path)], tmp_path / 'out', prefetch=1)
    assert summary.count('ok') == 1 and errors == []
    assert seen == [(True, False)] * 4 + [(None, False)]
    assert [i for i, _ in loads.record] == [0, 1, 2, 3, 4]
    assert {name for i, name in loads.record if i > 0} == {'page-prefetch'}
    assert loads.record[0][1] == threading.main_thread().name  # opening the file: alarm-able
    assert prefetch_threads() == []


def test_outputs_are_byte_identical_with_and_without_prefetch(tmp_path, fake_engine):
    (tmp_path / 'in').mkdir()
    _pdf(tmp_path / 'in' / 'doc.pdf', 6)
    frames = [Image.new('RGB', (120, 60), 'white') for _ in range(3)]
    for i, frame in enumerate(frames):
        frame.paste((20 + 40 * i,) * 3, (10 + 10 * i, 20, 70, 40))
    frames[0].save(tmp_path / 'in' / 'frames.tif', save_all=True, append_images=frames[1:])
    results = {}
    for prefetch in (0, 1, 2):
        out = tmp_path / f'out{prefetch}'
        summary, errors = run(fake_engine, [str(tmp_path / 'in')], out, prefetch)
        assert summary.count('ok') == 2 and summary.pages == 9 and errors == []
        results[prefetch] = {name: folder_bytes(out / name) for name in os.listdir(out)}
    assert sorted(results[0]['doc_pdf']) == ['page-0001.json', 'page-0002.json',
                                             'page-0003.json', 'page-0004.json',
                                             'page-0005.json', 'page-0006.json',
                                             'searchable.pdf', 'text.txt',
                                             'vis/page-0001.jpg', 'vis/page-0002.jpg',
                                             'vis/page-0003.jpg', 'vis/page-0004.jpg',
                                             'vis/page-0005.jpg', 'vis/page-0006.jpg']
    assert results[1] == results[0] and results[2] == results[0]


def test_a_bad_page_k_fails_its_input_after_the_pages_before_it(tmp_path, fake_engine):
    (tmp_path / 'in').mkdir()
    bad = merged_pdf(tmp_path / 'in' / 'bad-page-3.pdf', [
        pdf_bytes(tmp_path, 2), pdf_bytes(tmp_path, 1, size=(2, 2)), pdf_bytes(tmp_path, 1)])
    good = _pdf(tmp_path / 'in' / 'good.pdf', 2)
    outcomes = {}
    for prefetch in (0, 1):
        real = BoxDetector()
        fake_engine.detector = real
        out = tmp_path / f'out{prefetch}'
        summary, errors = run(fake_engine, [bad, str(good)], out, prefetch)
        outcomes[prefetch] = ([o.status for o in summary.outcomes], errors, real.calls)
        assert sorted(os.listdir(out)) == ['good_pdf']  # nothing half-written, no partials
        assert prefetch_threads() == []
    statuses, errors, calls = outcomes[1]
    assert statuses == ['failed', 'ok']
    assert len(errors) == 1 and 'bad-page-3.pdf' in errors[0] and 'PDF page 3' in errors[0]
    assert calls == 2 + 2  # pages 1-2 of the bad one were read before its error, then good.pdf
    assert outcomes[1] == outcomes[0]


def test_a_page_rendering_past_the_limit_is_killed_as_without_prefetch(tmp_path, fake_engine,
                                                                        loads):
    path = merged_pdf(tmp_path / 'slow-page-2.pdf',
                      [pdf_bytes(tmp_path, 1), fuzz_set.slow_pdf(), pdf_bytes(tmp_path, 1)])
    before = set(child_processes())
    summary, errors = run(fake_engine, [path], tmp_path / 'out', prefetch=1, timeout=2)
    assert summary.count('failed') == 1 and len(errors) == 1
    assert 'slow-page-2.pdf: rendering PDF page 2: timed out' in errors[0]
    assert [i for i, _ in loads.record] == [0]
    assert prefetch_threads() == [] and set(child_processes()) - before == set()
    assert not os.listdir(tmp_path / 'out')


def test_an_ocr_timeout_stops_the_loader_before_the_next_page(tmp_path, fake_engine, loads):
    path = _pdf(tmp_path / 'four.pdf', 4)
    real = fake_engine.detector

    def hang_on_page_2(images):
        if real.calls == 1:
            assert loads.loaded[2].wait(WAIT)  # page 3 is loaded ahead meanwhile ...
            while True:                         # ... and the OCR of page 2 hangs
                pass
        return real(images)
    fake_engine.detector = hang_on_page_2
    summary, errors = run(fake_engine, [str(path)], tmp_path / 'out', prefetch=1, timeout=2)
    assert summary.count('failed') == 1
    assert len(errors) == 1 and 'four.pdf: timed out' in errors[0] and 'at page 3' in errors[0]
    assert [i for i, _ in loads.record] == [0, 1, 2]  # page 4 was never loaded
    assert prefetch_threads() == []


def test_the_loader_thread_gets_the_time_left_but_never_moves_the_alarm():
    seen = []

    def render_page():  # what pages.py does around pdftoppm, here in another thread
        with deadline.external() as left:
            seen.append((left, signal.getitimer(signal.ITIMER_REAL)[0]))
    with Deadline(30) as deadline:
        before = signal.getitimer(signal.ITIMER_REAL)[0]
        thread = threading.Thread(target=render_page)
        thread.start()
        thread.join()
    (left, alarm_meanwhile), = seen
    assert 0 < left <= 30 and 0 < alarm_meanwhile <= before  # not pushed back by 2 s
