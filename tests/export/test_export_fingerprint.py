"""The export cache's fingerprint: the detector's thresholds run in Python after the ONNX graph,
so changing them reuses the export; anything inside the graph makes a new one."""
from clip4str.ocr.models import TextDetector, TextRecognizer, export_fingerprint_text


def dbnet(min_text_score=0.6, depth=18):
    return dict(type='DBNet', backbone=dict(type='mmdet.ResNet', depth=depth),
                det_head=dict(type='DBHead', in_channels=256,
                              postprocessor=dict(type='DBPostprocessor',
                                                 min_text_score=min_text_score)))


def test_detector_thresholds_do_not_change_the_fingerprint():
    ignores = TextDetector.export_ignores
    assert export_fingerprint_text(dbnet(0.6), ignores) == \
        export_fingerprint_text(dbnet(0.4), ignores)
    assert export_fingerprint_text(dbnet(depth=18), ignores) != \
        export_fingerprint_text(dbnet(depth=50), ignores)


def test_the_config_is_not_modified_and_other_models_keep_every_key():
    cfg = dbnet(0.6)
    export_fingerprint_text(cfg, TextDetector.export_ignores)
    assert cfg['det_head']['postprocessor']['min_text_score'] == 0.6
    # the recognizer's postprocessor (its dictionary) shapes the exported decoder: it counts
    assert TextRecognizer.export_ignores == ()
    assert export_fingerprint_text(dbnet(0.6)) != export_fingerprint_text(dbnet(0.4))
