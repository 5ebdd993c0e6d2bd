"""Detected boxes holding several words are cut at their spaces, so the text keeps them."""

import numpy as np
import pytest

from clip4str.ocr.engine import EngineConfig, OCREngine
from clip4str.ocr.polygon_edges import top_bottom_edges
from clip4str.ocr.word_split import WordSplitConfig, cut_region, split_words

from .ocr_fakes import GreyRecognizer, render_words
from .rendered import blank_canvas

ON = WordSplitConfig(enabled=True)
SANS = '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf'  # Helvetica's metrics


class OneBoxDetector:
    """Returns the given boxes, whatever the image (a detector that merged neighbours)."""

    def __init__(self, boxes):
        self.boxes = [np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], float)
                      for x, y, w, h in boxes]

    def __call__(self, images):
        return [(list(self.boxes), np.full(len(self.boxes), 0.9)) for _ in images]


def render_text(text, size=36, canvas=(100, 700)):
    """``text`` in black on white at (20, 30); returns the BGR image and each word's ink box."""
    img, draw, font = blank_canvas(SANS, size, *canvas[::-1])
    draw.text((20, 30), text, font=font, fill=(0, 0, 0))
    boxes, x = [], 20.0
    for word in text.split(' '):
        boxes.append(draw.textbbox((x, 30), word, font=font))
        x += draw.textlength(word + ' ', font=font)
    return np.asarray(img)[:, :, ::-1].copy(), boxes


def line_box(word_boxes, pad=6):
    x0, y0 = min(b[0] for b in word_boxes) - pad, min(b[1] for b in word_boxes) - pad
    x1, y1 = max(b[2] for b in word_boxes) + pad, max(b[3] for b in word_boxes) + pad
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], float)


def test_two_rendered_words_in_one_box_are_cut_at_the_space():
    img, words = render_text('Wall plugs')
    polys, scores = split_words(img, [line_box(words)], [0.8], ON)
    assert len(polys) == 2 and list(scores) == [0.8, 0.8]
    for poly, (x0, _, x1, _) in zip(polys, words):  # each piece holds its word's ink, whole
        assert poly[:, 0].min() <= x0 and poly[:, 0].max() >= x1
    assert polys[0][:, 0].max() < words[1][0] and polys[1][:, 0].min() > words[0][2]


@pytest.mark.parametrize('text', ['illicit', '11.13', 'Malaysia'])
def test_a_word_with_narrow_letter_gaps_is_not_cut(text):
    # '1' and 'l' leave the widest gaps inside a word in Helvetica-like fonts
    img, words = render_text(text)
    box = line_box(words)
    polys, _ = split_words(img, [box], [0.8], ON)
    assert len(polys) == 1 and polys[0] is box


def test_curved_region_is_cut_into_curved_pieces_along_its_edges():
    xs = np.linspace(0, 200, 9)
    top = np.stack([xs, 50 + 0.002 * (xs - 100) ** 2], 1)  # a smile, 20 px high
    bottom = top + [0, 20]
    left, right = cut_region(top, bottom, [0.5])
    for piece, half in ((left, slice(0, 5)), (right, slice(4, 9))):
        t, b = top_bottom_edges(piece)
        assert len(piece) == 18  # stays a 2N 'top then bottom' curve
        np.testing.assert_allclose(t[[0, -1]], top[half][[0, -1]], atol=1.0)
        np.testing.assert_allclose(b[[0, -1]], bottom[half][[0, -1]], atol=1.0)


