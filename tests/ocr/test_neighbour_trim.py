"""Overlapping boxes of neighbouring words are cut apart in the space between them."""

import numpy as np
import pytest

from clip4str.ocr.neighbour_trim import NeighbourTrimConfig, trim_neighbours

from .rendered import blank_canvas

ON = NeighbourTrimConfig(enabled=True)
SANS = '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf'


def render(words, grow=0.4, size=40, y=30):
    """``words`` printed on one line of a white page; per word its ink span (x0, x1) and the
    box a DBNet would give it: the ink grown by ``grow`` text heights on every side."""
    img, draw, font = blank_canvas(SANS, size, 900, 140)
    text = ' '.join(words)
    draw.text((20, y), text, font=font, fill=(0, 0, 0))
    _, y0, _, y1 = draw.textbbox((20, y), 'Sg', font=font)
    m = grow * (y1 - y0)
    spans, boxes, x = [], [], 20.0
    for word in words:
        x0, _, x1, _ = draw.textbbox((x, y), word, font=font)
        spans.append((x0, x1))
        boxes.append(np.array([[x0 - m, y0 - m], [x1 + m, y0 - m], [x1 + m, y1 + m],
                               [x0 - m, y1 + m]], float))
        x += font.getlength(word + ' ')
    return np.asarray(img)[:, :, ::-1].copy(), spans, boxes


def test_overlapping_neighbours_are_cut_in_the_space_between_them():
    img, spans, boxes = render(['must', 'be', 'reported'])
    assert boxes[0][:, 0].max() > spans[1][0]  # the grown boxes reach into the next word
    new = trim_neighbours(img, boxes, ON)
    for k in range(2):
        cut_left, cut_right = new[k][:, 0].max(), new[k + 1][:, 0].min()
        assert cut_left == pytest.approx(cut_right, abs=0.5)
        assert spans[k][1] <= cut_left <= spans[k + 1][0]  # in the blank between the inks
    # the outer ends and the heights stay as detected
    assert new[0][:, 0].min() == pytest.approx(boxes[0][:, 0].min())
    assert new[2][:, 0].max() == pytest.approx(boxes[2][:, 0].max())
    for a, b in zip(new, boxes):
        np.testing.assert_allclose(np.sort(a[:, 1]), np.sort(b[:, 1]))


def test_boxes_that_do_not_overlap_or_are_off_the_line_stay_as_they_are():
    img, _, boxes = render(['must', 'be'], grow=0.05)
    assert all(a is b for a, b in zip(trim_neighbours(img, boxes, ON), boxes))
    img, _, boxes = render(['must', 'be'])
    lower = boxes[1] + [0, 40]  # the next line's word, under the end of this one
    new = trim_neighbours(img, [boxes[0], lower], ON)
    assert new[0] is boxes[0] and new[1] is lower
    assert all(a is b for a, b in zip(
        trim_neighbours(img, boxes, NeighbourTrimConfig(enabled=False)), boxes))


def test_a_short_words_tilted_quad_is_trimmed_as_its_upright_box():
    """DBNet's minimum-area rectangle of a near-square kernel ("is") may stand turned; its
    neighbour on the line must still be cut before it (the invoice read "Paymenti is")."""
    img, spans, boxes = render(['Payment', 'is', 'due'])
    centre = boxes[1].mean(0)
    turn = np.deg2rad(18)
    rot = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    tilted = (boxes[1] - centre) @ rot.T + centre
    new = trim_neighbours(img, [boxes[0], tilted, boxes[2]], ON)
    assert spans[0][1] <= new[0][:, 0].max() <= spans[1][0]
    assert spans[1][1] <= new[1][:, 0].max() <= spans[2][0]
    kept = trim_neighbours(img, [boxes[0], tilted, boxes[2]],
                           NeighbourTrimConfig(enabled=True, square_aspect=1.0))
    assert kept[0] is boxes[0]  # a tilted quad taken as it stands is no neighbour
    # a long tilted region is text at that angle, not a short word: left alone
    long_tilted = (boxes[0] - boxes[0].mean(0)) @ rot.T + boxes[0].mean(0)
    assert trim_neighbours(img, [long_tilted, boxes[1]], ON)[0] is long_tilted


def test_a_box_inside_another_is_no_neighbour():
    img, _, boxes = render(['reported'])
    inner = boxes[0] * [0.5, 1] + [boxes[0][:, 0].min() * 0.5 + 20, 0]
    new = trim_neighbours(img, [boxes[0], inner], ON)
    assert new[0] is boxes[0] and new[1] is inner


def test_the_engine_reads_the_trimmed_boxes():
    from clip4str.ocr.engine import EngineConfig, OCREngine
    img, _, boxes = render(['must', 'be', 'reported'])

    def detector(images):
        return [(list(boxes), np.full(len(boxes), 0.9)) for _ in images]

    def words(cfg):
        widths = []

        def recognizer(crops):
            widths.extend(c.shape[1] for c in crops)
            return [('x', [0.9]) for _ in crops]
        result = OCREngine(detector, recognizer, cfg).ocr_image(img)
        return widths, [w.polygon for w in result.words]
    plain_widths, plain = words(EngineConfig())
    trimmed_widths, trimmed = words(EngineConfig(neighbour_trim=ON))
    assert all(t < p for t, p in zip(trimmed_widths, plain_widths))  # every box lost its overlap
    expected = trim_neighbours(img, boxes, ON)
    for got, want in zip(trimmed, expected):
        np.testing.assert_allclose(got[:, 0].min(), want[:, 0].min(), atol=0.5)
        np.testing.assert_allclose(got[:, 0].max(), want[:, 0].max(), atol=0.5)
