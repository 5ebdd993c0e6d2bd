"""Words read whole although they hold a space ("GSTSUMMARY") are cut again at it, once read."""

import cv2
import numpy as np
import pytest

from clip4str.ocr.engine import EngineConfig, OCREngine
from clip4str.ocr.space_split import (SpaceSplitConfig, group_pieces, kept_spaces,
                                      space_candidates)

from .rendered import blank_canvas

ON = SpaceSplitConfig(enabled=True, min_regions=1)
MONO = '/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf'  # a till's font


def render(text, font_path=MONO, size=36):
    """``text`` in black on white; the grey image and a box around its ink."""
    img, draw, font = blank_canvas(font_path, size, 700, 100, mode='L')
    draw.text((20, 30), text, font=font, fill=0)
    x0, y0, x1, y1 = draw.textbbox((20, 30), text, font=font)
    box = np.array([[x0 - 4, y0 - 4], [x1 + 4, y0 - 4], [x1 + 4, y1 + 4], [x0 - 4, y1 + 4]],
                   float)
    space = draw.textbbox((20, 30), text.split(' ')[0], font=font)[2] if ' ' in text else None
    return np.asarray(img).copy(), box, space


def test_a_space_is_the_one_candidate_cut():
    # on a whole receipt such a space can fall under the page's threshold (wide gaps around
    # '.', '1', ':' elsewhere); inside the word it is the widest gap, glyphs two pitches apart
    gray, box, space_x = render('GST SUMMARY')
    cands = space_candidates(gray, [box], ['GSTSUMMARY'], ON)
    assert len(cands) == 1 and len(cands[0].cuts) == 1
    left, right = cands[0].pieces()
    assert left[:, 0].max() > space_x  # the cut lies in the space, after the T's ink
    assert left[:, 0].max() < space_x + 0.4 * (box[2, 1] - box[0, 1])
    np.testing.assert_allclose(left[:, 0].min(), box[:, 0].min(), atol=1)
    np.testing.assert_allclose(right[:, 0].max(), box[:, 0].max(), atol=1)


@pytest.mark.parametrize('text', ['SUMMARY', 'Petaling', 'illicit', 'Mutiara'])
def test_a_word_without_space_gives_no_candidate(text):
    # monospace 'i' and 'l' stand in wide gaps, but one pitch from their neighbours
    gray, box, _ = render(text)
    assert space_candidates(gray, [box], [text], ON) == []


def test_sparse_pages_and_the_switch_leave_words_alone():
    gray, box, _ = render('GST SUMMARY')
    assert space_candidates(gray, [box], ['GSTSUMMARY'], SpaceSplitConfig(enabled=False)) == []
    assert space_candidates(gray, [box], ['GSTSUMMARY'],
                            SpaceSplitConfig(enabled=True, min_regions=2)) == []


@pytest.mark.parametrize('pieces, widths, expected', [
    (['TOTAL', 'GST'], [0.4], [True]),
    (['TOTAL', ':'], [0.5], [False]),         # annotations differ; print has no space
    (['33.', '92'], [0.5], [False]),          # a decimal point's wide gap
    (['1', ',000'], [0.5], [False]),
    (['No.', '22'], [0.5], [False]),
    (['(', 'RM)'], [0.5], [False]),
    (['0003', '1'], [0.45], [False]),         # a monospace '1' stands in a wide gap
    (['18Mar2018', '18:25'], [0.7], [True]),  # ... a real space between digits is wider
    (['Jalan', '6,', 'Tampoi'], [0.4, 0.4], [True, True]),
])
def test_cuts_kept_where_print_takes_a_space(pieces, widths, expected):
    assert kept_spaces(''.join(pieces), pieces, widths, ON) == expected


def test_pieces_that_read_otherwise_cancel_the_cut():
    assert kept_spaces('GSTSUMMARY', ['GST', 'SUMMRY'], [0.4], ON) is None
    assert kept_spaces('GSTSUMMARY', ['gst', 'summary'], [0.4], ON) == [True]  # case aside


def test_group_pieces_joins_across_dropped_cuts():
    assert group_pieces([True, False, True]) == [(0, 1), (1, 3), (3, 4)]
    assert group_pieces([False]) == [(0, 2)]


