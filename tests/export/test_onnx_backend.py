"""The onnx backend (``--backend onnx``): both models on onnxruntime, exported once and cached
next to the weights, with the PyTorch backend's results."""
import os

import cv2
import numpy as np
import pytest

from tests.helpers import REPO

DET_CFG = REPO / 'configs/textdet/dbnet/dbnet_resnet18_fpnc_synthdoc.py'
DET_WEIGHTS = REPO / 'weights/dbnet_resnet18_synthdoc.pth'


def fixed_pages():
    """A photo, an A4 scan page and (with the shared data) a SROIE training receipt."""
    from pdf2image import convert_from_path
    pages = [cv2.imread(str(REPO / 'samples/sample_photo.jpg'))]
    scan = convert_from_path(str(REPO / 'samples/sample_document.pdf'), dpi=100, last_page=1)
    pages.append(np.ascontiguousarray(np.asarray(scan[0].convert('RGB'))[:, :, ::-1]))
    receipt = REPO.parent / 'shared/data/SROIE_train_subset/training_data/images/001.jpg'
    if receipt.is_file():
        pages.append(cv2.imread(str(receipt)))
    return pages


@pytest.fixture(scope='module')
def weights_copy(tmp_path_factory):
    """The shipped detector weights in a folder of their own (the export is cached there)."""
    if not DET_WEIGHTS.is_file():
        pytest.skip('shipped detector weights not installed')
    pytest.importorskip('onnxscript')
    folder = tmp_path_factory.mktemp('det_weights')
    os.symlink(DET_WEIGHTS, folder / DET_WEIGHTS.name)
    return folder / DET_WEIGHTS.name


def test_onnx_detector_finds_the_pytorch_polygons(weights_copy, capfd):
    from clip4str.ocr.models import TextDetector
    kwargs = dict(input_size=(960, 960))
    ref = TextDetector(str(DET_CFG), str(weights_copy), **kwargs)
    ort = TextDetector(str(DET_CFG), str(weights_copy), backend='onnx', **kwargs)
    assert (ref.backend, ort.backend) == ('torch', 'onnx')
    exports = list(weights_copy.parent.glob('*.det.onnx'))
    assert len(exports) == 1 and 'exporting' in capfd.readouterr().err
    pages = fixed_pages()
    words = 0
    for (p_ref, s_ref), (p_ort, s_ort) in zip(ref(pages), ort(pages)):
        assert len(p_ref) == len(p_ort)
        words += len(p_ref)
        np.testing.assert_allclose(s_ort, s_ref, atol=1e-4)
        for a, b in zip(p_ref, p_ort):
            assert a.shape == b.shape and np.abs(a - b).max() <= 1.0
    assert words > 20  # the pages have text, found by both
    # a second engine reuses the cached export
    again = TextDetector(str(DET_CFG), str(weights_copy), backend='onnx', **kwargs)
    assert again.backend == 'onnx' and 'exporting' not in capfd.readouterr().err
    assert list(weights_copy.parent.glob('*.det.onnx')) == exports


def test_int8_detector_finds_the_fp32_regions(weights_copy, capfd):
    """det.quantize='int8': built once from the fp32 export, cached beside it, and the regions
    it finds are the fp32 graph's (IoU >= 0.5 for nearly all of them)."""
    from shapely.geometry import Polygon

    from clip4str.ocr.models import TextDetector
    kwargs = dict(input_size=(960, 960), backend='onnx')
    fp32 = TextDetector(str(DET_CFG), str(weights_copy), **kwargs)
    int8 = TextDetector(str(DET_CFG), str(weights_copy), quantize='int8', **kwargs)
    assert (int8.backend, int8.quantize) == ('onnx', 'int8')
    quantized = list(weights_copy.parent.glob('*.det-int8c*.onnx'))
    assert len(quantized) == 1
    # int8 weights: a quarter of the fp32 graph's size
    assert quantized[0].stat().st_size < 0.35 * next(weights_copy.parent.glob('*.det.onnx')
                                                      ).stat().st_size
    capfd.readouterr()
    found = matched = 0
    for (p_ref, _), (p_q, s_q) in zip(fp32(fixed_pages()), int8(fixed_pages())):
        found += len(p_ref)
        shapes = [Polygon(p.reshape(-1, 2)).buffer(0) for p in p_q]
        for p in p_ref:
            a = Polygon(p.reshape(-1, 2)).buffer(0)
            matched += any(a.intersection(b).area > 0.5 * a.union(b).area for b in shapes)
        assert len(p_q) == len(s_q)
    assert found > 20 and matched >= 0.95 * found
    again = TextDetector(str(DET_CFG), str(weights_copy), quantize='int8', **kwargs)
    assert again.quantize == 'int8' and 'exporting' not in capfd.readouterr().err


