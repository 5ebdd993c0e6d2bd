"""Faint lone glyphs: kept for reading under the page threshold, kept as words only when read
short and sure (clip4str.ocr.small_glyphs)."""
from types import SimpleNamespace

import cv2
import numpy as np

from clip4str.ocr.engine import EngineConfig, OCREngine
from clip4str.ocr.models import TextDetector
from clip4str.ocr.small_glyphs import SmallGlyphConfig, accept_reading, is_small_region

from .ocr_fakes import render_words

# x, y, w, h of: a word, a faint "1", a faint speck, a faint wide region
BOXES = [(40, 40, 120, 24), (200, 40, 20, 24), (260, 40, 20, 24), (320, 40, 120, 24)]
SCORES = [0.9, 0.5, 0.5, 0.5]
READINGS = {0: ('TOTAL', 0.95), 1: ('1', 0.97), 2: ('.', 0.5), 3: ('QTY', 0.95)}


class ScoredDetector:
    """Returns BOXES with SCORES (the postprocessor's region scores)."""

    def __call__(self, images):
        polys = [np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], float)
                 for x, y, w, h in BOXES]
        return [(polys, np.array(SCORES)) for _ in images]


class LevelRecognizer:
    """Reads the region id from the crop's grey level (render_words codes it)."""

    def __call__(self, crops):
        out = []
        for c in crops:
            h, w = c.shape[:2]
            level = float(np.median(c[h // 3:2 * h // 3 + 1, w // 3:2 * w // 3 + 1]))
            text, prob = READINGS.get(int(round((level - 20) / 7)), ('', 0.0))
            out.append((text, [prob] * len(text)))
        return out


def read(cfg: SmallGlyphConfig):
    img, _ = render_words(BOXES)
    engine = OCREngine(ScoredDetector(), LevelRecognizer(),
                       EngineConfig(min_det_score=0.6, small_glyphs=cfg))
    return [w.text for w in engine.ocr_image(img).words]


def test_faint_glyph_read_sure_is_kept_and_specks_and_wide_regions_are_not():
    assert read(SmallGlyphConfig(enabled=True, min_score=0.4, min_regions=1)) == ['TOTAL', '1']


def test_pages_with_few_sure_regions_keep_no_faint_glyph():
    # a scene: one sign, faint blobs around it
    assert read(SmallGlyphConfig(enabled=True, min_score=0.4, min_regions=2)) == ['TOTAL']


def test_rule_off_keeps_only_regions_over_the_page_threshold():
    assert read(SmallGlyphConfig(enabled=False)) == ['TOTAL']


def test_candidates_need_their_own_minimum_score():
    assert read(SmallGlyphConfig(enabled=True, min_score=0.55, min_regions=1)) == ['TOTAL']


def test_small_region_is_about_as_long_as_high_at_any_angle():
    square = cv2.boxPoints(((50, 50), (20, 24), 30))
    long = cv2.boxPoints(((50, 50), (80, 24), 30))
    assert is_small_region(square, 1.5) and not is_small_region(long, 1.5)
    assert not is_small_region(np.zeros((4, 2)), 1.5)  # degenerate


def test_reading_must_be_short_and_sure_of_every_character():
    cfg = SmallGlyphConfig(min_prob=0.9, max_chars=2)
    assert accept_reading('1', [0.95], cfg)
    assert accept_reading(':', [0.9], cfg)
    assert not accept_reading('12', [0.95, 0.6], cfg)
    assert not accept_reading('123', [0.99] * 3, cfg)
    assert not accept_reading('', [], cfg)


def test_detector_threshold_is_lowered_not_raised():
    post = SimpleNamespace(min_text_score=0.6)
    fake = SimpleNamespace(model=SimpleNamespace(det_head=SimpleNamespace(postprocessor=post)))
    TextDetector.lower_min_text_score(fake, 0.4)
    assert post.min_text_score == 0.4
    TextDetector.lower_min_text_score(fake, 0.5)
    assert post.min_text_score == 0.4
    # a postprocessor without the setting is left alone
    other = SimpleNamespace(model=SimpleNamespace(det_head=SimpleNamespace(postprocessor=object())))
    TextDetector.lower_min_text_score(other, 0.4)
