"""Spaces the page-wide word split missed, found inside each word once it has been read.

:func:`.word_split.split_words` cuts a region at blank runs wider than a page-wide threshold: at
least twice the page's 90th percentile gap. On a monospace receipt that percentile is set by the
wide gaps around '.', '1' and ':' in prices and codes, so a narrower space between two words
("GST SUMMARY", "Payment Mode", "KUALA LUMPUR": 0.35-0.5 text heights) stays inside one region
and the recognizer, which has no space, reads "GSTSUMMARY". Inside that one word the space is
still the widest gap by far, 3-6x the word's median gap, and the glyphs either side of it stand
further apart than the word's character pitch.

So each word of a dense page (a document, not a scene's few signs) is measured again on its own:
a blank run at least ``min_gap`` text heights wide, ``ratio`` x the median of the word's other
gaps, with the glyphs either side ``min_pitches`` pitches apart, is a candidate space (from
``loose_ratio`` x, a tight printer's space, when the pieces either side are words of 2+
characters; a lexicon tier, see ``SpaceSplitConfig.lexicon``, cuts a word whose letters are no
word at its widest gap where they split into two words: "DATEFOR"). The word is cut there and
the pieces are read; a cut is kept only when the pieces read as the word did (so no glyph was
cut through) and the characters on either side of it take a space in print: not before '.',
',' or ':' ("TOTAL:", "33.92"), not after '(' or '/', and between two digits only when the gap
is ``digit_gap`` heights wide (a monospace '1' stands in a wide gap of its own: "0003 1" is
"00031").
"""
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

import cv2
import numpy as np

from .lexicon import load_lexicon, number_splits, two_words, word_and_number, word_splits
from .polygon_edges import horizontal_region
from .rectify import warp_region
from .word_split import blank_gaps, blank_runs, cut_region, text_ink, text_rows

NO_SPACE_BEFORE = set('.,:;!?)]}%')
NO_SPACE_AFTER = set('([{/-@#$')


@dataclass
class SpaceSplitConfig:
    enabled: bool = False
    min_gap: float = 0.3      # a candidate space is at least this many text heights wide ...
    ratio: float = 2.5        # ... and this many times the median of the word's other gaps
    min_gaps: int = 3         # words with fewer blank runs give no median to compare with
    # ... and the glyphs either side of it at least this many character pitches apart, centre
    # to centre (pitch: the word's length over its characters): a narrow 'i' or 'l' leaves wide
    # gaps but stays one pitch from its neighbours
    min_pitches: float = 1.2
    digit_gap: float = 0.6    # between two digits a gap must be this wide (text heights)
    # a looser tier: gaps at least this many times the median (under ``ratio``) are cut too,
    # but kept only between two pieces of 2+ characters that end and start with a letter or a
    # digit ("KEEPTHIS" in a tight font: 0.38 against letter gaps of 0.25); 0: no such tier
    loose_ratio: float = 0.0
    # a lexicon tier: a word whose letters are no word of ``lexicon`` (see .lexicon: '' none,
    # 'english' the bundled list, or a file) is cut at its widest gap, if that gap is at least
    # ``lexicon_gap`` heights, ``lexicon_ratio`` x the median and where the word splits into
    # two words ("DATEFOR", "PAYMENTMODE": a space as tight as some letter gaps); no pitch test.
    # The cut is kept when the pieces read as two such words
    lexicon: str = ''
    lexicon_gap: float = 0.2
    lexicon_ratio: float = 1.5
    # a word read "X:" whose colon stands at least this many text heights after the letter
    # before it is "X :" (see colon_splits); 0: never
    colon_gap: float = 0.0
    min_regions: int = 30     # pages with fewer words (scenes) are left as they are
    height: int = 48          # rows of the rectified crop the gaps are measured on
    min_contrast: float = 40.0


@dataclass
class SpaceCandidate:
    """A read word with the gaps that may be spaces: cut fractions along its length and their
    widths in text heights, between its top and bottom edges."""
    index: int
    top: np.ndarray
    bottom: np.ndarray
    cuts: List[float]
    widths: List[float]
    loose: List[bool]     # cut by the looser tier only (see SpaceSplitConfig.loose_ratio)
    lexical: List[bool] = field(default_factory=list)  # cut by the lexicon tier only

    def pieces(self, keep: Optional[Sequence[bool]] = None) -> List[np.ndarray]:
        """The word's polygon cut at every cut, or at those ``keep`` marks."""
        cuts = self.cuts if keep is None else [c for c, k in zip(self.cuts, keep) if k]
        return cut_region(self.top, self.bottom, cuts)


