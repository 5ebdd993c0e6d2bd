"""Choosing a region's reading: an upside-down reading must earn its place."""
import cv2
import pytest

from clip4str.ocr.candidate_choice import CandidateReading, choose_reading
from clip4str.ocr.orientation import rotate_image
from clip4str.ocr.rectify import RectifyConfig

from tests.helpers import load_tool

from .rendered import preset_engine

CFG = RectifyConfig(upside_down=True)


def pair(upright_text, upright_prob, turned_text, turned_prob):
    return [CandidateReading('horizontal', 0.0, upright_text, [upright_prob] * len(upright_text)),
            CandidateReading('horizontal+180', -CFG.upside_down_margin, turned_text,
                             [turned_prob] * len(turned_text), 'horizontal')]


def test_confident_turned_reading_of_as_many_letters_wins():
    # "EXIT" read turned: the upright reading is fluent junk, only a little less sure
    assert choose_reading(pair('LIXE', 0.85, 'EXIT', 0.99), CFG).text == 'EXIT'


@pytest.mark.parametrize('cands', [
    pair('&', 0.4, 'SALE', 0.99),     # the language prior's guess: far more letters than seen
    pair('y', 0.35, 'K', 0.97),       # one letter says nothing about its direction
    pair('1M', 0.48, 'uub', 0.74),    # the turned reading is better, but far from sure
    pair('SALE', 0.92, 'ETVS', 0.99),  # confident, but not by the margin
])
def test_doubtful_turned_reading_keeps_the_upright_one(cands):
    assert choose_reading(cands, CFG).name == 'horizontal'


def test_other_candidates_compete_on_score_alone():
    cands = [CandidateReading('down', 0.0, 'ab', [0.6, 0.6]),
             CandidateReading('up', 0.0, 'X', [0.9])]
    assert choose_reading(cands, CFG).name == 'up'
    assert choose_reading([], CFG).text == ''


@pytest.fixture(scope='module')
def photo_engine():
    """The photo preset's engine (it reads steep regions both ways) with the shipped weights."""
    return preset_engine('photo')


# IIIT5K / SVT train crops at a 40 degree baseline. With the old rule (the turned reading wins
# by 0.3 log-prob per character) the upright ones were read upside down and the turned ones not.
UPRIGHT = ['IIIT5K/train/2258_2.png',   # "113": "mis" upright, "SIL" turned
           'SVT/train_crops/07_11_1.png']  # "INN": "1M" upright, "uub" turned
TURNED = {'IIIT5K/train/891_5.png': 'BAPTIST', 'IIIT5K/train/2092_8.png': 'UKRAINE',
          'IIIT5K/train/951_7.png': 'CARE', 'SVT/train_crops/06_08_2.png': 'MALL'}


# At 60 degrees a word is a vertical region read 'down' or 'up'; before, the two competed as
# equals and these upright words were read 'up' ("MOHS" for SHOW, by 0.001) or turned ones not.
UPRIGHT_60 = {'IIIT5K/train/546_2.png': 'SHOW', 'IIIT5K/train/683_2.png': 'NOW',
              'IIIT5K/train/5091_11.png': 'CALL'}
TURNED_60 = {'IIIT5K/train/999_4.png': 'Great', 'IIIT5K/train/2297_2.png': 'DRIVE'}


def read_at(engine, path, angle, turned):
    on_page = load_tool('tools/eval_upside_down.py').on_page
    crop = cv2.imread(str(path))
    page, quad = on_page(rotate_image(crop, 180) if turned else crop, angle)
    return engine.read_regions(page, [quad])[0]


@pytest.mark.parametrize('name', UPRIGHT)
def test_upright_real_word_is_not_turned(photo_engine, shared_data, name):
    assert read_at(photo_engine, shared_data / name, 40, turned=False).reading == 'horizontal'


@pytest.mark.parametrize('name', sorted(TURNED))
def test_turned_real_word_is_read_turned(photo_engine, shared_data, name):
    word = read_at(photo_engine, shared_data / name, 40, turned=True)
    assert word.reading == 'horizontal+180' and word.text == TURNED[name]


@pytest.mark.parametrize('name', sorted(UPRIGHT_60))
def test_upright_steep_real_word_reads_along_its_lean(photo_engine, shared_data, name):
    word = read_at(photo_engine, shared_data / name, 60, turned=False)
    assert (word.reading, word.text) == ('down', UPRIGHT_60[name])


@pytest.mark.parametrize('name', sorted(TURNED_60))
def test_turned_steep_real_word_is_read_turned(photo_engine, shared_data, name):
    word = read_at(photo_engine, shared_data / name, 60, turned=True)
    assert (word.reading, word.text) == ('up', TURNED_60[name])
