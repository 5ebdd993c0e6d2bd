"""Label text sources: charset, length bounds, mix weights, determinism."""
import numpy as np
import pytest

from clip4str.datasets.synth.charset import load_charset
from clip4str.datasets.synth.text_sources import COMMON_WORDS, TextSampler

CHARSET = load_charset()


def test_charset_is_the_94_printable_ascii():
    import string
    assert len(CHARSET) == 94
    assert set(CHARSET) == set(string.digits + string.ascii_letters + string.punctuation)
    assert ' ' not in CHARSET


@pytest.fixture(scope='module')
def sampler():
    return TextSampler(use_wordfreq=False)


def test_default_mix_labels_in_charset_and_bounds(sampler):
    texts = [sampler.sample(np.random.default_rng([0, i])) for i in range(3000)]
    assert all(1 <= len(t) <= 25 for t in texts)
    assert all(set(t) <= set(CHARSET) for t in texts)
    # the mix really is mixed: digits, punctuation, upper and lower case all occur often
    assert sum(any(c.isdigit() for c in t) for t in texts) > 300
    assert sum(any(not c.isalnum() for c in t) for t in texts) > 300
    assert sum(t.isupper() for t in texts) > 500
    assert sum(t.islower() for t in texts) > 500
    assert len(set(texts)) > 2500


@pytest.mark.parametrize('source', sorted(TextSampler.DEFAULT_WEIGHTS))
def test_every_source_alone_gives_valid_labels(source):
    if source == 'frequent_word':
        pytest.importorskip('wordfreq')
    weights = {k: (1.0 if k == source else 0.0) for k in TextSampler.DEFAULT_WEIGHTS}
    s = TextSampler(weights=weights, use_wordfreq=source == 'frequent_word')
    texts = [s.sample(np.random.default_rng([1, i])) for i in range(300)]
    assert all(1 <= len(t) <= 25 and set(t) <= set(CHARSET) for t in texts)
    assert len(set(texts)) > 30, texts[:20]


def test_length_bounds_are_respected():
    s = TextSampler(use_wordfreq=False, min_len=3, max_len=6)
    texts = [s.sample(np.random.default_rng([2, i])) for i in range(1000)]
    assert all(3 <= len(t) <= 6 for t in texts)


def test_same_rng_same_text(sampler):
    a = [sampler.sample(np.random.default_rng([5, i])) for i in range(50)]
    b = [sampler.sample(np.random.default_rng([5, i])) for i in range(50)]
    assert a == b


def test_numbers_source_makes_numbers():
    s = TextSampler(weights={k: float(k == 'number') for k in TextSampler.DEFAULT_WEIGHTS},
                    use_wordfreq=False)
    texts = [s.sample(np.random.default_rng([3, i])) for i in range(200)]
    assert sum(sum(c.isdigit() for c in t) >= len(t) / 2 for t in texts) > 150


def test_unknown_source_and_zero_weights_raise():
    with pytest.raises(ValueError, match='unknown text source'):
        TextSampler(weights={'poems': 1.0}, use_wordfreq=False)
    with pytest.raises(ValueError, match='zero'):
        TextSampler(weights={k: 0 for k in TextSampler.DEFAULT_WEIGHTS}, use_wordfreq=False)


def test_missing_lexicon_falls_back_to_common_words(tmp_path):
    s = TextSampler(lexicon_paths=[str(tmp_path / 'nope.txt')], use_wordfreq=False)
    assert s.lexicon == COMMON_WORDS


def test_lexicon_file_is_filtered_to_charset(tmp_path):
    lex = tmp_path / 'words'
    lex.write_text('café\nhello\nJohn\nmother\'s\nsupercalifragilisticexpialidocious\n')
    s = TextSampler(lexicon_paths=[str(lex)], use_wordfreq=False)
    assert s.lexicon == ['John', 'hello']  # accents, possessives and > 25 chars dropped


def test_prices_include_receipt_amounts():
    """Amounts under one and currency glued to decimals: the dots receipts lose."""
    s = TextSampler(weights={k: float(k == 'price') for k in TextSampler.DEFAULT_WEIGHTS},
                    use_wordfreq=False)
    rng = np.random.default_rng(0)
    texts = [s.sample(rng) for _ in range(2000)]
    assert any(t.startswith('0.') for t in texts)
    assert any(t.startswith('RM') and '.' in t for t in texts)
    assert any(',' in t and '.' in t for t in texts)