def space_candidates(image: np.ndarray, polygons: Sequence, texts: Sequence[str],
                     cfg: SpaceSplitConfig) -> List[SpaceCandidate]:
    """The words of a page (BGR or grey) worth cutting again (none when the page has fewer
    than ``cfg.min_regions`` words)."""
    if not cfg.enabled or len(polygons) < cfg.min_regions:
        return []
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    found = []
    for k, (poly, text) in enumerate(zip(polygons, texts)):
        region = horizontal_region(poly) if len(text) >= 2 else None
        if region is None:  # vertical text is read turned; its gaps run the other way
            continue
        top, bottom = region[:2]
        crop = warp_region(gray, top, bottom, pad=0.0, max_height=cfg.height)
        gaps, text_h = blank_runs(crop, cfg.min_contrast)
        # the lexicon tier needs only one other gap to compare with ("of2")
        fewest = min(cfg.min_gaps, 2) if cfg.lexicon else cfg.min_gaps
        if text_h == 0 or len(gaps) < fewest:
            continue
        widths = np.array([(b - a) / text_h for a, b in gaps])
        pitch = crop.shape[1] / len(text)
        ratios = [g / max(float(np.median(np.delete(widths, i))), 1e-6)
                  for i, g in enumerate(widths)]
        lowest = min(cfg.ratio, cfg.loose_ratio) if cfg.loose_ratio > 0 else cfg.ratio
        picked = [i for i, g in enumerate(widths)
                  if len(gaps) >= cfg.min_gaps and g >= cfg.min_gap and ratios[i] >= lowest
                  and glyph_distance(gaps, i, crop.shape[1], pitch) >= cfg.min_pitches * pitch]
        lexical = lexical_cut(text, gaps, widths, ratios, crop.shape[1], cfg)
        if lexical is not None and lexical not in picked:
            picked = sorted(picked + [lexical])
        else:
            lexical = None
        if picked:
            cuts = [(gaps[i][0] + gaps[i][1]) / 2 / crop.shape[1] for i in picked]
            found.append(SpaceCandidate(k, top, bottom, cuts, [float(widths[i]) for i in picked],
                                        [ratios[i] < cfg.ratio for i in picked],
                                        [i == lexical for i in picked]))
    return found


def lexical_cut(text: str, gaps: Sequence[Tuple[int, int]], widths: np.ndarray,
                ratios: Sequence[float], width: int, cfg: SpaceSplitConfig) -> Optional[int]:
    """The index of the word's widest gap if the lexicon tier cuts there: strictly the widest,
    ``lexicon_gap`` heights and ``lexicon_ratio`` x the median wide, within 0.75 characters
    (by the word's pitch) of a place where its letters split into two words, or a word and
    the number after it."""
    if not cfg.lexicon or len(widths) < 2:
        return None
    i = int(np.argmax(widths))
    if (widths[i] < cfg.lexicon_gap or ratios[i] < cfg.lexicon_ratio
            or np.sort(widths)[-2] >= widths[i]):
        return None
    at = (gaps[i][0] + gaps[i][1]) / 2 / width * len(text)
    lexicon = load_lexicon(cfg.lexicon)
    if not any(abs(k - at) <= 0.75
               for k in word_splits(text, lexicon) + number_splits(text, lexicon)):
        return None
    return i


def glyph_distance(gaps: Sequence[Tuple[int, int]], i: int, width: int, pitch: float) -> float:
    """Centre to centre distance of the glyphs either side of blank run ``i``: the ink runs'
    centres, or half a pitch in from the gap where a run is wider than a glyph (touching
    glyphs make one run)."""
    edges = [0] + [x for gap in gaps for x in gap] + [width]
    (l0, l1), (r0, r1) = (edges[2 * i], edges[2 * i + 1]), (edges[2 * i + 2], edges[2 * i + 3])
    left = max((l0 + l1) / 2, l1 - pitch / 2)
    right = min((r0 + r1) / 2, r0 + pitch / 2)
    return right - left


