"""STRMetric against hand-computed cases."""
import pytest

from clip4str.evaluation import PROTOCOL_CHARSETS, STRMetric, word_accuracy


def samples(pairs):
    return [dict(gt_text=dict(item=gt), pred_text=dict(item=pred)) for gt, pred in pairs]


def evaluate(pairs, **kwargs):
    metric = STRMetric(**kwargs)
    metric.process([], samples(pairs))
    return metric.compute_metrics(metric.results)


def test_protocol_charsets_match_parseq_test_options():
    assert {k: len(v) for k, v in PROTOCOL_CHARSETS.items()} == \
        {'36': 36, '62': 62, '68': 68, '94': 94}


def test_36_char_protocol_ignores_case_symbols_spaces_and_accents():
    m = evaluate([('Hello', 'hello'),          # case
                  ("don't", 'dont'),           # symbol
                  ('CAFÉ', 'cafe'),            # accent (NFKD)
                  ('New York', 'newyork'),     # whitespace
                  ('abc', 'abd')],             # one real error
                 protocols=('36',))
    assert m['word_acc'] == pytest.approx(4 / 5)
    # only 'abc'/'abd' has distance: 1 / 3
    assert m['one_minus_ned'] == pytest.approx(1 - (1 / 3) / 5)
    assert m['num_samples'] == 5


def test_word_accuracy_helper_scores_as_the_metric():
    preds, labels = ['hello', 'dont', 'Abd'], ['Hello', "don't", 'abc']
    assert word_accuracy(preds, labels) == pytest.approx(2 / 3)
    assert word_accuracy(preds, labels, protocol='94') == 0.0


def test_94_char_protocol_is_case_and_symbol_sensitive():
    pairs = [('Hello', 'hello'), ("don't", 'dont'), ('CAFÉ', 'CAFE'), ('a-b', 'a-b')]
    m = evaluate(pairs, protocols=('94', '62', '68'))
    # 94: Hello != hello (d=1/5), don't != dont (d=1/5), CAFE == CAFE, a-b == a-b
    assert m['word_acc_94'] == pytest.approx(2 / 4)
    assert m['one_minus_ned_94'] == pytest.approx(1 - (1 / 5 + 1 / 5) / 4)
    # 62 (cased, no symbols): Hello != hello; dont == dont; CAFE; ab == ab
    assert m['word_acc_62'] == pytest.approx(3 / 4)
    assert m['one_minus_ned_62'] == pytest.approx(1 - (1 / 5) / 4)
    # 68 (uncased, symbols): hello == hello; don't != dont; cafe; a-b
    assert m['word_acc_68'] == pytest.approx(3 / 4)
    assert m['one_minus_ned_68'] == pytest.approx(1 - (1 / 5) / 4)
    assert 'word_acc' not in m  # the 36-char figure only when asked for


def test_ned_uses_the_longer_string():
    m = evaluate([('abcd', 'ab'),      # distance 2, longer is gt (4): 0.5
                  ('ab', 'abcdef'),    # distance 4, longer is pred (6): 4/6
                  ('abc', '')],        # empty prediction: 1
                 protocols=('36',))
    assert m['word_acc'] == 0
    assert m['one_minus_ned'] == pytest.approx(1 - (0.5 + 4 / 6 + 1) / 3)


def test_samples_with_empty_ground_truth_are_left_out_per_protocol():
    pairs = [('!!', ''), ('ok', 'ok'), ('a', 'b')]
    m = evaluate(pairs, protocols=('36', '94'))
    # 36: '!!' becomes empty and is left out, 1 of 2 right
    assert (m['word_acc'], m['num_samples']) == (pytest.approx(1 / 2), 2)
    # 94: '!!' stays, predicted '' (NED 1): 1 of 3 right
    assert m['word_acc_94'] == pytest.approx(1 / 3)
    assert m['one_minus_ned_94'] == pytest.approx(1 - (1 + 0 + 1) / 3)


def test_optional_length_limit_mirrors_the_dataset_filter():
    pairs = [('a' * 26, 'a' * 26), ('b', 'c')]
    assert evaluate(pairs, protocols=('36',))['word_acc'] == pytest.approx(1 / 2)
    m = evaluate(pairs, protocols=('36',), max_label_length=25)
    assert (m['word_acc'], m['num_samples']) == (0, 1)


def test_keys_and_bad_protocol():
    m = evaluate([('a', 'a')])
    assert list(m) == ['word_acc', 'one_minus_ned', 'word_acc_62', 'one_minus_ned_62',
                       'word_acc_94', 'one_minus_ned_94', 'num_samples']
    assert STRMetric().prefix == 'recog'
    with pytest.raises(ValueError, match='unknown STR protocols'):
        STRMetric(protocols=('37',))
