"""Per-dataset keys and the sample-weighted combined figures of CombinedMultiDatasetsEvaluator."""
import pytest
from mmengine.registry import init_default_scope
from mmocr.registry import EVALUATOR

import clip4str  # noqa: F401
from clip4str.cli.test import metrics_table


def run(pairs_per_dataset, **kwargs):
    init_default_scope('mmocr')
    names = list(pairs_per_dataset)
    evaluator = EVALUATOR.build(dict(type='CombinedMultiDatasetsEvaluator',
                                     metrics=[dict(type='STRMetric', protocols=('36',))],
                                     dataset_prefixes=names, **kwargs))
    ends, total = [], 0
    for pairs in pairs_per_dataset.values():
        total += len(pairs)
        ends.append(total)
    evaluator.dataset_meta = dict(cumulative_sizes=ends)
    batch = [dict(gt_text=dict(item=gt), pred_text=dict(item=pred))
             for pairs in pairs_per_dataset.values() for gt, pred in pairs]
    evaluator.process(batch)
    return evaluator.evaluate(total)


DATA = {
    'A': [('ab', 'ab'), ('cd', 'cd'), ('ef', 'xx'), ('gh', 'gh')],  # 3/4, NED: 1 error of 1.0
    'B': [('abcd', 'abcx')],                                          # 0/1, NED 1/4
    'C': [('x', 'x'), ('y', 'y')],                                    # 2/2
}


def test_per_dataset_keys_and_weighted_combined_figure():
    m = run(DATA)
    assert m['A/recog/word_acc'] == pytest.approx(3 / 4)
    assert m['B/recog/word_acc'] == 0
    assert m['C/recog/word_acc'] == 1
    # weighted by sample counts (4, 1, 2), not the plain mean of 0.75, 0, 1 (0.583)
    assert m['Combined/recog/word_acc'] == pytest.approx((3 + 0 + 2) / 7)
    assert m['Combined/recog/one_minus_ned'] == pytest.approx(1 - (1 + 0.25) / 7)
    assert m['Combined/recog/num_samples'] == 7
    table = metrics_table(m)
    assert table.splitlines()[-1].split() == ['Combined', '71.43', '82.14', '7']


def test_named_groups_keep_overlapping_sets_apart():
    m = run(DATA, combined=dict(AB=['A', 'B'], AC=['A', 'C']))
    assert m['AB/recog/word_acc'] == pytest.approx(3 / 5)
    assert m['AC/recog/word_acc'] == pytest.approx(5 / 6)
    assert not any(k.startswith('Combined/') for k in m)
    assert not any(k.startswith('AB/') for k in run(DATA, combined={}))


def test_bad_groups_are_rejected():
    with pytest.raises(ValueError, match='unknown datasets'):
        run(DATA, combined=dict(X=['A', 'Z']))
    with pytest.raises(ValueError, match='clashes'):
        run(DATA, combined=dict(A=['B', 'C']))
    with pytest.raises(ValueError, match='dataset_prefixes must name'):
        EVALUATOR.build(dict(type='CombinedMultiDatasetsEvaluator', metrics=[],
                             dataset_prefixes=None))


def test_single_dataset_has_no_combined_row():
    m = run({'A': DATA['A']})
    assert set(k.split('/')[0] for k in m) == {'A'}
