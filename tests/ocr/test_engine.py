"""The engine with small fake models: crops, readings, windows, layout, batching."""
import numpy as np

from clip4str.ocr.engine import EngineConfig, OCREngine
from clip4str.ocr.pages import Page

from .ocr_fakes import BoxDetector, GreyRecognizer, render_words
from .ocr_fakes import fake_engine  # noqa: F401  (fixture)


def test_page_is_read_in_reading_order(fake_engine):
    # two lines, given to the detector in scrambled order
    boxes = [(150, 100, 80, 24), (40, 40, 80, 24), (260, 40, 80, 24), (40, 100, 80, 24),
             (150, 40, 80, 24)]
    img, _ = render_words(boxes)
    result = fake_engine.ocr_image(img, source='fake.png')
    assert result.text == 'w1 w4 w2\n\nw3 w0'
    assert [w.text for w in result.words] == ['w1', 'w4', 'w2', 'w3', 'w0']
    assert result.layout.lines == [[0, 1, 2], [3, 4]]
    assert all(w.det_score == 0.9 and w.score == 0.9 for w in result.words)
    assert (result.width, result.height) == (600, 400)


def test_vertical_word_is_read_turned():
    img, _ = render_words([(100, 50, 24, 160), (200, 50, 100, 24)])
    rec = GreyRecognizer()
    result = OCREngine(BoxDetector(), rec).ocr_image(img)
    vertical = next(w for w in result.words if w.text == 'w0')
    assert vertical.reading in ('down', 'up')  # the fake is confident only on wide crops
    assert vertical.score == 0.9


def test_long_crop_is_windowed_and_merged():
    img, _ = render_words([(10, 100, 560, 20)])  # 28 heights wide
    rec = GreyRecognizer()
    result = OCREngine(BoxDetector(), rec).ocr_image(img)
    assert rec.batches == [4]  # one recognizer call with the four windows
    # every window reads 'w0'; the overlap aligns them, so the repeats are not all kept
    assert result.words[0].text.startswith('w0') and len(result.words[0].text) < 4 * 2 + 1


def test_big_pages_are_detected_small_and_mapped_back():
    img, _ = render_words([(400, 1000, 300, 60)], size=(1600, 1200))
    det = BoxDetector()
    seen = []
    def spy(images):
        seen.extend(i.shape for i in images)
        return det(images)
    engine = OCREngine(spy, GreyRecognizer(), EngineConfig(det_max_side=800))
    result = engine.ocr_image(img)
    assert seen == [(800, 600, 3)]
    x0, y0 = result.words[0].polygon.min(0)
    assert abs(x0 - 400) <= 3 and abs(y0 - 1000) <= 3
    assert result.words[0].text == 'w0'


def test_pages_are_batched_for_the_detector():
    img, _ = render_words([(10, 10, 80, 20)])
    calls = []
    det = BoxDetector()
    def spy(images):
        calls.append(len(images))
        return det(images)
    engine = OCREngine(spy, GreyRecognizer(), EngineConfig(page_batch=2))
    pages = [Page(img, i, 'x.tif') for i in range(5)]
    results = list(engine.process(iter(pages)))
    assert calls == [2, 2, 1] and [r.page_index for r in results] == [0, 1, 2, 3, 4]


def test_blank_page_has_no_words(fake_engine):
    result = fake_engine.ocr_image(np.full((100, 100, 3), 255, np.uint8))
    assert result.words == [] and result.text == ''


class NumberRecognizer:
    """Reads by crop width: the two halves of a price, or the whole price with its dot."""

    def __call__(self, crops):
        texts = ['12.00' if c.shape[1] > 60 else '12' if c.shape[1] > 36 else '00'
                 for c in crops]
        return [(t, [0.9] * len(t)) for t in texts]


def test_number_split_at_its_dot_is_read_again_whole():
    img, _ = render_words([(50, 50, 40, 20), (95, 50, 28, 20)])  # "12" and "00", 5 px apart
    plain = OCREngine(BoxDetector(), NumberRecognizer()).ocr_image(img)
    assert [w.text for w in plain.words] == ['12', '00']
    engine = OCREngine(BoxDetector(), NumberRecognizer(), EngineConfig(join_split_numbers=True))
    result = engine.ocr_image(img)
    assert [w.text for w in result.words] == ['12.00'] and result.layout.lines == [[0]]
    x0, x1 = result.words[0].polygon[:, 0].min(), result.words[0].polygon[:, 0].max()
    assert abs(x0 - 50) <= 2 and abs(x1 - 123) <= 2


def test_number_pairs_may_carry_the_point_on_either_side():
    from clip4str.ocr.split_numbers import is_joined_number, split_number_pairs
    quad = lambda x0, x1: np.array([[x0, 0], [x1, 0], [x1, 20], [x0, 20]], float)  # noqa: E731
    polys = [quad(0, 40), quad(44, 70)]
    pairs = lambda a, b: split_number_pairs([a, b], polys, [[0, 1]])  # noqa: E731
    assert pairs('12', '00') == pairs('12.', '00') == pairs('RM12', '.00') == [(0, 1)]
    assert pairs('12.', '.00') == pairs('12', '2018') == pairs('12', 'kg') == []
    assert is_joined_number('12.00', '12', '00') and is_joined_number('12,00', '12', '00')
    assert is_joined_number('RM152.00', 'RM152.', '00')
    assert is_joined_number('26.00', '26', '.00')
    assert not is_joined_number('152.00', 'RM152.', '00')
    assert not is_joined_number('1200', '12', '00')
