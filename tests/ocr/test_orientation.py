"""Page orientation: pages turned 90/180/270 degrees are read upright and say so."""
import numpy as np
import pytest

from clip4str.ocr.orientation import (OrientationConfig, could_flip, judge_sample,
                                      rotate_image, rotate_points, unrotate_points)

from .rendered import RECEIPT, ocr, render_lines, shipped_engine, word_recall  # noqa: F401


@pytest.mark.parametrize('degrees', [0, 90, 180, 270])
def test_points_follow_the_turned_image(degrees):
    img = np.zeros((30, 50), np.uint8)
    img[5, 40] = 255  # a marked pixel at x=40, y=5
    turned = rotate_image(img, degrees)
    y, x = np.argwhere(turned == 255)[0]
    centre = rotate_points([[40.5, 5.5]], degrees, 50, 30)[0]
    assert np.allclose(centre, [x + 0.5, y + 0.5])
    assert np.allclose(unrotate_points([centre], degrees, 50, 30), [[40.5, 5.5]])


def test_judge_needs_the_sample_to_gain_clearly():
    cfg = OrientationConfig(enabled=True)
    upright = [('TOTAL', [0.9] * 5), ('12.00', [0.95] * 5), ('CASH', [0.9] * 4),
               ('do', [0.9, 0.9])]
    turned = [('IVLOL', [0.6] * 5), ('00ZI', [0.7] * 4), ('HSVO', [0.5] * 4),
              ('op', [0.95, 0.95])]
    verdict = judge_sample(upright, turned, cfg)
    assert not verdict.flip and verdict.good_share == pytest.approx(3 / 4)
    assert judge_sample(turned, upright, cfg).flip  # the same page given upside down
    # one symmetric word ("do" / "op") alone does not turn a page
    assert not judge_sample([upright[3]], [turned[3]], cfg).flip
    # nor do junk readings that gain on the mean but not word by word (a poorly read scene)
    junk = [('ab', [0.3, 0.3]), ('cd', [0.9, 0.9]), ('ef', [0.9, 0.9])]
    assert not judge_sample(junk, [('x', [0.99]), ('y', [0.8]), ('z', [0.8])], cfg).flip


def test_a_surely_upright_sample_needs_no_turned_reading():
    """Reading log-probabilities are at most 0: a sample losing less than the needed gain on
    average cannot be turned by any turned readings, so they are not read."""
    cfg = OrientationConfig(enabled=True)  # flip_gain 0.1 from 4 words on
    sure = [('TOTAL', [0.99] * 5), ('CASH', [0.98] * 4), ('12.00', [0.97] * 5), ('RM', [0.9] * 2)]
    assert not could_flip(sure, cfg)
    verdict = judge_sample(sure, None, cfg)
    assert not verdict.flip and verdict.good_share == 0.75 and verdict.good == 3
    best_turned = [(t, [1.0] * len(t)) for t, _ in sure]  # as sure as a reading can be
    assert not judge_sample(sure, best_turned, cfg).flip  # the bound holds
    doubtful = sure[:3] + [('RM', [0.3, 0.3])]
    assert could_flip(doubtful, cfg)
    with pytest.raises(ValueError, match='turned readings are needed'):
        judge_sample(doubtful, None, cfg)
    # one word needs twice the gain: a loss of 0.15 could not turn it
    assert not could_flip([('do', [np.exp(-0.15)] * 2)], cfg)
    assert could_flip([('do', [np.exp(-0.25)] * 2)], cfg)
    assert not could_flip([], cfg)


def test_judge_reads_the_turned_sample_only_when_it_could_flip(shipped_engine):  # noqa: F811
    page = render_lines(RECEIPT[:5])
    calls = []
    recognizer = shipped_engine.recognizer

    def counting(crops):
        calls.append(len(crops))
        return recognizer(crops)
    shipped_engine.recognizer = counting
    try:
        verdict = shipped_engine._judge(page, shipped_engine.detect([page])[0][0])
        turned = shipped_engine._judge(rotate_image(page, 180),
                                       shipped_engine.detect([rotate_image(page, 180)])[0][0])
    finally:
        shipped_engine.recognizer = recognizer
    assert not verdict.flip and turned.flip
    assert len(calls) == 3 and calls[1] == calls[2]  # upright alone; then both ways


@pytest.mark.parametrize('degrees', [90, 180, 270])
def test_turned_page_is_read_upright(shipped_engine, degrees):  # noqa: F811
    page = render_lines(RECEIPT[:5])
    upright = ocr(shipped_engine, page)
    assert upright.rotation == 0
    result = ocr(shipped_engine, rotate_image(page, (360 - degrees) % 360))
    assert result.rotation == degrees and result.to_dict()['page']['rotation'] == degrees
    base = word_recall([w.text for w in upright.words], RECEIPT[:5])
    assert base > 0.8
    # turned, the detector boxes the page a little otherwise: at 180 degrees "loaf RM" comes out
    # as one region the word split leaves whole ("loafRM"), 2 of 22 words
    assert word_recall([w.text for w in result.words], RECEIPT[:5]) >= 0.9 * base
    # polygons are in the coordinates of the page as given
    h, w = result.height, result.width
    assert all(0 <= p[:, 0].min() and p[:, 0].max() <= w and p[:, 1].max() <= h
               for p in (word.polygon for word in result.words))
