"""Lone glyphs in the blank between two words of a line, left unboxed by the detector, are read."""

import numpy as np

from clip4str.ocr.gap_glyphs import (GapGlyphConfig, accept_gap_reading, accept_line_end_reading,
                                     distinct_quads, gap_glyph_regions, glyph_regions,
                                     line_end_regions)

from .rendered import blank_canvas

ON = GapGlyphConfig(enabled=True, min_regions=0)
MONO = '/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf'


def render(text, boxed, grow=0.3, size=32):
    """``text`` printed on one line of a white page (monospace, so runs of spaces stay wide);
    per piece of ``text`` its ink span (x0, x1) and, for the pieces in ``boxed``, the box a
    DBNet would give it: the ink grown by ``grow`` text heights on every side."""
    img, draw, font = blank_canvas(MONO, size, 900, 120)
    draw.text((20, 30), text, font=font, fill=(0, 0, 0))
    _, y0, _, y1 = draw.textbbox((20, 30), 'Sg', font=font)
    m = grow * (y1 - y0)
    inked = np.flatnonzero((np.asarray(img.convert('L')) < 128).any(0))
    spans, boxes = {}, []
    start = 0
    for piece in text.split():
        start = text.index(piece, start)
        x0, _, x1, _ = draw.textbbox((20 + font.getlength(text[:start]), 30), piece, font=font)
        cols = inked[(inked >= x0) & (inked < x1)]  # the glyphs' ink, not their advance
        x0, x1 = float(cols[0]), float(cols[-1] + 1)
        spans[piece] = (x0, x1)
        start += len(piece)
        if piece in boxed:
            boxes.append(np.array([[x0 - m, y0 - m], [x1 + m, y0 - m], [x1 + m, y1 + m],
                                   [x0 - m, y1 + m]], float))
    return np.asarray(img)[:, :, ::-1].copy(), spans, boxes


def test_an_unboxed_colon_between_two_words_gets_a_region_around_it():
    img, spans, boxes = render('Total   :   21.00', boxed={'Total', '21.00'})
    quads = gap_glyph_regions(img, boxes, [[0, 1]], ON)
    assert len(quads) == 1
    x0, x1 = quads[0][:, 0].min(), quads[0][:, 0].max()
    assert x0 < spans[':'][0] and spans[':'][1] < x1  # the colon's ink inside
    assert spans['Total'][1] < x0 and x1 < spans['21.00'][0]  # neither word's ink
    assert x1 - x0 < 2 * (boxes[0][:, 1].max() - boxes[0][:, 1].min())  # about a glyph wide


def test_a_hyphen_is_found_too_and_an_empty_blank_gives_nothing():
    img, spans, boxes = render('WA27   -   20', boxed={'WA27', '20'})
    quads = gap_glyph_regions(img, boxes, [[0, 1]], ON)
    assert len(quads) == 1 and quads[0][:, 0].min() < spans['-'][0]
    img, _, boxes = render('Total       21.00', boxed={'Total', '21.00'})
    assert gap_glyph_regions(img, boxes, [[0, 1]], ON) == []


def test_ink_a_region_already_covers_is_not_found_again():
    # a faint glyph's region is often tighter than its ink: what it touches is its own
    img, spans, boxes = render('Total   :   21.00', boxed={'Total', '21.00'})
    x0, x1 = spans[':']
    rows = np.flatnonzero((img[:, int(x0):int(x1), 0] < 128).any(1))
    y0, y1 = rows[0] + 2, rows[-1] - 2  # inside both dots' rows, short of their ends
    tight = np.array([[x0 + 1, y0], [x1 - 1, y0], [x1 - 1, y1], [x0 + 1, y1]], float)
    assert gap_glyph_regions(img, [boxes[0], tight, boxes[1]], [[0, 1, 2]], ON) == []


def test_other_lines_scenes_and_the_switch():
    img, _, boxes = render('Total   :   21.00', boxed={'Total', '21.00'})
    # the two words on different lines: no blank between them is searched
    assert gap_glyph_regions(img, boxes, [[0], [1]], ON) == []
    # pages with fewer than min_regions regions (scenes) and the rule switched off
    assert gap_glyph_regions(img, boxes, [[0, 1]], GapGlyphConfig(enabled=True)) == []
    assert gap_glyph_regions(img, boxes, [[0, 1]], GapGlyphConfig(enabled=False,
                                                                     min_regions=0)) == []


