"""Doubtful words read again from crops with other margins, the majority reading kept."""
import numpy as np
import pytest

from clip4str.ocr.engine import EngineConfig, OCREngine
from clip4str.ocr.margin_vote import MarginVoteConfig, doubtful, revote_words, vote
from clip4str.ocr.rectify import RectifyConfig
from clip4str.ocr.result import Word

ON = MarginVoteConfig(enabled=True)


def test_the_majority_reading_wins_over_a_likelier_one():
    assert vote([('Suomary', [0.99] * 7), ('Summary', [0.6] * 7), ('Summary', [0.7] * 7)]
                )[0] == 'Summary'


def test_all_different_the_likeliest_wins():
    assert vote([('Suomary', [0.6] * 7), ('Summary', [0.9] * 7), ('Sumary', [0.8] * 6)]
                ) == ('Summary', [0.9] * 7)


def test_case_counts_in_the_vote():
    assert vote([('TOTAL', [0.9] * 5), ('Total', [0.5] * 5), ('total', [0.5] * 5)]
                )[0] == 'TOTAL'


BOX = np.array([[20, 28], [120, 28], [120, 52], [20, 52]], float)  # tight on the ink


def page():
    img = np.full((80, 160, 3), 255, np.uint8)
    img[28:52, 20:120] = 0
    return img


class MarginReader:
    """Reads 'Suomary' (doubtful) from crops whose ink starts 0.08-0.24 text heights in from
    the left (the main crop, 0.16 heights of paper), 'Summary' from tighter and looser ones; keeps
    the width of every crop it reads."""

    def __init__(self):
        self.widths = []

    def __call__(self, crops):
        out = []
        for crop in crops:
            self.widths.append(crop.shape[1])
            dark = (crop.min(axis=2) if crop.ndim == 3 else crop) < 128
            cols, rows = np.flatnonzero(dark.any(0)), np.flatnonzero(dark.any(1))
            margin = cols[0] / len(rows) if len(cols) else 0.0
            out.append(('Suomary', [0.99, 0.99, 0.6, 0.99, 0.99, 0.99, 0.99])
                       if 0.08 < margin < 0.24 else ('Summary', [0.9] * 7))
        return out


def test_revote_reads_a_doubtful_word_with_a_tighter_and_a_looser_margin():
    reader = MarginReader()
    word = Word(BOX, 0.9, 'Suomary', [0.99, 0.99, 0.6, 0.99, 0.99, 0.99, 0.99])
    (out,) = revote_words(page(), [word], reader, ON)
    assert (out.text, out.char_scores) == ('Summary', [0.9] * 7)
    assert len(reader.widths) == 2 and reader.widths[0] < reader.widths[1]  # pad 0, then 0.32


def test_sure_turned_and_unread_words_are_not_read_again():
    reader = MarginReader()
    sure = Word(BOX, 0.9, 'Suomary', [0.99] * 7)
    turned = Word(BOX, 0.9, 'Suomary', [0.5] * 7, 'down')
    empty = Word(BOX, 0.9, '', [])
    assert not any(doubtful(w, ON) for w in (sure, turned, empty))
    assert [w.text for w in revote_words(page(), [sure, turned, empty], reader, ON)] == \
        ['Suomary', 'Suomary', '']
    assert reader.widths == []
    doubt = Word(BOX, 0.9, 'Suomary', [0.5] * 7)
    assert doubtful(doubt, ON) and not doubtful(doubt, MarginVoteConfig())


class OneBox:
    def __call__(self, images):
        return [([BOX], np.array([0.9])) for _ in images]


@pytest.mark.parametrize('vote_cfg, expected', [(ON, 'Summary'), (MarginVoteConfig(), 'Suomary')])
def test_engine_keeps_the_vote(vote_cfg, expected):
    cfg = EngineConfig(rectify=RectifyConfig(pad=0.16), margin_vote=vote_cfg)
    result = OCREngine(OneBox(), MarginReader(), cfg).ocr_image(page())
    assert result.text == expected
