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
    # the point must be read sure: two numbers a space apart read as one get a doubtful one
    sure, doubtful = [1.0] * 4 + [0.99] + [1.0] * 2, [1.0] * 4 + [0.71] + [1.0] * 2
    assert is_joined_number('4567.89', '4567', '89', sure, 0.9)
    assert not is_joined_number('4567.89', '4567', '89', doubtful, 0.9)
    assert not is_joined_number('4567.89', '4567.', '89', doubtful, 0.9)
    assert is_joined_number('4567.89', '4567.', '89', sure, 0.9)
    assert not is_joined_number('4567.89', '4567', '.89', doubtful, 0.9)



def printed_line(words, size=40):
    """A white page with ``words`` printed on one line; the boxes a detector could give each
    (cut exactly where the next word starts: no space between a word's two pieces)."""
    from PIL import Image, ImageDraw, ImageFont
    font = ImageFont.load_default(size=size)
    img = Image.new('RGB', (900, 120), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    x, boxes = 20.0, []
    for word, space in words:
        x0, y0, x1, y1 = draw.textbbox((x, 30), word, font=font)
        draw.text((x, 30), word, fill=(0, 0, 0), font=font)
        boxes.append(np.array([[x0 - 3, 26], [x1 + 3, 26], [x1 + 3, 84], [x0 - 3, 84]], float))
        x += font.getlength(word) + (font.getlength(' ') if space else 0)
    return np.ascontiguousarray(np.asarray(img)[:, :, ::-1]), boxes


class FixedDetector:
    def __init__(self, boxes):
        self.boxes = boxes

    def __call__(self, images):
        return [(list(self.boxes), np.full(len(self.boxes), 0.9)) for _ in images]


class WidthRecognizer:
    """Reads the text whose box width is nearest the crop's width."""

    def __init__(self, widths):
        self.widths = widths  # {text: width}

    def __call__(self, crops):
        texts = [min(self.widths, key=lambda t: abs(self.widths[t] - c.shape[1])) for c in crops]
        return [(t, [0.9] * len(t)) for t in texts]


def touching_engine(whole='adjustments', join=True):
    img, boxes = printed_line([('adjus', False), ('tments', True), ('to', False)])
    widths = {t: np.ptp(b[:, 0]) for t, b in zip(['adjus', 'tments', 'to'], boxes)}
    widths[whole] = boxes[1][:, 0].max() - boxes[0][:, 0].min()
    engine = OCREngine(FixedDetector(boxes), WidthRecognizer(widths),
                       EngineConfig(join_touching_words=join))
    return engine, img


def test_word_cut_between_letters_is_read_again_whole():
    engine, img = touching_engine(join=False)
    assert [w.text for w in engine.ocr_image(img).words] == ['adjus', 'tments', 'to']
    engine, img = touching_engine()
    result = engine.ocr_image(img)
    assert [w.text for w in result.words] == ['adjustments', 'to']
    assert result.layout.lines == [[0, 1]]


def test_touching_pieces_stay_apart_when_read_whole_as_something_else():
    engine, img = touching_engine(whole='adjoint')
    assert [w.text for w in engine.ocr_image(img).words] == ['adjus', 'tments', 'to']

def test_touching_words_are_told_from_neighbours_by_their_ink():
    """Printed text: a word the detector cut between two letters is a pair; two words a space
    apart are not, though the detector's boxes of the two touch."""
    from PIL import Image, ImageDraw, ImageFont

    from clip4str.ocr.split_numbers import touching_word_pairs
    font = ImageFont.load_default(size=40)
    img = Image.new('L', (900, 200), 255)
    draw = ImageDraw.Draw(img)
    boxes = []
    for y, left, right, joined in ((20, 'adjus', 'tments', True), (110, 'TAX', 'INVOICE', False)):
        text = left + right if joined else f'{left} {right}'
        draw.text((20, y), text, fill=0, font=font)
        x_cut = 20 + font.getlength(left) + (0 if joined else font.getlength(' ') / 2)
        x0, y0, x1, y1 = draw.textbbox((20, y), text, font=font)
        boxes += [np.array([[x0 - 4, y0 - 4], [x_cut, y0 - 4], [x_cut, y1 + 4], [x0 - 4, y1 + 4]]),
                  np.array([[x_cut, y0 - 4], [x1 + 4, y0 - 4], [x1 + 4, y1 + 4],
                            [x_cut, y1 + 4]])]
    texts = ['adjus', 'tments', 'TAX', 'INVOICE']
    assert touching_word_pairs(np.asarray(img), texts, boxes, [[0, 1], [2, 3]]) == [(0, 1)]
    # digits and punctuation are the split numbers' business
    assert touching_word_pairs(np.asarray(img), ['adjus1', 'tments', 'TAX', 'INVOICE'], boxes,
                               [[0, 1], [2, 3]]) == []


def test_digits_cut_at_a_tabular_one_are_a_pair_but_numbers_a_space_apart_are_not():
    from PIL import Image, ImageDraw, ImageFont

    from clip4str.ocr.split_numbers import touching_word_pairs
    font = ImageFont.load_default(size=40)
    img = Image.new('L', (900, 200), 255)
    draw = ImageDraw.Draw(img)
    boxes = []
    for y, left, sep, right in ((20, '2024-031', '', '7'), (110, '123', ' ', '4567')):
        draw.text((20, y), left + sep + right, fill=0, font=font)
        x0, y0, xl, y1 = draw.textbbox((20, y), left, font=font)
        xr = draw.textbbox((20 + font.getlength(left + sep), y), right, font=font)[0]
        x_cut = (xl + xr) / 2  # the word split cuts in the middle of the blank
        x1 = draw.textbbox((20, y), left + sep + right, font=font)[2]
        boxes += [np.array([[x0 - 4, y0 - 4], [x_cut, y0 - 4], [x_cut, y1 + 4], [x0 - 4, y1 + 4]]),
                  np.array([[x_cut, y0 - 4], [x1 + 4, y0 - 4], [x1 + 4, y1 + 4], [x_cut, y1 + 4]])]
    texts, lines = ['2024-031', '7', '123', '4567'], [[0, 1], [2, 3]]
    gray = np.asarray(img)
    assert touching_word_pairs(gray, texts, boxes, lines, digit_ink_gap=0.38) == [(0, 1)]
    assert touching_word_pairs(gray, texts, boxes, lines) == []  # letters only by default


class UnsureOn:
    """GreyRecognizer, but unsure (0.5 a character) of the words named."""

    def __init__(self, *unsure):
        self.unsure, self.grey = set(unsure), GreyRecognizer()

    def __call__(self, crops):
        return [(t, [0.5] * len(t) if t in self.unsure else s) for t, s in self.grey(crops)]


def test_words_read_under_the_text_score_floor_are_left_out():
    # one line of three words and a second line holding only the unsure w3
    img, _ = render_words([(40, 40, 80, 24), (150, 40, 80, 24), (260, 40, 80, 24),
                           (40, 120, 80, 24)])
    reader = UnsureOn('w1', 'w3')
    kept = OCREngine(BoxDetector(), reader, EngineConfig(min_text_score=0.75)).ocr_image(img)
    assert kept.text == 'w0 w2'
    assert [w.text for w in kept.words] == ['w0', 'w2'] and kept.layout.lines == [[0, 1]]
    every = OCREngine(BoxDetector(), reader, EngineConfig()).ocr_image(img)  # 0: all kept
    assert [w.text for w in every.words] == ['w0', 'w1', 'w2', 'w3']
    at_half = OCREngine(BoxDetector(), reader, EngineConfig(min_text_score=0.5)).ocr_image(img)
    assert len(at_half.words) == 4  # the floor itself stays


def test_the_presets_text_score_floor_is_read_and_checked():
    import pytest
    from clip4str.ocr.errors import ModelLoadError
    from clip4str.ocr.preset import engine_config, load_preset
    assert engine_config(load_preset('document')).min_text_score == 0.75
    assert engine_config(load_preset('photo')).min_text_score == 0.65
    with pytest.raises(ModelLoadError, match='rec.min_score'):
        engine_config(load_preset('document', {'rec.min_score': 'high'}))