class BarReader:
    """Reads a crop as one 'x' per dark bar in it (connected components)."""

    def __call__(self, crops):
        out = []
        for crop in crops:
            gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
            n = cv2.connectedComponents((gray < 128).astype(np.uint8))[0] - 1
            out.append(('x' * n, [0.9] * n))
        return out


def cells_page(pattern, cell=32, glyph=26, narrow=2, height=24):
    """A monospace line drawn as bars: one cell of ``cell`` px per character of ``pattern``,
    'N' a glyph ``glyph`` px wide, 'n' a narrow one (an 'i', an 'l') ``narrow`` px wide, each
    centred in its cell, ' ' an empty cell; the image and one box around all of it."""
    img = np.full((80, 40 + cell * len(pattern), 3), 255, np.uint8)
    for k, ch in enumerate(pattern):
        if ch != ' ':
            w = glyph if ch == 'N' else narrow
            x = 20 + k * cell + (cell - w) // 2
            img[28:28 + height, x:x + w] = 0
    x1 = 20 + cell * len(pattern)
    # a loose box: paper must outweigh ink for the ink mask
    box = np.array([[16, 6], [x1 + 4, 6], [x1 + 4, 74], [16, 74]], float)
    return img, box


class OneBox:
    def __init__(self, box):
        self.box = box

    def __call__(self, images):
        return [([self.box], np.array([0.9])) for _ in images]


def test_engine_cuts_a_read_word_at_its_space_and_keeps_the_rest():
    img, box = cells_page('NNN NNNN')
    engine = OCREngine(OneBox(box), BarReader(), EngineConfig(space_split=ON))
    result = engine.ocr_image(img)
    assert [w.text for w in result.words] == ['xxx', 'xxxx']
    assert result.text == 'xxx xxxx'
    left, right = (w.polygon for w in result.words)
    assert left[:, 0].max() < right[:, 0].min() + 1
    assert all(w.det_score == pytest.approx(0.9) for w in result.words)
    off = OCREngine(OneBox(box), BarReader(), EngineConfig()).ocr_image(img)
    assert [w.text for w in off.words] == ['xxxxxxx']


def test_engine_leaves_a_narrow_glyphs_wide_gaps_whole():
    # the gaps around 'n' are 3x the others, yet its neighbours are one pitch away
    img, box = cells_page('NNNnNNN')
    engine = OCREngine(OneBox(box), BarReader(), EngineConfig(space_split=ON))
    assert [w.text for w in engine.ocr_image(img).words] == ['xxxxxxx']
    no_pitch = SpaceSplitConfig(enabled=True, min_regions=1, min_pitches=0.0)
    engine = OCREngine(OneBox(box), BarReader(), EngineConfig(space_split=no_pitch))
    assert len(engine.ocr_image(img).words) > 1  # what the pitch test prevents


SANS = '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf'
COLON = SpaceSplitConfig(enabled=True, min_regions=1, colon_gap=0.4)


def test_a_colon_set_a_space_apart_is_cut_off():
    from clip4str.ocr.space_split import colon_splits
    gray, box, space_x = render('TEL :', SANS)
    ((index, cut),) = colon_splits(gray, [box], ['TEL:'], COLON)
    x = box[0, 0] + cut * np.ptp(box[:, 0])
    assert index == 0 and space_x < x < box[:, 0].max() - 4  # in the space before the colon
    assert colon_splits(gray, [box], ['TEL:'], ON) == []  # colon_gap 0: never


# (a monospace "TOTAL:" is cut: its colon stands as far off as "TEL :"'s, see colon_splits)
@pytest.mark.parametrize('text, font', [('TOTAL:', SANS), ('Date:', SANS), ('Time:', SANS)])
def test_a_colon_set_close_stays(text, font):
    from clip4str.ocr.space_split import colon_splits
    gray, box, _ = render(text, font)
    assert colon_splits(gray, [box], [text], COLON) == []


def test_engine_writes_a_spaced_colon_apart():
    gray, box, _ = render('TEL :', SANS)
    img = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)

    def reader(crops):
        return [('TEL:', [0.9, 0.9, 0.9, 0.8]) for _ in crops]
    result = OCREngine(OneBox(box), reader, EngineConfig(space_split=COLON)).ocr_image(img)
    assert [w.text for w in result.words] == ['TEL', ':'] and result.text == 'TEL :'
    assert result.words[1].char_scores == [0.8]
    off = OCREngine(OneBox(box), reader, EngineConfig(space_split=ON)).ocr_image(img)
    assert off.text == 'TEL:'


