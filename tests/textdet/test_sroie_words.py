"""SROIE line quads -> word polygons (tools/dataset_converters/sroie_words.py)."""

import cv2
import numpy as np
import pytest

from clip4str.datasets.synth_pages.canvas import Canvas
from clip4str.datasets.synth_pages.fonts import FontLibrary
from tests.helpers import load_tool


@pytest.fixture(scope='module')
def sroie():
    return load_tool('tools/dataset_converters/sroie_words.py')


def _iou(a, b):
    ax0, ay0, ax1, ay1 = a
    bx0, by0, bx1, by1 = b
    iw, ih = max(0, min(ax1, bx1) - max(ax0, bx0)), max(0, min(ay1, by1) - max(ay0, by0))
    inter = iw * ih
    return inter / ((ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter)


def test_split_matches_rendered_word_boxes(sroie):
    """A rendered monospace line with known word boxes, split only from its quad and text."""
    fonts = FontLibrary()
    font = fonts.load(fonts.pick(np.random.default_rng(1), 'mono'), 30)
    words = ['GST', 'REG', 'NO:', '001492992000', '(M)']
    canvas = Canvas((900, 60), background=(255, 255, 255), pad=0)
    canvas.draw_line(20, 42, words, font, (0, 0, 0), space=font.getlength(' ') * 1.0)
    gray = np.asarray(canvas.img.convert('L'))
    quad = np.array([[10, 5], [880, 5], [880, 55], [10, 55]], np.float32)
    got_words, polys, used_profile = sroie.split_line(gray, quad, ' '.join(words))
    assert used_profile and got_words == words
    for w, poly in zip(canvas.words, polys):
        truth = (w.polygon[:, 0].min(), 5, w.polygon[:, 0].max(), 55)
        box = (poly[:, 0].min(), poly[:, 1].min(), poly[:, 0].max(), poly[:, 1].max())
        assert _iou(truth, box) > 0.75, (w.text, truth, box)


def test_match_gaps_prefers_wide_gaps_near_expected_cuts(sroie):
    gaps = [(10, 12), (30, 40), (52, 53), (70, 80)]
    assert sroie.match_gaps(gaps, [33.0, 75.0], char_w=10) == [1, 3]
    assert sroie.match_gaps(gaps[:1], [33.0, 75.0], char_w=10) is None  # too few gaps


def test_real_receipt_word_counts(sroie, shared_data):
    root = shared_data / 'SROIE_train_subset' / 'training_data'
    entry, stats = sroie.convert_receipt(str(root / 'images' / '001.jpg'),
                                         str(root / 'bbox' / '001.csv'))
    lines = sroie.read_lines(str(root / 'bbox' / '001.csv'))
    tokens = sum(len(t.split()) for _, t in lines)
    # every text token is a word, except spaces with no visible gap ('19 : 21' is one word)
    assert len(entry['instances']) == tokens - stats['merged'] == stats['words']
    assert stats['merged'] <= 0.1 * tokens and stats['fallback_lines'] == 0
    texts = [i['text'] for i in entry['instances']]
    assert texts[:2] == ['POPULAR', 'BOOK']
    gray = cv2.imread(str(root / 'images' / '001.jpg'), cv2.IMREAD_GRAYSCALE)
    ink = gray < 128
    for inst in entry['instances']:
        p = np.array(inst['polygon']).reshape(-1, 2)
        x0, y0, x1, y1 = p[:, 0].min(), p[:, 1].min(), p[:, 0].max(), p[:, 1].max()
        assert ink[int(y0):int(y1) + 1, int(x0):int(x1) + 1].sum() > 10, inst['text']
    # the two words of the first line do not overlap and split at blank columns
    a, b = (np.array(entry['instances'][i]['polygon']).reshape(-1, 2) for i in (0, 1))
    assert a[:, 0].max() <= b[:, 0].min()
    band = ink[int(a[:, 1].min()):int(a[:, 1].max()), int(a[:, 0].max()):int(b[:, 0].min())]
    assert band.sum() <= 0.01 * max(band.size, 1)


def test_bad_rows_are_reported_and_skipped(sroie, tmp_path, capsys):
    csv = tmp_path / 'x.csv'
    csv.write_text('1,2,3,4,5,6,7,8,HELLO, WORLD\nnot,a,row\n\n')
    lines = sroie.read_lines(str(csv))
    assert len(lines) == 1 and lines[0][1] == 'HELLO, WORLD'
    assert 'x.csv:2' in capsys.readouterr().err
