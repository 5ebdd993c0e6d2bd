"""Pieces of one word a printer's gap apart ("adjus" "tments") joined when their letters make a
word of the lexicon and they are not two words."""
import numpy as np
import pytest

from clip4str.ocr.engine import EngineConfig, OCREngine
from clip4str.ocr.lexicon import load_lexicon
from clip4str.ocr.split_numbers import joined_lexicon_word, lexicon_word_pairs

from .test_engine import FixedDetector, WidthRecognizer, printed_line

ENGLISH = load_lexicon('english')


def boxes_apart(n, gap=0.5, height=20.0, width=60.0):
    """``n`` boxes on one line, ``gap`` text heights apart."""
    out, x = [], 0.0
    for _ in range(n):
        out.append(np.array([[x, 0], [x + width, 0], [x + width, height], [x, height]]))
        x += width + gap * height
    return out


@pytest.mark.parametrize('texts, expected', [
    (['adjus', 'tments'], [(0, 1)]),
    (['Descr', 'iption:'], [(0, 1)]),   # marks after the letters stay out of the lookup
    (['(nec', 'essary'], [(0, 1)]),
    (['TAX', 'INVOICE'], []),           # two words
    (['BOOK', 'SHOP'], []),             # two words, though "bookshop" is one
    (['ab', 'le'], []),                 # 5 letters at least
    (['adjus', 'tments2'], []),
    (['adjus', 'tnents'], []),          # no word run together
])
def test_pairs(texts, expected):
    assert lexicon_word_pairs(texts, boxes_apart(len(texts)), [list(range(len(texts)))],
                              ENGLISH) == expected


def test_pieces_far_apart_or_on_two_lines_are_no_pair():
    assert lexicon_word_pairs(['adjus', 'tments'], boxes_apart(2, gap=1.2), [[0, 1]],
                              ENGLISH) == []
    assert lexicon_word_pairs(['adjus', 'tments'], boxes_apart(2), [[0], [1]], ENGLISH) == []


def test_the_reading_whole_must_be_a_word_and_the_two_run_together():
    accept = joined_lexicon_word(ENGLISH)
    assert accept('adjustments', 'adjus', 'tments', None)
    assert accept('Description', 'Descr', 'iptlon', None)  # one character otherwise
    assert not accept('adjustmints', 'adjus', 'tments', None)  # no word
    assert not accept('adjournments', 'adjus', 'tments', None)


def lexicon_engine(whole='adjustments', lexicon='english'):
    img, boxes = printed_line([('adjus', True), ('tments', True), ('to', False)])
    widths = {t: np.ptp(b[:, 0]) for t, b in zip(['adjus', 'tments', 'to'], boxes)}
    widths[whole] = boxes[1][:, 0].max() - boxes[0][:, 0].min()
    engine = OCREngine(FixedDetector(boxes), WidthRecognizer(widths),
                       EngineConfig(join_touching_words=True, join_lexicon=lexicon))
    return engine, img


def test_engine_joins_a_word_cut_at_a_space_wide_gap():
    engine, img = lexicon_engine(lexicon='')  # a space of ink: the touching test leaves it
    assert [w.text for w in engine.ocr_image(img).words] == ['adjus', 'tments', 'to']
    engine, img = lexicon_engine()
    result = engine.ocr_image(img)
    assert [w.text for w in result.words] == ['adjustments', 'to']
    assert result.text == 'adjustments to'


def test_engine_keeps_the_pieces_when_read_whole_as_something_else():
    engine, img = lexicon_engine(whole='adjoint')
    assert [w.text for w in engine.ocr_image(img).words] == ['adjus', 'tments', 'to']
