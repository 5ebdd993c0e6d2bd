"""A full stop or comma the detector's box left out after a word is taken back into it."""

import numpy as np
import pytest

from clip4str.ocr.trailing_marks import TrailingMarkConfig, extend_to_marks

from .rendered import blank_canvas

ON = TrailingMarkConfig(enabled=True, min_regions=1)
SERIF = '/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf'


def render(text, word, size=40):
    """``text`` on white; the BGR image, a tight box around its first ``word`` (as the detector
    draws it: up to the last letter) and the ink box of the whole text."""
    img, draw, font = blank_canvas(SERIF, size, 600, 120)
    draw.text((20, 30), text, font=font, fill=(0, 0, 0))
    x0, _, x1, _ = draw.textbbox((20, 30), word, font=font)
    _, y0, _, y1 = draw.textbbox((20, 30), 'Sg', font=font)  # ascender to descender
    box = np.array([[x0 - 2, y0 - 2], [x1 + 1, y0 - 2], [x1 + 1, y1 + 2], [x0 - 2, y1 + 2]],
                   float)
    return np.asarray(img)[:, :, ::-1].copy(), box, draw.textbbox((20, 30), text, font=font)


@pytest.mark.parametrize('text', ['Selangor.', 'Panas,'])
def test_a_full_stop_or_comma_after_the_box_is_taken_in(text):
    img, box, ink = render(text, text[:-1])
    (new,) = extend_to_marks(img, [box], ON)
    right = new[:, 0].max()
    height = np.ptp(box[:, 1])
    assert right >= ink[2]                        # the mark's ink is inside now
    assert right <= ink[2] + 0.3 * height         # and not much paper after it
    np.testing.assert_allclose(new[:, 0].min(), box[:, 0].min(), atol=1)


@pytest.mark.parametrize('text, word', [
    ('Selangor', 'Selangor'),          # nothing after the word
    ('TOTAL:', 'TOTAL'),               # a colon: annotations differ, left alone
    ('Jalan Tampoi', 'Jalan'),         # the next word is no mark
    ('Selangor.Malaysia', 'Selangor'),  # ink runs on after the mark
])
def test_boxes_without_a_mark_after_them_stay_as_they_are(text, word):
    img, box, _ = render(text, word)
    (new,) = extend_to_marks(img, [box], ON)
    assert new is box


def test_sparse_pages_and_the_switch_leave_boxes_alone():
    img, box, _ = render('Selangor.', 'Selangor')
    assert extend_to_marks(img, [box], TrailingMarkConfig(enabled=False))[0] is box
    assert extend_to_marks(img, [box], TrailingMarkConfig(enabled=True, min_regions=2))[0] is box