def test_only_short_sure_readings_are_kept():
    assert accept_gap_reading(':', [0.95], ON)
    assert accept_gap_reading('1', [0.99], ON)
    assert not accept_gap_reading(':', [0.6], ON)         # a speck read unsure
    assert not accept_gap_reading('SALE', [0.99] * 4, ON)  # more than a glyph or two
    assert not accept_gap_reading('', [], ON)


def test_the_engine_adds_the_glyph_to_its_line():
    from clip4str.ocr.engine import EngineConfig, OCREngine
    img, _, boxes = render('Total   :   21.00', boxed={'Total', '21.00'})

    def detector(images):
        return [(list(boxes), np.full(len(boxes), 0.9)) for _ in images]

    def recognizer(crops):  # the narrow crop is the colon
        return [(':', [0.97]) if c.shape[1] < 1.2 * c.shape[0] else ('word', [0.99] * 4)
                for c in crops]

    def text(cfg):
        return OCREngine(detector, recognizer, cfg).ocr_image(img).text
    assert text(EngineConfig()).split() == ['word', 'word']
    assert text(EngineConfig(gap_glyphs=ON)).split() == ['word', ':', 'word']  # in its place


def test_a_faded_colon_is_found_with_a_looser_threshold_in_the_blank():
    img, spans, boxes = render('Total   :   21.00', boxed={'Total', '21.00'})
    x0, x1 = (int(v) for v in spans[':'])
    colon = img[:, x0:x1]
    colon[colon < 128] = 170  # a faded thermal print: the colon much lighter than the words
    assert gap_glyph_regions(img, boxes, [[0, 1]], ON) == []  # lighter than the words' Otsu cut
    found = gap_glyph_regions(img, boxes, [[0, 1]], GapGlyphConfig(enabled=True, min_regions=0,
                                                                   faint=0.5))
    assert len(found) == 1 and found[0][:, 0].min() < x0 and x1 < found[0][:, 0].max()


def render_two_lines(lines, boxed, size=32, grow=0.3):
    """Two monospace lines; boxes (grown as DBNet's) around the pieces in ``boxed``, line by
    line, and each piece's ink span (x0, x1, line)."""
    img, draw, font = blank_canvas(MONO, size, 900, 160)
    spans, boxes = {}, []
    for row, text in enumerate(lines):
        y = 30 + row * 1.6 * size
        draw.text((20, y), text, font=font, fill=(0, 0, 0))
        _, y0, _, y1 = draw.textbbox((20, y), 'Sg', font=font)
        m = grow * (y1 - y0)
        start = 0
        for piece in text.split():
            start = text.index(piece, start)
            x0, _, x1, _ = draw.textbbox((20 + font.getlength(text[:start]), y), piece, font=font)
            spans[piece] = (x0, x1, row)
            start += len(piece)
            if piece in boxed:
                boxes.append(np.array([[x0 - m, y0 - m], [x1 + m, y0 - m], [x1 + m, y1 + m],
                                       [x0 - m, y1 + m]], float))
    return np.asarray(img)[:, :, ::-1].copy(), spans, boxes


ENDS = GapGlyphConfig(enabled=True, min_regions=0, line_ends=4.0)


def test_glyphs_before_a_lines_first_word_and_after_its_last_are_found():
    """A quantity left of an item and a count under the prices, out to the edges of the line
    above or below; nothing beyond them, nothing with line_ends 0."""
    img, spans, boxes = render_two_lines(['Item Count         7', '1   VEGETABLES   2.20'],
                                         boxed={'Item', 'Count', 'VEGETABLES', '2.20'})
    lines = [[0, 1], [2, 3]]
    quads = line_end_regions(img, boxes, lines, ENDS)
    assert len(quads) == 2
    found = sorted(((q[:, 0].min(), q[:, 0].max()) for q in quads))
    assert found[0][0] < spans['1'][0] and spans['1'][1] < found[0][1] < spans['VEGETABLES'][0]
    assert spans['Count'][1] < found[1][0] < spans['7'][0] and spans['7'][1] < found[1][1]
    assert gap_glyph_regions(img, boxes, lines, ENDS) == []  # no blank between words holds ink
    assert line_end_regions(img, boxes, lines, ON) == []  # line_ends 0
    # alone on its page, a line has no edges to search out to
    one, _, alone = render_two_lines(['', '1   VEGETABLES   2.20'], boxed={'VEGETABLES', '2.20'})
    assert line_end_regions(one, alone, [[0, 1]], ENDS) == []


