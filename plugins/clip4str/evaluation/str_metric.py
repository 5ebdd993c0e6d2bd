"""Word accuracy and 1-NED under the scene-text benchmark protocol (PARSeq / CLIP4STR)."""
import logging
import string
from typing import Dict, Optional, Sequence

from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log
from mmocr.registry import METRICS
from rapidfuzz.distance import Levenshtein

from ..datasets.text_normalization import CharsetAdapter, normalize_text

# Evaluation charsets of PARSeq's test.py: default 36; --cased 62; --punctuation 68;
# both 94. A charset with lower case only also lower-cases (case-insensitive comparison).
PROTOCOL_CHARSETS = {
    '36': string.digits + string.ascii_lowercase,
    '62': string.digits + string.ascii_lowercase + string.ascii_uppercase,
    '68': string.digits + string.ascii_lowercase + string.punctuation,
    '94': string.digits + string.ascii_lowercase + string.ascii_uppercase + string.punctuation,
}
HEADLINE_PROTOCOL = '36'


@METRICS.register_module()
class STRMetric(BaseMetric):
    """Scene-text benchmark word accuracy and 1-NED, per evaluation charset ("protocol").

    For each protocol, both the ground truth and the prediction are cleaned as the reference
    cleans labels: whitespace removed, NFKD-folded to ASCII, lower-cased if the protocol's
    charset has lower case only, characters outside the charset removed. Then

    - ``word_acc``: exact-match rate of the cleaned strings;
    - ``one_minus_ned``: mean over samples of ``1 - dist(gt, pred) / max(len(gt), len(pred))``
      (Levenshtein distance; ICDAR 2019 normalisation, as PARSeq).

    A sample whose cleaned ground truth is empty is left out of that protocol (the reference
    drops it from the test set); how many were left out is logged. Keys: ``word_acc`` and
    ``one_minus_ned`` for the 36-character protocol (the standard benchmark figure), suffixed
    ``_62``, ``_68``, ``_94`` for the others, plus ``num_samples`` (samples scored under the
    first protocol). With :class:`CombinedMultiDatasetsEvaluator` keys read
    ``IIIT5K/recog/word_acc``.

    Args:
        protocols: evaluation charsets among '36' (digits + lower case, case-insensitive),
            '62' (case-sensitive alphanumerics), '68' (case-insensitive with punctuation),
            '94' (case-sensitive with punctuation).
        max_label_length: if set, also leave out samples whose normalised ground truth is longer
            (the reference's dataset filter; our benchmark datasets already apply it).
    """

    default_prefix: Optional[str] = 'recog'

    def __init__(self, protocols: Sequence[str] = ('36', '62', '94'),
                 max_label_length: Optional[int] = None, collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device, prefix)
        if isinstance(protocols, str):
            protocols = [protocols]
        unknown = [p for p in protocols if p not in PROTOCOL_CHARSETS]
        if unknown or not protocols:
            raise ValueError(f'unknown STR protocols {unknown}; choose from '
                             f'{list(PROTOCOL_CHARSETS)}')
        self.protocols = list(dict.fromkeys(protocols))
        self.adapters = {p: CharsetAdapter(PROTOCOL_CHARSETS[p]) for p in self.protocols}
        self.max_label_length = max_label_length

    def process(self, data_batch: Sequence[Dict], data_samples: Sequence[Dict]) -> None:
        for sample in data_samples:
            self.results.append(dict(gt=sample.get('gt_text').get('item'),
                                     pred=sample.get('pred_text').get('item')))

    @staticmethod
    def key(name: str, protocol: str) -> str:
        return name if protocol == HEADLINE_PROTOCOL else f'{name}_{protocol}'

    def compute_metrics(self, results: list) -> Dict[str, float]:
        metrics, num_samples = {}, None
        for protocol in self.protocols:
            adapter = self.adapters[protocol]
            n = correct = 0
            ned = 0.
            for res in results:
                gt = normalize_text(res['gt'])
                if self.max_label_length is not None and len(gt) > self.max_label_length:
                    continue
                gt = adapter(gt)
                if not gt:
                    continue
                pred = adapter(normalize_text(res['pred']))
                n += 1
                correct += pred == gt
                ned += Levenshtein.normalized_distance(pred, gt)
            if n < len(results):
                print_log(f'STRMetric: {len(results) - n} of {len(results)} samples left out '
                          f'of the {protocol}-char protocol (empty or too long ground truth)',
                          logger='current', level=logging.WARNING)
            if n == 0:
                print_log(f'STRMetric: no sample to score under the {protocol}-char protocol',
                          logger='current', level=logging.WARNING)
            metrics[self.key('word_acc', protocol)] = correct / n if n else 0.
            metrics[self.key('one_minus_ned', protocol)] = 1. - ned / n if n else 0.
            num_samples = n if num_samples is None else num_samples
        metrics['num_samples'] = num_samples
        return metrics


def word_accuracy(preds: Sequence[str], labels: Sequence[str],
                  protocol: str = HEADLINE_PROTOCOL) -> float:
    """Word accuracy of ``preds`` against ``labels`` as :class:`STRMetric` scores it, outside a
    runner (benchmarks, tests)."""
    return STRMetric(protocols=(protocol,)).compute_metrics(
        [dict(gt=g, pred=p) for p, g in zip(preds, labels)])[STRMetric.key('word_acc', protocol)]
