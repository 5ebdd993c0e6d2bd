"""Detection ahead of recognition (.detect_ahead): same results, real overlap, errors in place."""
import os
import threading

import cv2
import pytest
import torch

from clip4str.ocr.engine import EngineConfig, OCREngine
from clip4str.ocr.inputs import collect_inputs
from clip4str.ocr.pages import Page
from clip4str.ocr.preset import ahead_allowed
from clip4str.ocr.runner import BatchRunner

from .ocr_fakes import BoxDetector, GreyRecognizer, render_words
from .test_bad_inputs import make_bad_files

WAIT = 20.0  # seconds a fake model waits for the other thread before giving up


def pages(n):
    """n different pages: page k has k + 1 words."""
    out = []
    for k in range(n):
        img, _ = render_words([(10 + 90 * i, 10 + 30 * (i % 2), 70, 20) for i in range(k + 1)],
                              size=(120, 600))
        out.append(Page(img, k, f'p{k}.png'))
    return out


class Recorder:
    """A detector and a recognizer that note which thread ran them."""

    def __init__(self):
        self.det, self.rec = BoxDetector(), GreyRecognizer()
        self.det_threads = []

    def detector(self, images):
        self.det_threads.append(threading.current_thread().name)
        return self.det(images)


def words_of(results):
    return [[(w.text, w.polygon.round(3).tolist()) for w in r.words] for r in results]


@pytest.mark.parametrize('page_batch', [1, 2])
def test_results_are_the_same_and_detection_runs_in_its_thread(page_batch):
    plain = OCREngine(BoxDetector(), GreyRecognizer(), EngineConfig(page_batch=page_batch))
    rec = Recorder()
    ahead = OCREngine(rec.detector, rec.rec, EngineConfig(page_batch=page_batch,
                                                          detect_ahead=True))
    expected = words_of(plain.process(iter(pages(5))))
    assert words_of(ahead.process(iter(pages(5)))) == expected
    assert [len(p) for p in expected] == [1, 2, 3, 4, 5]
    assert rec.det_threads and all(t.startswith('detect-ahead') for t in rec.det_threads)


def test_the_next_page_is_detected_while_this_one_is_read():
    det, grey = BoxDetector(), GreyRecognizer()
    second_detection = threading.Event()

    def detector(images):
        if det.calls == 1:
            second_detection.set()
        return det(images)

    overlapped = []

    def recognizer(crops):
        if not grey.batches:  # reading page 1: page 2's detection has begun (never, in turn)
            overlapped.append(second_detection.wait(WAIT))
        return grey(crops)

    engine = OCREngine(detector, recognizer, EngineConfig(detect_ahead=True))
    results = list(engine.process(iter(pages(3))))
    assert len(results) == 3 and overlapped == [True] and det.calls == 3


def test_a_detection_error_fails_after_the_pages_before_it():
    det = BoxDetector()

    def detector(images):
        if det.calls == 2:
            raise RuntimeError('detector broke on page 3')
        return det(images)

    engine = OCREngine(detector, GreyRecognizer(), EngineConfig(detect_ahead=True))
    got = []
    with pytest.raises(RuntimeError, match='page 3'):
        for result in engine.process(iter(pages(4))):
            got.append(result.page_index)
    assert got == [0, 1]


def test_pages_detected_before_are_not_detected_again():
    det = BoxDetector()
    engine = OCREngine(det, GreyRecognizer())
    page, other = pages(2)
    page.detection = ([], [])  # said to be empty: the engine trusts it
    results = list(engine.process(iter([page, other])))
    assert det.calls == 1 and results[0].words == [] and len(results[1].words) == 2


def write_inputs(folder, n):
    folder.mkdir(parents=True, exist_ok=True)
    for page in pages(n):
        cv2.imwrite(str(folder / f'{page.index}.png'), page.image)


def run_folder(folder, out, engine, errors=None):
    items = collect_inputs([str(folder)])
    return BatchRunner(engine, str(out), outputs=('json', 'txt'),
                       on_error=(errors.append if errors is not None else None)).run(items)


def read_outputs(out):
    return {name: (out / name / 'text.txt').read_text() for name in sorted(os.listdir(out))}


