"""Choosing among the candidate readings of one region (see :func:`.rectify.crop_candidates`).

The best mean log-probability per character plus the candidate's prior wins, but a reading of the
crop turned 180 degrees from the one the geometry calls upright (a steep word's 'horizontal+180', a
leaning column's way against its lean) competes only when it is itself near-certain, sees about as
many letters as the upright reading, and has two or more of them. The recognizer reads upside-down
text fluently ("ddEd" for DEPP), so the margin alone either turns upright words (the language
prior's confident guesses: "SALE" for a blur, "K" for "y") or misses turned ones. On IIIT5K/SVT
train crops at 40 degrees (tools/eval_upside_down.py --crops 1000; the thresholds were chosen on
the other crops, --skip 1000 --crops 1257): a 0.3 margin alone turned 0.8% of upright words and
found 38% of turned ones; these tests turn 0.3% and find 66.5%. At 60 degrees (mostly leaning
columns) 6.2% of upright words were read turned, 0.3% now, but 48.5% of turned words are found
where 79.6% were: upright words are far more common.
"""
from typing import List, NamedTuple, Sequence

import numpy as np

from .orientation import log_prob
from .rectify import RectifyConfig


class CandidateReading(NamedTuple):
    name: str            # how the crop was turned ('horizontal', 'horizontal+180', 'down', ...)
    prior: float         # added to its score when choosing
    text: str
    scores: List[float]  # one probability per character
    turned_from: str = ''  # the upright candidate this one is turned 180 degrees from

    @property
    def log_prob(self) -> float:
        return log_prob((self.text, self.scores))


def turned_is_plausible(turned: CandidateReading, upright: CandidateReading,
                        cfg: RectifyConfig) -> bool:
    """May ``turned`` (the crop of ``upright`` turned 180 degrees) compete with it?"""
    return (len(turned.text) >= cfg.upside_down_min_chars
            and abs(len(turned.text) - len(upright.text)) <= cfg.upside_down_max_len_diff
            and turned.log_prob >= np.log(cfg.upside_down_min_prob))


def choose_reading(cands: Sequence[CandidateReading], cfg: RectifyConfig) -> CandidateReading:
    """The candidate with the best mean log-probability per character plus prior, among those
    that may compete."""
    by_name = {c.name: c for c in cands}

    def may_compete(c: CandidateReading) -> bool:
        upright = by_name.get(c.turned_from)
        return upright is None or turned_is_plausible(c, upright, cfg)
    allowed = [c for c in cands if may_compete(c)]
    if not allowed:
        return CandidateReading('horizontal', 0.0, '', [])
    return max(allowed, key=lambda c: c.log_prob + c.prior)
