"""Detection scale chosen from the page: small images, small text on big scans, big text."""
import numpy as np
import pytest

from clip4str.ocr.det_scale import merge_coarse, text_height
from clip4str.ocr.engine import EngineConfig, OCREngine, ScaleConfig

from .ocr_fakes import BoxDetector, GreyRecognizer, render_words
from .rendered import RECEIPT, ocr, render_lines, shipped_engine, word_recall  # noqa: F401


class SizedDetector(BoxDetector):
    """BoxDetector that, like the TextDetector adapter, resizes to a long side it reports."""
    long_side = 1600

    def __init__(self):
        super().__init__()
        self.sizes = []

    def __call__(self, images, long_side=None):
        self.sizes += [(img.shape[:2], long_side) for img in images]
        return super().__call__(images)


def box(x, y, w, h):
    return np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], float)


def test_small_image_is_enlarged_at_most_max_upscale():
    img, _ = render_words([(20, 20, 100, 30)], size=(80, 300))
    det = SizedDetector()
    engine = OCREngine(det, GreyRecognizer(), EngineConfig(scale=ScaleConfig(enabled=True)))
    result = engine.ocr_image(img)
    assert det.sizes[0] == ((160, 600), 600)  # 2x, not the 5.3x the 1600 px input would give
    x0, y0 = result.words[0].polygon.min(0)
    assert abs(x0 - 20) <= 2 and abs(y0 - 20) <= 2  # mapped back to the image


def test_small_text_on_a_big_page_is_detected_again_on_its_area():
    # 8 px high words in the top-left corner of a 4000 px page: 3 px at the detector's 1600
    img, _ = render_words([(100, 100, 60, 8), (100, 130, 60, 8)], size=(4000, 3000))
    det = SizedDetector()
    engine = OCREngine(det, GreyRecognizer(), EngineConfig(scale=ScaleConfig(enabled=True)))
    result = engine.ocr_image(img)
    (shape, side), = det.sizes[1:]
    # the text's area (~110 x 90 px with its margin), enlarged 2x (max_upscale), not the page
    assert 150 < max(shape) < 300 and side == max(shape)
    assert sorted(w.text for w in result.words) == ['w0', 'w1']


def test_small_text_is_detected_again_at_small_text_height():
    # 20 px words on a 7000 px page (4.6 px at the first pass): the second pass enlarges their
    # area to make them small_text_height high, or text_height where that is 0
    img, _ = render_words([(200, 200, 300, 20), (200, 260, 300, 20)], size=(7000, 5000))
    widths = {}
    for small in (0.0, 26.0):
        det = SizedDetector()
        cfg = ScaleConfig(enabled=True, text_height=22.0, small_text_height=small)
        OCREngine(det, GreyRecognizer(), EngineConfig(scale=cfg)).ocr_image(img)
        (shape, _), = det.sizes[1:]
        widths[small] = shape[1]
    assert abs(widths[26.0] / widths[0.0] - 26 / 22) < 0.01


def test_normal_pages_get_one_detection_pass():
    img, _ = render_words([(40, 40, 300, 40), (40, 120, 300, 40)], size=(1400, 1000))
    det = SizedDetector()
    OCREngine(det, GreyRecognizer(), EngineConfig(scale=ScaleConfig(enabled=True))
              ).ocr_image(img)
    assert det.sizes == [((1400, 1000), None)]


def test_coarse_region_replaces_the_fragments_inside_it():
    fragments = [box(100, 100, 30, 20), box(140, 100, 30, 20)]  # letters of one big word
    words = [box(100, 300, 80, 30), box(200, 300, 80, 30)]      # two words of a line
    polys, scores = merge_coarse(fragments + words, [0.7] * 4,
                                 [box(95, 60, 90, 90), box(95, 295, 190, 40)], [0.8, 0.8],
                                 min_height=30)
    heights = sorted(round(text_height(p)) for p in polys)
    assert heights == [30, 30, 90]  # the big word replaced its letters; the line kept its words
    assert len(scores) == 3


def test_coarse_fragment_of_a_fine_word_is_not_added():
    # the fine pass read the price "RM152.00" whole; the coarse pass cut off its "00"
    price, fragment, sign = box(400, 670, 150, 45), box(500, 670, 48, 43), box(50, 50, 300, 90)
    polys, scores = merge_coarse([price], [0.8], [fragment, sign], [0.7, 0.8], min_height=30)
    assert len(polys) == 2 and np.array_equal(polys[0], price) and np.array_equal(polys[1], sign)
    assert list(scores) == [0.8, 0.8]


def test_faint_candidates_neither_block_nor_join_a_merge():
    # a faint fragment inside a big coarse word must not keep it out; a faint coarse region is
    # not added; a faint fine glyph no merged region covers stays
    fragment, glyph = box(100, 100, 70, 80), box(400, 300, 20, 24)
    polys, scores = merge_coarse([fragment, glyph], [0.5, 0.5],
                                 [box(95, 60, 200, 110), box(500, 50, 90, 90)], [0.8, 0.5],
                                 min_height=30, sure_score=0.6)
    assert [round(text_height(p)) for p in polys] == [110, 20] and list(scores) == [0.8, 0.5]


def test_small_word_image_reads(shipped_engine):  # noqa: F811
    img = render_lines(['Hello'], size=40, width=300, margin=20)[:80]
    assert img.shape[:2] == (80, 300)
    assert [w.text for w in ocr(shipped_engine, img).words] == ['Hello']


def test_receipt_small_on_a_huge_page_reads(shipped_engine):  # noqa: F811
    receipt = render_lines(RECEIPT, size=40, width=1650)
    page = np.full((7016, 4961, 3), 255, np.uint8)
    page[600:600 + receipt.shape[0], 300:300 + receipt.shape[1]] = receipt
    alone = word_recall([w.text for w in ocr(shipped_engine, receipt).words], RECEIPT)
    assert word_recall([w.text for w in ocr(shipped_engine, page).words], RECEIPT) >= alone - 0.15