def takes_space(left: str, right: str, width: float, cfg: SpaceSplitConfig) -> bool:
    """Whether print puts a space between a piece read ``left`` and the next read ``right``,
    ``width`` text heights apart."""
    if not left or not right or right[0] in NO_SPACE_BEFORE or left[-1] in NO_SPACE_AFTER:
        return False
    if left[-1] in '.,' and right[0].isdigit():  # "1,000.00", "No.22"
        return False
    if left[-1].isdigit() and right[0].isdigit():
        return width >= cfg.digit_gap
    return True


def loose_space(left: str, right: str) -> bool:
    """Whether a cut of the looser tier stands: two pieces of 2+ characters, ending and
    starting with a letter or a digit, not both digits ("KEEP THIS", "116 DISTILLED"; not
    "I NVOICE", "10:37: 00")."""
    return (len(left) >= 2 and len(right) >= 2 and left[-1].isalnum() and right[0].isalnum()
            and not (left[-1].isdigit() and right[0].isdigit()))


def kept_spaces(text: str, piece_texts: Sequence[str], widths: Sequence[float],
                cfg: SpaceSplitConfig, loose: Optional[Sequence[bool]] = None,
                lexical: Optional[Sequence[bool]] = None) -> Optional[List[bool]]:
    """For each cut between pieces, whether it is a space; None when the pieces do not read as
    the whole word did (case aside): a cut went through a glyph, or the readings disagree.
    ``loose`` marks the cuts of the looser tier, which must pass :func:`loose_space` too, and
    ``lexical`` those of the lexicon tier, whose pieces must be two words of the lexicon."""
    if ''.join(piece_texts).lower() != text.lower():
        return None
    loose = loose or [False] * len(widths)
    lexical = lexical or [False] * len(widths)

    def keep(i):
        left, right = piece_texts[i], piece_texts[i + 1]
        if lexical[i]:
            lexicon = load_lexicon(cfg.lexicon)
            return two_words(left, right, lexicon) or word_and_number(left, right, lexicon)
        return (takes_space(left, right, widths[i], cfg) and
                (not loose[i] or loose_space(left, right)))
    return [keep(i) for i in range(len(widths))]


def group_pieces(keep: Sequence[bool]) -> List[Tuple[int, int]]:
    """[start, end) runs of pieces left joined, for a list of kept / dropped cuts."""
    groups, start = [], 0
    for i, k in enumerate(keep):
        if k:
            groups.append((start, i + 1))
            start = i + 1
    groups.append((start, len(keep) + 1))
    return groups


def colon_splits(image: np.ndarray, polygons: Sequence, texts: Sequence[str],
                 cfg: SpaceSplitConfig) -> List[Tuple[int, float]]:
    """(word index, cut fraction along it) of each word read "X:" whose colon stands a space
    apart in print: the blank run before the colon's ink is at least ``colon_gap`` text heights
    wide. The page-wide and per-word splits never see that space: a colon is too narrow a glyph
    to tell from a sliver of the neighbouring word at a crop's end (``blank_runs``), and print
    and annotations alike write "TOTAL:" as often as "TEL : 03-4021": the gap tells them apart
    (61 SROIE val receipts, words read "X:": where the truth writes "X :", the gap is >= 0.4
    heights 23 times in 27; where it writes "X:", under 0.4 in 167 of 176). A monospace colon
    stands in a wide gap of its own ("TOTAL:" at 0.5) and one pitch from the letter before, as
    a proportional one after a space does ("TEL :" at 0.52, 1.1 pitches): neither the gap nor
    the pitch tells those two apart, and a pitch test cost more than it saved (84.4 -> 84.3)."""
    if not cfg.enabled or cfg.colon_gap <= 0 or len(polygons) < cfg.min_regions:
        return []
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    found = []
    for k, (poly, text) in enumerate(zip(polygons, texts)):
        if len(text) < 2 or not text.endswith(':') or not text[-2].isalnum():
            continue
        region = horizontal_region(poly)
        if region is None:
            continue
        crop = warp_region(gray, region[0], region[1], pad=0.0, max_height=cfg.height)
        ink = text_ink(crop, cfg.min_contrast)
        if ink is None:
            continue
        rows = text_rows(ink)
        if len(rows) == 0:
            continue
        text_h = rows[-1] - rows[0] + 1
        gaps = blank_gaps(ink[rows[0]:rows[-1] + 1].sum(0), int(0.05 * text_h))
        if gaps and (gaps[-1][1] - gaps[-1][0]) / text_h >= cfg.colon_gap:
            found.append((k, (gaps[-1][0] + gaps[-1][1]) / 2 / crop.shape[1]))
    return found
