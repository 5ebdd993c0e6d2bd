"""End-to-end OCR scores: bag-of-words token F1, page 1-NED, and polygon detection / end-to-end
F1 at an IoU threshold (ICDAR style: ``###`` ground truth is "don't care")."""
import re
from collections import Counter
from dataclasses import dataclass
from typing import List, Sequence, Tuple

import numpy as np

from clip4str.ocr.polygon_edges import shape_of

DONT_CARE = '###'


@dataclass
class Counts:
    """Micro-averaged precision/recall/F1 from matched, predicted and ground-truth counts."""
    matched: int = 0
    predicted: int = 0
    truth: int = 0

    def __iadd__(self, other: 'Counts') -> 'Counts':
        self.matched += other.matched
        self.predicted += other.predicted
        self.truth += other.truth
        return self

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.truth if self.truth else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def tokens(text: str) -> List[str]:
    """Whitespace-separated tokens, case-insensitive."""
    return text.lower().split()


def token_counts(pred_text: str, true_text: str) -> Counts:
    """Bag-of-words match: each ground-truth token can be matched once."""
    pred, true = Counter(tokens(pred_text)), Counter(tokens(true_text))
    return Counts(sum((pred & true).values()), sum(pred.values()), sum(true.values()))


def token_differences(pred_text: str, true_text: str) -> Tuple[Counter, Counter]:
    """(true tokens the prediction lacks, predicted tokens the truth lacks), bag of words."""
    pred, true = Counter(tokens(pred_text)), Counter(tokens(true_text))
    return true - pred, pred - true


def dropped_decimals(pred_text: str, true_text: str) -> int:
    """Ground-truth tokens with a decimal point ("rm0.00") read without it ("rm000"): each
    unmatched predicted token that equals an unmatched true token less its dots."""
    missed, extra = token_differences(pred_text, true_text)
    undotted = Counter()
    for token, n in missed.items():
        if re.search(r'\d\.\d', token):
            undotted[token.replace('.', '')] += n
    return sum((extra & undotted).values())


def normalise_page(text: str) -> str:
    """Lower case; runs of whitespace (line breaks included) become one space. Case is ignored
    as for tokens: receipts' ground truth (SROIE) is mostly upper-cased whatever the print."""
    return re.sub(r'\s+', ' ', text).strip().lower()


def sorted_tokens(text: str) -> str:
    """The normalised page's tokens in sorted order: page 1-NED on texts put so scores reading
    errors alone, whatever order the lines come in (SROIE's truth is its line boxes sorted by
    top edge, so "Cash   RM 300.00" is "RM 300.00 Cash" there when the amount sits higher)."""
    return ' '.join(sorted(normalise_page(text).split()))


def one_minus_ned(pred: str, true: str) -> float:
    """1 - edit distance / max length (1.0 for two empty strings)."""
    from rapidfuzz.distance import Levenshtein
    longest = max(len(pred), len(true))
    return 1.0 if longest == 0 else 1.0 - Levenshtein.distance(pred, true) / longest


def reading_order_lines(polygons: Sequence[np.ndarray], texts: Sequence[str]) -> str:
    """Ground-truth page text: lines sorted top to bottom (then left to right) by their boxes."""
    keys = [(float(np.asarray(p).reshape(-1, 2)[:, 1].min()),
             float(np.asarray(p).reshape(-1, 2)[:, 0].min())) for p in polygons]
    order = sorted(range(len(texts)), key=lambda i: keys[i])
    return '\n'.join(texts[i] for i in order)




def polygon_iou(a, b) -> float:
    pa, pb = shape_of(a), shape_of(b)
    union = pa.union(pb).area
    return pa.intersection(pb).area / union if union > 0 else 0.0


def word_key(text: str) -> str:
    """End-to-end word comparison: case-insensitive, letters and digits only."""
    return re.sub(r'[^0-9a-z]', '', text.lower())


def match_words(pred_polys: Sequence, pred_texts: Sequence[str], true_polys: Sequence,
                true_texts: Sequence[str], iou: float = 0.5) -> Tuple[Counts, Counts]:
    """Greedy one-to-one matching by IoU (best pairs first). Returns (detection, end-to-end)
    counts. Predictions matched to a don't-care region count nowhere."""
    care = [t != DONT_CARE for t in true_texts]
    pairs = []
    for i, p in enumerate(pred_polys):
        for j, t in enumerate(true_polys):
            v = polygon_iou(p, t)
            if v >= iou:
                pairs.append((v, i, j))
    pairs.sort(reverse=True)
    used_p, used_t = set(), set()
    det, e2e = 0, 0
    ignored_preds = 0
    for _, i, j in pairs:
        if i in used_p or j in used_t:
            continue
        used_p.add(i)
        used_t.add(j)
        if not care[j]:
            ignored_preds += 1
            continue
        det += 1
        if word_key(pred_texts[i]) and word_key(pred_texts[i]) == word_key(true_texts[j]):
            e2e += 1
    n_pred = len(pred_polys) - ignored_preds
    n_true = sum(care)
    return Counts(det, n_pred, n_true), Counts(e2e, n_pred, n_true)