def test_unknown_quantization_is_refused():
    from clip4str.ocr.errors import ModelLoadError
    from clip4str.ocr.models import TextDetector
    with pytest.raises(ModelLoadError, match='det.quantize'):
        TextDetector(str(DET_CFG), None, quantize='int4', input_size=(320, 320))


def test_onnx_recognizer_reads_as_pytorch(exported, tmp_path, capfd):
    from clip4str.ocr.models import TextRecognizer
    from tests.export.conftest import TINY_CFG, render_words
    ckpt = tmp_path / 'tiny.pth'
    os.symlink(exported.ckpt, ckpt)
    ort = TextRecognizer(str(TINY_CFG), str(ckpt), backend='onnx', batch_size=4)
    assert ort.backend == 'onnx' and not hasattr(ort, 'model')  # the PyTorch copy is freed
    assert len(list(tmp_path.glob('tiny.*.rec.onnx'))) == 1
    crops = exported.crops + render_words(['Receipt', 'TOTAL', '12.50', 'Bristol'], seed=5)
    ref = exported.torch_rec(crops)
    got = ort(crops)
    assert [t for t, _ in got] == [t for t, _ in ref]
    for (_, a), (_, b) in zip(got, ref):
        np.testing.assert_allclose(a, b, atol=1e-4)


def test_unwritable_weights_folder_exports_to_the_user_cache(tmp_path, monkeypatch):
    from clip4str.export import cache
    weights = tmp_path / 'w.pth'
    weights.write_bytes(b'weights')
    blocked = tmp_path / 'not_a_folder'
    blocked.write_text('')  # mkdir / writes under it fail
    monkeypatch.setattr(cache, 'cache_dirs', lambda w: [blocked, tmp_path / 'user'])
    made = []

    def build(path):
        made.append(path)
        path.write_text('graph')
    out = cache.cached_export(str(weights), 'cfg', '.det.onnx', build, log=lambda m: None)
    assert out.parent == tmp_path / 'user' and out.read_text() == 'graph'
    assert cache.cached_export(str(weights), 'cfg', '.det.onnx', build, log=lambda m: None) \
        == out and len(made) == 1
    weights.write_bytes(b'other weights')  # new weights: a new export
    assert cache.cached_export(str(weights), 'cfg', '.det.onnx', build,
                               log=lambda m: None) != out


def test_onnx_backend_without_weights_falls_back_to_pytorch(capfd):
    from clip4str.ocr.models import TextDetector
    det = TextDetector(str(DET_CFG), None, backend='onnx', input_size=(320, 320))
    assert det.backend == 'torch'
    assert 'runs on PyTorch, not onnxruntime: no local weights' in capfd.readouterr().err
    assert len(det([np.full((200, 300, 3), 255, np.uint8)])) == 1


def test_preset_backend_reaches_both_models(exported, weights_copy, tmp_path, capfd):
    from clip4str.ocr.preset import build_engine, load_preset
    from tests.export.conftest import TINY_CFG
    ckpt = tmp_path / 'tiny.pth'
    os.symlink(exported.ckpt, ckpt)
    preset = tmp_path / 'preset.py'
    preset.write_text(f"""_base_ = ['{REPO}/pipelines/document.py']
backend = 'onnx'
det = dict(config='{DET_CFG}', weights='{weights_copy}', input_size=(320, 320))
rec = dict(config='{TINY_CFG}', weights='{ckpt}', batch_size=4)
""")
    cfg = load_preset(str(preset))
    engine = build_engine(cfg)
    assert (engine.detector.backend, engine.recognizer.backend) == ('onnx', 'onnx')
    engine = build_engine(cfg, backend='torch')
    assert (engine.detector.backend, engine.recognizer.backend) == ('torch', 'torch')
    capfd.readouterr()
    # bf16 is a PyTorch mode: the preset's onnx gives way without a warning
    engine = build_engine(cfg, precision='bf16')
    assert (engine.detector.backend, engine.recognizer.backend) == ('torch', 'torch')
    assert 'not onnxruntime' not in capfd.readouterr().err


