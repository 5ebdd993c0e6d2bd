"""MMOCRInferencer with the shipped detector config keeps what clip4str-ocr keeps: the config's
DBPostprocessor ``min_text_score`` is the presets' ``det.min_score`` (0.6). With MMOCR's default
0.3 the sample photo gave 31 strings, mostly fragments of the sign's big "BAKERY"."""
import numpy as np
import pytest
from mmengine.config import Config

from tests.helpers import REPO

SIGN = [[170, 120], [640, 160], [620, 440], [150, 470]]  # tools/make_samples.py: make_photo
PHOTO = REPO / 'samples' / 'sample_photo.jpg'


@pytest.mark.parametrize('preset', ['document', 'photo'])
def test_shipped_config_carries_the_presets_threshold(preset):
    from clip4str.ocr.preset import load_preset
    det = load_preset(preset)['det']
    post = Config.fromfile(det['config']).model.det_head.postprocessor
    assert post.min_text_score == det['min_score']


def test_inferencer_on_the_sample_photo_finds_only_the_sign():
    import cv2
    from shapely.geometry import Point, Polygon

    import clip4str  # noqa: F401
    from clip4str.ocr.models import TextDetector
    from clip4str.ocr.preset import load_preset
    det, rec = load_preset('document')['det'], load_preset('document')['rec']
    for path in (det['weights'], rec['weights']):
        if not (REPO / path).is_file():
            pytest.skip(f'shipped weights not installed: {path}')
    from mmocr.apis import MMOCRInferencer
    inferencer = MMOCRInferencer(det=det['config'], det_weights=det['weights'],
                                 rec=rec['config'], rec_weights=rec['weights'], device='cpu')
    pred = inferencer(str(PHOTO))['predictions'][0]
    sign = Polygon(SIGN)
    centres = [np.asarray(p).reshape(-1, 2).mean(0) for p in pred['det_polygons']]
    assert centres and all(sign.contains(Point(c)) for c in centres), pred['rec_texts']
    assert min(pred['det_scores']) >= det['min_score']
    # its plain box crops read the sign's words (the detector may keep "Fresh Bread" in one box)
    assert any('bread' in t.lower() for t in pred['rec_texts']), pred['rec_texts']
    # the same regions as the engine's detector at the document preset's size and threshold
    polys, scores = TextDetector(det['config'], det['weights'],
                                 input_size=det['input_size'])([cv2.imread(str(PHOTO))])[0]
    kept = [p for p, s in zip(polys, scores) if s >= det['min_score']]
    assert len(kept) == len(pred['det_polygons'])
    for ours, theirs in zip(kept, pred['det_polygons']):
        assert np.allclose(ours.reshape(-1), theirs, atol=1)