def test_a_glyph_between_two_blocks_of_one_row_is_found_once():
    """The invoice's quantity "2" stood after one block's last word ("(pack)") and before the
    next block's first ("6.20"): both line ends found it, and it was read twice."""
    img, spans, boxes = render_two_lines(['Wall plugs     2     6.20', ''],
                                         boxed={'Wall', 'plugs', '6.20'})
    quads = line_end_regions(img, boxes, [[0, 1], [2]], ENDS)  # two blocks' lines, one row
    assert len(quads) == 1
    assert quads[0][:, 0].min() < spans['2'][0] and spans['2'][1] < quads[0][:, 0].max()


def test_a_glyph_found_between_words_is_not_read_again_as_a_line_end():
    """"Item  1  VEGETABLES" as one block's line and "2.20" as another's on the same row: the
    "2.20" line's start reaches back over the quantity the first line's gap already holds."""
    img, spans, boxes = render_two_lines(['Item   1   VEGETABLES   2.20', ''],
                                         boxed={'Item', 'VEGETABLES', '2.20'})
    lines = [[0, 1], [2]]
    assert len(line_end_regions(img, boxes, lines, ENDS)) == 1  # found at a line end too
    between, ends = glyph_regions(img, boxes, lines, ENDS)
    assert len(between) == 1 and ends == []
    assert between[0][:, 0].min() < spans['1'][0] and spans['1'][1] < between[0][:, 0].max()
    assert glyph_regions(img, boxes, lines, GapGlyphConfig(min_regions=0, line_ends=4.0)) == \
        ([], [])  # switched off


def test_distinct_quads_drop_those_half_inside_an_earlier_or_a_taken_one():
    def box(x0, x1):
        return np.array([[x0, 0], [x1, 0], [x1, 10], [x0, 10]], float)
    a, b, c = box(0, 10), box(4, 12), box(30, 40)   # b lies 60% inside a
    assert [q[0, 0] for q in distinct_quads([a, b, c])] == [0, 30]
    assert [q[0, 0] for q in distinct_quads([a, b, c], taken=[box(28, 38)])] == [0]
    assert [q[0, 0] for q in distinct_quads([a, box(7, 17), c])] == [0, 7, 30]  # 30% inside


def test_line_ends_keep_letters_and_digits_only():
    assert accept_line_end_reading('1', [0.99], ENDS)
    assert accept_line_end_reading('x', [0.95], ENDS)
    assert not accept_line_end_reading('-', [0.99], ENDS)  # a rule's dash as often
    assert not accept_line_end_reading(':', [0.99], ENDS)
    assert not accept_line_end_reading('1', [0.7], ENDS)


def test_the_engine_adds_a_quantity_before_its_item():
    from clip4str.ocr.engine import EngineConfig, OCREngine
    img, _, boxes = render_two_lines(['Item Count', '1   VEGETABLES   2.20'],
                                     boxed={'Item', 'Count', 'VEGETABLES', '2.20'})

    def detector(images):
        return [(list(boxes), np.full(len(boxes), 0.9)) for _ in images]

    def reading(glyph):
        def recognizer(crops):  # the narrow crop is the quantity
            return [(glyph, [0.97]) if c.shape[1] < 1.2 * c.shape[0] else ('word', [0.99] * 4)
                    for c in crops]
        return recognizer

    def text(cfg, glyph='1'):
        return OCREngine(detector, reading(glyph), cfg).ocr_image(img).text
    assert text(EngineConfig(gap_glyphs=ON)).split() == ['word'] * 4
    assert text(EngineConfig(gap_glyphs=ENDS)).split() == ['word', 'word', '1', 'word', 'word']
    assert text(EngineConfig(gap_glyphs=ENDS), '-').split() == ['word'] * 4  # a dash: dropped


def test_line_ends_past_the_images_border_are_not_searched():
    """Grown boxes reach past the image's edge; a line end's blank there lies outside the image
    (OpenCV's labelling crashed on the empty strip)."""
    img, _, _ = render_two_lines(['Item Count', 'VEGETABLES'], boxed=set())
    h, w = img.shape[:2]

    def box(x0, x1, y0):
        return np.array([[x0, y0], [x1, y0], [x1, y0 + 40], [x0, y0 + 40]], float)
    boxes = [box(20, w + 60, 20), box(20, w + 10, 70)]  # both past the right edge
    assert line_end_regions(img, boxes, [[0], [1]], ENDS) == []