def test_the_next_input_is_detected_while_this_one_is_read(tmp_path):
    write_inputs(tmp_path / 'in', 4)
    plain = OCREngine(BoxDetector(), GreyRecognizer())
    run_folder(tmp_path / 'in', tmp_path / 'plain', plain)
    rec = Recorder()
    ahead = OCREngine(rec.detector, rec.rec, EngineConfig(detect_ahead=True))
    summary = run_folder(tmp_path / 'in', tmp_path / 'ahead', ahead)
    assert summary.count('ok') == 4
    assert read_outputs(tmp_path / 'ahead') == read_outputs(tmp_path / 'plain')
    assert len(rec.det_threads) == 4
    # inputs 2..4 were detected in the background while the one before them was read
    assert sum(t.startswith('input-ahead') for t in rec.det_threads) == 3


def test_bad_inputs_are_reported_the_same_with_detection_ahead(tmp_path):
    bad = tmp_path / 'in'
    write_inputs(bad, 3)
    expected = make_bad_files(bad)
    reports = {}
    for ahead in (False, True):
        errors = []
        engine = OCREngine(BoxDetector(), GreyRecognizer(), EngineConfig(detect_ahead=ahead))
        summary = run_folder(bad, tmp_path / f'out{ahead}', engine, errors)
        reports[ahead] = (sorted(errors), {os.path.basename(o.item.path): o.status
                                           for o in summary.outcomes})
    assert reports[True] == reports[False]
    errors, status = reports[True]
    assert len(errors) == len(expected) - 1  # all but missing.png, which is not in the folder
    assert [status[f'{k}.png'] for k in range(3)] == ['ok'] * 3
    assert read_outputs(tmp_path / 'outTrue') == read_outputs(tmp_path / 'outFalse')


def test_detection_ahead_needs_a_second_thread_on_cpus():
    old = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        assert not ahead_allowed(True, 'cpu') and ahead_allowed(True, 'cuda')
        torch.set_num_threads(2)
        assert ahead_allowed(True, 'cpu') and not ahead_allowed(False, 'cpu')
    finally:
        torch.set_num_threads(old)


@pytest.mark.parametrize('ahead', [False, True])
def test_the_batch_tool_limits_malloc_arenas_when_detecting_ahead(tmp_path, monkeypatch, ahead):
    import clip4str.ocr.runner as runner
    calls = []
    monkeypatch.setattr(runner, 'limit_malloc_arenas', lambda: calls.append(1))
    write_inputs(tmp_path / 'in', 1)
    engine = OCREngine(BoxDetector(), GreyRecognizer(), EngineConfig(detect_ahead=ahead))
    assert run_folder(tmp_path / 'in', tmp_path / 'out', engine).count('ok') == 1
    assert len(calls) == int(ahead)


def test_malloc_arenas_can_be_limited_on_glibc():
    import platform
    from clip4str.ocr.detect_ahead import limit_malloc_arenas
    if platform.libc_ver()[0] != 'glibc':
        pytest.skip('glibc only')
    assert limit_malloc_arenas() is True


def test_shipped_models_read_the_samples_the_same_ahead_and_in_turn(tmp_path):
    # the real engine detects at page-dependent sizes (ocr/det_scale.py): a PDF and a photo,
    # the photo detected while the PDF is read
    from clip4str.ocr.preset import build_engine, load_preset
    from tests.helpers import REPO
    if not (REPO / 'weights/dbnet_resnet18_synthdoc.pth').is_file():
        pytest.skip('shipped weights not installed')
    old = torch.get_num_threads()
    texts = {}
    try:
        torch.set_num_threads(2)
        for ahead in (False, True):
            engine = build_engine(load_preset('document', {'detect_ahead': ahead}))
            assert engine.cfg.detect_ahead == ahead
            out = tmp_path / f'out{ahead}'
            items = collect_inputs([str(REPO / 'samples')])
            assert BatchRunner(engine, str(out), outputs=('txt',)).run(items).count('ok') == 2
            texts[ahead] = read_outputs(out)
    finally:
        torch.set_num_threads(old)
    assert sorted(texts[True]) == ['sample_document_pdf', 'sample_photo_jpg']
    assert texts[True] == texts[False]