def test_only_the_image_encoder_takes_several_threads(exported):
    # the per-step decoder graphs ran slower with two intra-op threads than with one
    from clip4str.export.ort_decoder import OnnxCLIP4STR
    model = OnnxCLIP4STR(exported.folder, threads=2)
    threads = {name: s.get_session_options().intra_op_num_threads
               for name, s in model.sessions.items()}
    assert threads.pop('image_encoder') == 2
    assert threads and set(threads.values()) == {1}


def test_batches_decoded_side_by_side_read_as_one_after_another(exported):
    from clip4str.export import OnnxTextRecognizer
    from tests.export.conftest import render_words
    crops = exported.crops + render_words(['Receipt', 'TOTAL', '12.50', 'Bristol'], seed=5)
    serial = OnnxTextRecognizer(exported.folder, batch_size=3, threads=1)
    parallel = OnnxTextRecognizer(exported.folder, batch_size=3, threads=2)
    assert serial.workers == 1 and parallel.workers == 2
    a, b = serial(crops), parallel(crops)
    assert [t for t, _ in a] == [t for t, _ in b]
    for (_, x), (_, y) in zip(a, b):
        np.testing.assert_allclose(x, y, atol=1e-5)


@pytest.mark.parametrize('ahead', [False, True])
def test_detector_beside_the_recognizer_does_not_busy_wait(exported, weights_copy, tmp_path,
                                                          ahead):
    import torch

    from clip4str.ocr.preset import build_engine, load_preset
    from tests.export.conftest import TINY_CFG
    ckpt = tmp_path / 'tiny.pth'
    os.symlink(exported.ckpt, ckpt)
    preset = tmp_path / 'preset.py'
    preset.write_text(f"""_base_ = ['{REPO}/pipelines/document.py']
backend = 'onnx'
detect_ahead = {ahead}
det = dict(config='{DET_CFG}', weights='{weights_copy}', input_size=(320, 320))
rec = dict(config='{TINY_CFG}', weights='{ckpt}', batch_size=4)
""")
    old = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        engine = build_engine(load_preset(str(preset)))
    finally:
        torch.set_num_threads(old)
    opts = engine.detector.net.session.get_session_options()
    assert engine.cfg.detect_ahead == ahead and opts.intra_op_num_threads == 2
    try:
        spinning = opts.get_session_config_entry('session.intra_op.allow_spinning')
    except Exception:  # not set: onnxruntime's default, busy-waiting
        spinning = '1'
    assert spinning == ('0' if ahead else '1')


def test_detector_calls_at_other_sizes_do_not_overlap(weights_copy):
    # the engine detects ahead in a thread while the main thread may detect a turned page: a
    # call at another size must not change the input size a concurrent call runs at
    import threading
    import time

    from clip4str.ocr.models import TextDetector
    det = TextDetector(str(DET_CFG), str(weights_copy), input_size=(320, 320))
    run = det._detect
    seen = []

    def slow_detect(images):
        before = det._resize().scale
        time.sleep(0.3)  # the other call starts meanwhile
        seen.append((before, det._resize().scale))
        return run(images)

    def size_asked_meanwhile():  # the engine reads it to choose a page's scale
        time.sleep(0.1)
        sizes.append(det.long_side)

    sizes = []
    asking = threading.Thread(target=size_asked_meanwhile)

    det._detect = slow_detect
    page = np.full((200, 300, 3), 255, np.uint8)
    bigger = threading.Thread(target=det, args=([page],), kwargs=dict(long_side=640))
    bigger.start()
    asking.start()
    time.sleep(0.1)
    det([page])
    bigger.join()
    asking.join()
    assert sorted(seen) == [((320, 320), (320, 320)), ((640, 640), (640, 640))]
    assert sizes == [320]  # the pipeline's size, not the one a call holds for a while
