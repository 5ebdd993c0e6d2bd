"""Word lists telling two run-together words ("DATEFOR") from one word or a name."""
import gzip

import pytest

from clip4str.ocr.errors import ModelLoadError
from clip4str.ocr.lexicon import (letter_span, load_lexicon, number_splits, two_words,
                                  word_and_number, word_splits)

WORDS = frozenset('date for us in payment mode scale scraper book shop bookshop pork leg st ra put'
                  .split())


def test_the_bundled_list_holds_common_words_and_no_names():
    english = load_lexicon('english')
    assert len(english) > 50000
    assert {'payment', 'date', 'invoice', 'for', 'of'} <= english
    assert 'petaling' not in english and 'ing' not in english  # "Ing": a name, left out


@pytest.mark.parametrize('text, expected', [
    ('DATEFOR', [4]), ('usin', [2]), ('PaymentMode', [7]), ('(SCALESCRAPER', [6]),
    ('DATEFOR:', [4]),
    ('BOOKSHOP', []),      # a word itself
    ('PUTRA', []),         # "RA": a two-letter piece outside the common short words
    ('BOOKST', []),
    ('B111', []), ('DATE FOR', []), ('', []),
])
def test_word_splits(text, expected):
    assert word_splits(text, WORDS) == expected


@pytest.mark.parametrize('left, right, expected', [
    ('DATE', 'FOR', True), ('us', 'in', True), ('PAYMENT', 'MODE:', True),
    ('(PORK', 'LEG)', True),
    ('BOOK', 'SHOP', False),     # "bookshop" is a word
    ('BOOK', 'ST', False), ('PUT', 'RA', False),
    ('DATE.', 'FOR', False),     # marks only before the left piece's letters
    ('DATE', '(FOR', False),
    ('DATE', 'F0R', False),
])
def test_two_words(left, right, expected):
    assert two_words(left, right, WORDS) is expected


@pytest.mark.parametrize('text, expected', [
    ('of2', [2]), ('Payment12.50', [7]), ('(date24/03', [5]),
    ('st2', []),          # two letters outside the common short words
    ('B111', []), ('RA12', []),
    ('of', []), ('2of', []), ('of2a', []),
])
def test_number_splits(text, expected):
    assert number_splits(text, WORDS | {'of'}) == expected


def test_word_and_number():
    words = WORDS | {'of'}
    assert word_and_number('of', '2', words)
    assert not word_and_number('o', 'f2', words)
    assert not word_and_number('of', 'x2', words)


def test_letter_span():
    assert letter_span('(PRICE.') == (1, 6)
    assert letter_span('03-4021') is None


def test_a_users_word_list_and_a_missing_one(tmp_path):
    plain = tmp_path / 'malay.txt'
    plain.write_text('jalan\nTaman\n\n', encoding='utf-8')
    packed = tmp_path / 'malay.txt.gz'
    with gzip.open(packed, 'wt', encoding='utf-8') as f:
        f.write('jalan\ntaman\n')
    assert load_lexicon(str(plain)) == load_lexicon(str(packed)) == {'jalan', 'taman'}
    with pytest.raises(ModelLoadError, match='nowhere.txt'):
        load_lexicon(str(tmp_path / 'nowhere.txt'))


@pytest.mark.parametrize('key', ['space_split', 'join_lexicon'])
def test_a_preset_naming_a_missing_list_fails_when_read(tmp_path, key):
    from clip4str.ocr.preset import engine_config
    missing = str(tmp_path / 'words_nowhere.txt')
    cfg = dict(space_split=dict(lexicon=missing)) if key == 'space_split' else \
        dict(join_lexicon=missing)
    with pytest.raises(ModelLoadError, match='words_nowhere.txt'):
        engine_config(cfg)
    assert engine_config(dict(join_lexicon='english')).join_lexicon == 'english'