def render_spaced(words, extra, advance=24, size=36):
    """``words`` letter by letter at a fixed ``advance`` (a till's monospace cells), with
    ``extra`` pixels between words instead of a whole blank cell: a tight printer's space."""
    img, draw, font = blank_canvas(MONO, size, 700, 100, mode='L')
    x = 20
    for k, word in enumerate(words):
        x += extra if k else 0
        for ch in word:
            draw.text((x, 30), ch, font=font, fill=0)
            x += advance
    ink = np.argwhere(np.asarray(img) < 128)
    (y0, x0), (y1, x1) = ink.min(0), ink.max(0)
    box = np.array([[x0 - 4, y0 - 4], [x1 + 4, y0 - 4], [x1 + 4, y1 + 4], [x0 - 4, y1 + 4]],
                   float)
    return np.asarray(img).copy(), box


def test_a_tight_space_is_cut_by_the_looser_tier_only():
    gray, box = render_spaced(['KEEP', 'THIS'], extra=7)
    assert space_candidates(gray, [box], ['KEEPTHIS'], ON) == []  # under 2.5x the letter gaps
    loose = SpaceSplitConfig(enabled=True, min_regions=1, loose_ratio=1.5)
    cands = space_candidates(gray, [box], ['KEEPTHIS'], loose)
    assert len(cands) == 1 and cands[0].loose == [True]
    assert kept_spaces('KEEPTHIS', ['KEEP', 'THIS'], cands[0].widths, loose, cands[0].loose) \
        == [True]


@pytest.mark.parametrize('pieces, expected', [
    (['KEEP', 'THIS'], [True]),
    (['116', 'DISTILLED'], [True]),
    (['I', 'NVOICE'], [False]),     # a lone letter: a narrow glyph's wide gap, not a space
    (['RE', 'G'], [False]),
    (['10:37:', '00'], [False]),    # a time's colon, not a word's end
    (['2018', '18'], [False]),      # digits need the strict tier's digit gap
])
def test_cuts_of_the_looser_tier_need_two_words(pieces, expected):
    loose = SpaceSplitConfig(enabled=True, min_regions=1, loose_ratio=1.5)
    assert kept_spaces(''.join(pieces), pieces, [0.4], loose, [True]) == expected


def bars_page(gaps, bar=20, height=24):
    """A word drawn as bars ``bar`` px wide with the given gaps (px) between them; the image
    and one loose box around it."""
    x, spans = 20, []
    for g in list(gaps) + [0]:
        spans.append((x, x + bar))
        x += bar + g
    img = np.full((80, x + 40, 3), 255, np.uint8)
    for a, b in spans:
        img[28:28 + height, a:b] = 0
    box = np.array([[16, 6], [x + 4, 6], [x + 4, 74], [16, 74]], float)
    return img, box


# "DATE FOR" printed tight: the space (13 px) is 1.6x the letter gaps (8 px, a third of the
# text's height), and the glyphs either side stand only 1.17 pitches apart
TIGHT = [8, 8, 8, 13, 8, 8]
LEXICON = SpaceSplitConfig(enabled=True, min_regions=1, lexicon='english')


def test_the_lexicon_tier_cuts_a_tight_space_between_two_words():
    img, box = bars_page(TIGHT)
    assert space_candidates(img, [box], ['DATEFOR'], ON) == []  # the pitch test holds it
    cands = space_candidates(img, [box], ['DATEFOR'], LEXICON)
    assert len(cands) == 1 and cands[0].lexical == [True]
    left, _ = cands[0].pieces()
    assert 20 + 4 * 20 + 3 * 8 < left[:, 0].max() < 20 + 4 * 20 + 3 * 8 + 13  # in the space


@pytest.mark.parametrize('text', [
    'PETALIN',   # no split into two words
    'BOOKSHO',   # "BOOK" + "SHO": no word
    'SUMMARY',   # a word
])
def test_the_lexicon_tier_leaves_other_words_whole(text):
    img, box = bars_page(TIGHT)
    assert space_candidates(img, [box], [text], LEXICON) == []


