"""Long crops vs a word recognizer: split into overlapping windows, merge the texts back.

A 25-character recognizer (CLIP4STR squeezes every crop to 224x224) cannot read a long line or
URL from one crop. Crops wider than ``max_aspect`` x their height are cut into windows that
overlap by ``overlap`` x height; consecutive texts are joined where the end of one matches the
start of the next (fuzzy, with rapidfuzz: a misread or dropped letter in the overlap still
aligns), keeping in the overlap each character from the window that read it with more confidence.
"""
from typing import List, Sequence, Tuple

import numpy as np
from rapidfuzz.distance import Hamming, LCSseq

Reading = Tuple[str, List[float]]  # text and per-character scores


def window_bounds(width: int, height: int, max_aspect: float = 8.0,
                  overlap: float = 1.0) -> List[Tuple[int, int]]:
    """Column ranges [x0, x1) covering ``width``, each at most ``max_aspect`` * height wide."""
    win = max(1, int(round(max_aspect * height)))
    if width <= win:
        return [(0, width)]
    ov = min(int(round(overlap * height)), win // 2)
    n = int(np.ceil((width - ov) / (win - ov)))
    starts = np.linspace(0, width - win, n).round().astype(int)
    return [(int(s), int(s) + win) for s in starts]


def split_windows(crop: np.ndarray, max_aspect: float = 8.0,
                  overlap: float = 1.0) -> List[np.ndarray]:
    h, w = crop.shape[:2]
    return [crop[:, a:b] for a, b in window_bounds(w, h, max_aspect, overlap)]


def _merge_pair(a: Reading, b: Reading, expected: float) -> Reading:
    (ta, sa), (tb, sb) = a, b
    if not ta or not tb:
        return ta + tb, list(sa) + list(sb)
    best_k, best = 0, 0.0
    kmax = min(len(ta), len(tb))
    for k in range(1, kmax + 1):
        # both windows see the overlap at the same scale, so matching characters sit at the
        # same positions (Hamming); a character dropped at one window's edge shifts them, which
        # the longest common subsequence still counts. Far from the overlap the pixels predict
        # (``expected`` characters), an alignment pays 0.75 per character.
        score = (Hamming.similarity(ta[-k:], tb[:k]) + 0.5 * LCSseq.similarity(ta[-k:], tb[:k])
                 - 0.75 * abs(k - expected))
        if score > best:
            best_k, best = k, score
    k = best_k if best >= 1.0 else int(round(min(max(expected, 0), kmax)))  # else: geometry
    if k == 0:
        return ta + tb, list(sa) + list(sb)
    ov_a, ov_b = ta[-k:], tb[:k]
    sc_a, sc_b = list(sa[-k:]), list(sb[:k])
    if len(sc_a) == k and len(sc_b) == k:
        chars = [ca if pa >= pb else cb for ca, cb, pa, pb in zip(ov_a, ov_b, sc_a, sc_b)]
        scores = [max(pa, pb) for pa, pb in zip(sc_a, sc_b)]
    else:  # scores missing: first half from a, second from b (away from each window's edge)
        h = (k + 1) // 2
        chars = list(ov_a[:h] + ov_b[h:])
        scores = (sc_a + [0.0] * k)[:h] + (sc_b + [0.0] * k)[h:k]
    return (ta[:-k] + ''.join(chars) + tb[k:],
            list(sa[:len(ta) - k]) + scores + list(sb[k:]))


def merge_readings(readings: Sequence[Reading], bounds: Sequence[Tuple[int, int]]) -> Reading:
    """Join the readings of consecutive windows (``bounds`` from :func:`window_bounds`)."""
    if not readings:
        return '', []
    text, scores = readings[0][0], list(readings[0][1])
    for (tb, sb), (prev, cur) in zip(readings[1:], zip(bounds[:-1], bounds[1:])):
        overlap_px = max(0, prev[1] - cur[0])
        char_px = (cur[1] - cur[0]) / max(len(tb), 1)
        text, scores = _merge_pair((text, scores), (tb, list(sb)), overlap_px / char_px)
    return text, scores
