"""Doubtful words read again from crops with other margins, and the majority reading kept.

A word the recognizer read with a doubtful character (under ``below``) is often misread because
of how its crop was cut: a sliver of a neighbour or a rule at the edge, or too little paper
around a small, blurred word ("Suomary", "requtred", "THAAK"). The same region is warped again
with a tighter and a looser margin (``pads``, in text heights, as ``RectifyConfig.pad``) and
read; of the three readings the one most of them agree on is kept, and where all differ the
likeliest (mean log-probability per character). Words read turned (vertical or upside down)
are left as read.
"""
from collections import Counter
from dataclasses import dataclass
from typing import Callable, List, Sequence, Tuple

import numpy as np

from .orientation import Reading, log_prob
from .rectify import as_points, top_bottom_edges, warp_region
from .result import Word


@dataclass
class MarginVoteConfig:
    enabled: bool = False
    below: float = 0.95            # words with a character under this probability are read again
    pads: Tuple[float, ...] = (0.0, 0.32)  # margins of the extra crops, in text heights
    max_height: int = 96           # rows of the extra crops at most (as RectifyConfig)


def doubtful(word: Word, cfg: MarginVoteConfig) -> bool:
    """Whether ``word`` is read again: upright, read, with a character under ``cfg.below``."""
    return (cfg.enabled and word.reading == 'horizontal' and bool(word.char_scores)
            and min(word.char_scores) < cfg.below)


def margin_crops(image: np.ndarray, polygon, cfg: MarginVoteConfig) -> List[np.ndarray]:
    """The region warped upright with each margin of ``cfg.pads``; [] if it is degenerate."""
    try:
        top, bottom = top_bottom_edges(as_points(polygon))
    except ValueError:
        return []
    return [warp_region(image, top, bottom, pad, cfg.max_height) for pad in cfg.pads]


def vote(readings: Sequence[Reading]) -> Reading:
    """The reading most of ``readings`` agree on (exactly, case included); among equally
    many, the likeliest. The first reading wins a full tie of texts and probabilities."""
    counts = Counter(text for text, _ in readings)
    top = max(counts.values())
    return max((r for r in readings if counts[r[0]] == top), key=log_prob)


def revote_words(image: np.ndarray, words: List[Word], recognizer: Callable,
                 cfg: MarginVoteConfig) -> List[Word]:
    """``words`` with each doubtful one's text and scores replaced by the vote of its reading
    and the readings of its extra crops (one recognizer pass for the page)."""
    crops, owners = [], []
    for k, word in enumerate(words):
        if doubtful(word, cfg):
            extra = margin_crops(image, word.polygon, cfg)
            crops += extra
            owners += [k] * len(extra)
    if not crops:
        return words
    extra_readings = {}
    for k, (text, scores) in zip(owners, recognizer(crops)):
        extra_readings.setdefault(k, []).append((text, list(scores)))
    for k, readings in extra_readings.items():
        word = words[k]
        text, scores = vote([(word.text, word.char_scores)] + readings)
        word.text, word.char_scores = text, list(scores)
    return words