def test_the_lexicon_tier_wants_its_gap_the_widest_and_wide_enough():
    img, box = bars_page([8, 8, 8, 13, 8, 13])  # another gap as wide as the space
    assert space_candidates(img, [box], ['DATEFOR'], LEXICON) == []
    img, box = bars_page([8, 8, 8, 10, 8, 8])  # 1.25x the median only
    assert space_candidates(img, [box], ['DATEFOR'], LEXICON) == []


def test_the_lexicon_tier_cuts_a_word_from_the_number_after_it():
    """ "Page 2 of2": a letter's overhang narrows a space below the page's threshold; a word of
    three characters has two gaps, too few for the other tiers."""
    img, box = bars_page([2, 11])
    assert space_candidates(img, [box], ['of2'], ON) == []
    cands = space_candidates(img, [box], ['of2'], LEXICON)
    assert len(cands) == 1 and cands[0].lexical == [True]
    left, _ = cands[0].pieces()
    assert 20 + 2 * 20 + 2 < left[:, 0].max() < 20 + 2 * 20 + 2 + 11  # in the space
    assert space_candidates(img, [box], ['xq2'], LEXICON) == []  # "xq": no word
    assert kept_spaces('of2', ['of', '2'], [0.5], LEXICON, lexical=[True]) == [True]
    assert kept_spaces('of2', ['o', 'f2'], [0.5], LEXICON, lexical=[True]) == [False]


def test_lexicon_cuts_are_kept_between_two_words_only():
    assert kept_spaces('DATEFOR', ['DATE', 'FOR'], [0.5], LEXICON, lexical=[True]) == [True]
    assert kept_spaces('BOOKST', ['BOOK', 'ST'], [0.5], LEXICON, lexical=[True]) == [False]
    # the same pieces through the other tiers: print takes a space between two letters
    assert kept_spaces('BOOKST', ['BOOK', 'ST'], [0.5], LEXICON) == [True]


class ListReader:
    """Reads a crop by its count of dark bars, from a table of texts."""

    def __init__(self, texts):
        self.texts = texts

    def __call__(self, crops):
        counts = BarReader()(crops)
        return [(self.texts[len(t)], [0.99] * len(self.texts[len(t)])) for t, _ in counts]


def test_engine_reads_a_tight_space_between_two_words():
    img, box = bars_page(TIGHT)
    reader = ListReader({7: 'DATEFOR', 4: 'DATE', 3: 'FOR'})
    result = OCREngine(OneBox(box), reader, EngineConfig(space_split=LEXICON)).ocr_image(img)
    assert result.text == 'DATE FOR'
    off = OCREngine(OneBox(box), reader, EngineConfig(space_split=ON)).ocr_image(img)
    assert off.text == 'DATEFOR'


def test_the_photo_preset_cuts_a_faint_signs_spaces_on_a_sparse_page():
    """A sign's one region, grey on grey (30 levels apart): the photo preset measures it (every
    page, ink from 20 levels), the document preset leaves it (30+ regions, 40 levels)."""
    from clip4str.ocr.preset import engine_config, load_preset
    img, draw, font = blank_canvas(SANS, 36, 600, 100, mode='L')
    draw.rectangle((0, 0, 600, 100), fill=170)
    draw.text((20, 30), 'OPEN DAILY NOW', font=font, fill=140)
    x0, y0, x1, y1 = draw.textbbox((20, 30), 'OPEN DAILY NOW', font=font)
    box = np.array([[x0 - 4, y0 - 4], [x1 + 4, y0 - 4], [x1 + 4, y1 + 4], [x0 - 4, y1 + 4]],
                   float)
    gray = np.asarray(img).copy()
    photo = engine_config(load_preset('photo')).space_split
    document = engine_config(load_preset('document')).space_split
    cands = space_candidates(gray, [box], ['OPENDAILYNOW'], photo)
    assert len(cands) == 1 and len(cands[0].cuts) == 2
    assert space_candidates(gray, [box], ['OPENDAILYNOW'], document) == []
    assert space_candidates(gray, [box] * 30, ['OPENDAILYNOW'] * 30, document) == []  # too faint