def test_a_neighbours_tail_cut_off_a_box_is_dropped():
    """Two overlapping grown boxes: "No."'s reaches back over the E of "INVOICE"; cut at the
    space, its first piece is the E's tail, lying inside "INVOICE"'s box, and is dropped."""
    img, words = render_text('INVOICE No.')
    (ix0, iy0, ix1, iy1), (nx0, ny0, nx1, ny1) = words
    first = np.array([[ix0 - 6, iy0 - 6], [ix1 + 2, iy0 - 6], [ix1 + 2, iy1 + 6],
                      [ix0 - 6, iy1 + 6]], float)
    tail_x = ix1 - 0.6 * (iy1 - iy0)  # "No."'s box starts inside the E
    second = np.array([[tail_x, ny0 - 6], [nx1 + 6, ny0 - 6], [nx1 + 6, ny1 + 6],
                       [tail_x, ny1 + 6]], float)
    kept, scores = split_words(img, [first, second], [0.8, 0.7],
                               WordSplitConfig(enabled=True, covered=0.8))
    assert len(kept) == 2 and list(scores) == [0.8, 0.7]
    assert kept[0] is first and kept[1][:, 0].min() > ix1  # "No." alone
    cut, _ = split_words(img, [first, second], [0.8, 0.7], ON)  # covered=0: the tail stays
    assert len(cut) == 3 and cut[1][:, 0].max() < nx0


def test_switched_off_nothing_is_cut():
    img, words = render_text('Wall plugs')
    box = line_box(words)
    polys, _ = split_words(img, [box], [0.8], WordSplitConfig(enabled=False))
    assert len(polys) == 1 and polys[0] is box


def test_pages_with_few_regions_are_left_alone_when_asked():
    # the photo preset splits only pages with many regions (documents), not a scene's few signs
    img, words = render_text('Wall plugs')
    box = line_box(words)
    few = WordSplitConfig(enabled=True, min_regions=2)
    polys, _ = split_words(img, [box], [0.8], few)
    assert len(polys) == 1 and polys[0] is box
    polys, _ = split_words(img, [box, box.copy()], [0.8, 0.8], few)
    assert len(polys) == 4


def test_pages_with_few_regions_are_cut_only_into_long_pieces():
    # a sign's "Fresh Bread" is cut, but a letter or digit standing apart ("A 134") is not cut
    # off; a page with many regions (a receipt) keeps its lone ":" and quantities
    few = WordSplitConfig(enabled=True, min_regions=2, sparse_min_piece=1.5)
    img, words = render_text('Fresh Bread')
    polys, _ = split_words(img, [line_box(words)], [0.8], few)
    assert len(polys) == 2
    img, words = render_text('A 134')
    box = line_box(words)
    polys, _ = split_words(img, [box], [0.8], few)
    assert len(polys) == 1 and polys[0] is box
    polys, _ = split_words(img, [box, box.copy()], [0.8, 0.8], few)
    assert len(polys) == 4


def test_engine_reads_each_word_of_a_merged_box_and_joins_them_with_a_space():
    # two solid word blobs 0.5 heights apart, one detected box around both (ink a minority of
    # its pixels, as with text); the fake reads each crop's central grey level
    img, _ = render_words([(100, 100, 120, 30), (235, 100, 90, 30)])
    box = [(90, 80, 245, 70)]
    cfg = EngineConfig(word_split=ON)
    result = OCREngine(OneBoxDetector(box), GreyRecognizer(), cfg).ocr_image(img)
    assert result.text == 'w0 w1'
    assert [w.det_score for w in result.words] == [0.9, 0.9]
    merged = OCREngine(OneBoxDetector(box), GreyRecognizer()).ocr_image(img)
    assert len(merged.words) == 1 and ' ' not in merged.text


def test_shipped_models_read_a_merged_box_with_its_space():
    """The document preset with its shipped recognizer, on a box the detector merged."""
    from clip4str.ocr.preset import build_engine, load_preset
    from tests.helpers import REPO
    if not (REPO / 'weights' / 'clip4str_small.pth').is_file():
        pytest.skip('shipped recognizer not installed')
    img, words = render_text('Wall plugs')
    engine = build_engine(load_preset('document'))
    engine.detector = OneBoxDetector([(words[0][0] - 6, words[0][1] - 6,
                                       words[1][2] - words[0][0] + 12,
                                       max(b[3] for b in words) - words[0][1] + 12)])
    assert engine.ocr_image(img).text == 'Wall plugs'
    engine.cfg.word_split.enabled = False
    assert ' ' not in engine.ocr_image(img).text
