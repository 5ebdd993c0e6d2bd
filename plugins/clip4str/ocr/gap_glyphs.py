"""Lone glyphs in the blank between two words of a line, which the detector left unboxed.

A receipt's column of colons ("Net Total   :   21.00") and the hyphen of "WA27 - 20" are one
small glyph each, standing apart: their text probability often stays under the detector's
threshold, and no region at all is found there (the most missed truth tokens of the 61 SROIE val
receipts: ":" 111, "-" 28). Here the blank between consecutive words of a line is searched for
ink: small blobs inside the line's text rows, grouped into clusters about a glyph wide, are cut
out as regions and read; a reading stays a word only when it is short and sure of every
character (see :func:`accept_gap_reading`), so specks and stamp edges, read as unsure text, are
dropped. With ``line_ends``, the blanks before a line's first word and after its last are
searched too, out to the edges of the lines around it ("1  VEGETABLES": a column of quantities
the detector left out). Scenes (pages with few regions) are left as they are.
"""
from dataclasses import dataclass
from typing import List, NamedTuple, Sequence, Tuple

import cv2
import numpy as np

from .polygon_edges import edge_angle, horizontal_region
from .word_split import text_ink, text_rows


BAND = 0.15  # text heights above and below the words' ink rows searched for blobs
TIP = 0.3    # blobs shorter than this (heights) touching the band's edge belong to ink outside it


@dataclass
class GapGlyphConfig:
    enabled: bool = False
    min_gap: float = 0.6      # blanks narrower than this many text heights are not searched
    max_width: float = 1.0    # a cluster of blobs at most this many text heights wide ...
    max_height: float = 1.1   # ... and tall
    min_area: float = 0.006   # blobs smaller than this x the text height squared are specks
    join: float = 0.3         # blobs this close (text heights) are one cluster
    pad: float = 0.3          # paper kept around a cluster in its region (heights) ...
    margin: float = 0.15      # ... short of the neighbouring words' ink
    min_prob: float = 0.9     # every character of a reading at least this probable ...
    max_chars: int = 2        # ... and at most this many characters
    max_angle: float = 5.0    # only near-horizontal lines (degrees)
    min_regions: int = 30     # pages with fewer regions (scenes) are left as they are
    min_contrast: float = 40.0
    # gap ink: greys past this fraction of the way from paper to the words' Otsu threshold
    faint: float = 1.0
    # also the blanks before a line's first word and after its last, out to where the lines
    # within this many text heights above and below start and end (a receipt's column of
    # quantities "1" left of the items, an "Item Count  7" whose count sits under the prices);
    # 0: only the blanks between words
    line_ends: float = 0.0


def _extent(poly) -> Tuple[float, float, float, float]:
    pts = np.asarray(poly, float).reshape(-1, 2)
    return pts[:, 0].min(), pts[:, 1].min(), pts[:, 0].max(), pts[:, 1].max()


def _clusters(stats: np.ndarray, join: float) -> List[Tuple[int, int, int, int]]:
    """Blobs (x, y, w, h rows) grouped left to right while less than ``join`` px apart, as
    (x0, y0, x1, y1) boxes."""
    out: List[List[int]] = []
    for x, y, w, h in sorted(stats.tolist()):
        if out and x - out[-1][2] < join:
            c = out[-1]
            c[1], c[2], c[3] = min(c[1], y), max(c[2], x + w), max(c[3], y + h)
        else:
            out.append([x, y, x + w, y + h])
    return [tuple(c) for c in out]


def _gap_ink(strip: np.ndarray, ink: np.ndarray, g0: int, g1: int, faint: float) -> np.ndarray:
    """The ink of columns [g0, g1) of a grey strip, at a threshold ``faint`` of the way from
    the paper's grey to the Otsu threshold of the words' ink (``ink``): a faded thermal print
    leaves a lone colon much lighter than the words around it."""
    paper = float(np.median(strip[~ink]))
    dark_text = float(strip[ink].mean()) < paper
    otsu = float(strip[ink].max() if dark_text else strip[ink].min())  # the ink side's edge
    threshold = paper + faint * (otsu - paper)
    part = strip[:, g0:g1].astype(np.float32)
    return ((part < threshold) if dark_text else (part > threshold)).astype(np.uint8)


def _pair_regions(gray: np.ndarray, covered: np.ndarray, a, b, cfg: GapGlyphConfig
                  ) -> List[np.ndarray]:
    """Quads around the uncovered ink clusters in the blank between regions ``a`` and ``b``
    (left to right on one line)."""
    H, W = gray.shape[:2]
    ax0, ay0, ax1, ay1 = _extent(a)
    bx0, by0, bx1, by1 = _extent(b)
    y0, y1 = int(max(0, round((ay0 + by0) / 2))), int(min(H, round((ay1 + by1) / 2)))
    x0, x1 = int(max(0, ax0)), int(min(W, bx1))
    # the blank, strip columns (a line end's edge may lie past the image's border)
    g0, g1 = max(0, int(np.ceil(ax1)) - x0), min(x1 - x0, int(np.floor(bx0)) - x0)
    if y1 - y0 < 4 or g1 <= g0:
        return []
    strip = gray[y0:y1, x0:x1]
    ink = text_ink(strip, cfg.min_contrast)
    if ink is None:
        return []
    rows = text_rows(np.concatenate([ink[:, :g0], ink[:, g1:]], axis=1))
    if len(rows) == 0:
        return []
    th = float(rows[-1] - rows[0] + 1)  # the words' ink: ascender to descender
    if g1 - g0 < cfg.min_gap * th:
        return []
    # only the words' rows: a rule or the next line's ink above or below is cut off
    r0 = int(max(0, rows[0] - BAND * th))
    r1 = int(min(y1 - y0, rows[-1] + 1 + BAND * th))
    gap = _gap_ink(strip, ink, g0, g1, cfg.faint)[r0:r1]
    if gap.size == 0:  # OpenCV's labelling crashes on an empty image
        return []
    _, labels, stats, _ = cv2.connectedComponentsWithStats(gap, connectivity=8)
    boxed = set(np.unique(labels[covered[y0 + r0:y0 + r1, x0 + g0:x0 + g1] > 0]).tolist())
    # a short blob on the band's edge is the tip of something outside it (a rule)
    blobs = [s[:4] for k, s in enumerate(stats)
             if k and k not in boxed and s[4] >= cfg.min_area * th * th and
             (s[3] >= TIP * th or 0 < s[1] < s[1] + s[3] < gap.shape[0])]
    if not blobs:
        return []
    # the region may reach over the words' empty box margins, up to near their ink
    inked = np.flatnonzero(ink[rows[0]:rows[-1] + 1].any(0))
    before, after = inked[inked < g0], inked[inked >= g1]
    lo = (before.max() + 1 if len(before) else 0) + cfg.margin * th
    hi = (after.min() if len(after) else ink.shape[1]) - cfg.margin * th
    top = y0 + max(0.0, rows[0] - cfg.pad * th)
    bottom = y0 + min(float(y1 - y0), rows[-1] + 1 + cfg.pad * th)
    out = []
    for cx0, cy0, cx1, cy1 in _clusters(np.array(blobs), cfg.join * th):
        if cx1 - cx0 > cfg.max_width * th or cy1 - cy0 > cfg.max_height * th:
            continue
        left = x0 + max(lo, g0 + cx0 - cfg.pad * th)
        right = x0 + min(hi, g0 + cx1 + cfg.pad * th)
        out.append(np.array([[left, top], [right, top], [right, bottom], [left, bottom]], float))
    return out


class _Page(NamedTuple):
    """What both searches measure a page by, computed once: its grey image, the pixels its
    regions cover (a faint glyph's tight box leaves part of it out: not lone), and each line's
    near-horizontal regions, left to right."""
    gray: np.ndarray
    covered: np.ndarray
    flat_lines: List[List[int]]


def _page(image: np.ndarray, polygons: Sequence, lines, cfg: GapGlyphConfig) -> _Page:
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    covered = np.zeros(gray.shape[:2], np.uint8)
    cv2.fillPoly(covered, [np.round(np.asarray(p, float).reshape(-1, 2)).astype(np.int32)
                           for p in polygons], 1)
    flat = []
    for poly in polygons:
        region = horizontal_region(poly)
        flat.append(region is not None and abs(edge_angle(region[0])) <= cfg.max_angle)
    flat_lines = [sorted((i for i in line if flat[i]), key=lambda i: _extent(polygons[i])[0])
                  for line in lines]
    return _Page(gray, covered, flat_lines)


def glyph_regions(image: np.ndarray, polygons: Sequence, lines: Sequence[Sequence[int]],
                  cfg: GapGlyphConfig) -> Tuple[List[np.ndarray], List[np.ndarray]]:
    """(quads in the blanks between a line's words, quads in the blanks at its ends that are
    none of those): the page is measured once for both."""
    if not cfg.enabled or len(polygons) < cfg.min_regions:
        return [], []
    page = _page(image, polygons, lines, cfg)
    between = _between_words(page, polygons, cfg)
    return between, distinct_quads(_line_ends(page, polygons, cfg), between)


def gap_glyph_regions(image: np.ndarray, polygons: Sequence, lines: Sequence[Sequence[int]],
                      cfg: GapGlyphConfig) -> List[np.ndarray]:
    """Quads (page pixels) around the clusters of ink in the blanks between neighbouring words
    of each line."""
    if not cfg.enabled or len(polygons) < cfg.min_regions:
        return []
    return _between_words(_page(image, polygons, lines, cfg), polygons, cfg)


def line_end_regions(image: np.ndarray, polygons: Sequence, lines: Sequence[Sequence[int]],
                     cfg: GapGlyphConfig) -> List[np.ndarray]:
    """Quads around the clusters of ink in the blank before each line's first word and after
    its last, out to the left and right edges of the lines around it (see
    ``GapGlyphConfig.line_ends``); [] when that is 0."""
    if not cfg.enabled or cfg.line_ends <= 0 or len(polygons) < cfg.min_regions:
        return []
    return _line_ends(_page(image, polygons, lines, cfg), polygons, cfg)


def _between_words(page: _Page, polygons: Sequence, cfg: GapGlyphConfig) -> List[np.ndarray]:
    out = []
    for ids in page.flat_lines:
        for i, j in zip(ids, ids[1:]):
            out += _pair_regions(page.gray, page.covered, polygons[i], polygons[j], cfg)
    return out


def _line_ends(page: _Page, polygons: Sequence, cfg: GapGlyphConfig) -> List[np.ndarray]:
    """The line ends' quads, each glyph once (see :func:`distinct_quads`); [] when
    ``cfg.line_ends`` is 0."""
    if cfg.line_ends <= 0:
        return []
    rows = []  # per line: (its flat regions left to right, centre y, height)
    for ids in page.flat_lines:
        if ids:
            ext = np.array([_extent(polygons[i]) for i in ids])
            rows.append((ids, float(np.median((ext[:, 1] + ext[:, 3]) / 2)),
                         float(np.median(ext[:, 3] - ext[:, 1]))))
    out = []
    for ids, centre, height in rows:
        near = [r for r in rows if abs(r[1] - centre) <= cfg.line_ends * height]  # itself too
        first, last = polygons[ids[0]], polygons[ids[-1]]
        left = min(_extent(polygons[r[0][0]])[0] for r in near)
        right = max(_extent(polygons[r[0][-1]])[2] for r in near)
        fx0, fy0, _, fy1 = _extent(first)
        _, ly0, lx1, ly1 = _extent(last)
        # an empty box at the edge stands for the word the blank would lie after (or before)
        if fx0 - left >= cfg.min_gap * height:
            edge = np.array([[left - 2, fy0], [left, fy0], [left, fy1], [left - 2, fy1]])
            out += _pair_regions(page.gray, page.covered, edge, first, cfg)
        if right - lx1 >= cfg.min_gap * height:
            edge = np.array([[right, ly0], [right + 2, ly0], [right + 2, ly1], [right, ly1]])
            out += _pair_regions(page.gray, page.covered, last, edge, cfg)
    return distinct_quads(out)


def distinct_quads(quads: Sequence[np.ndarray], taken: Sequence[np.ndarray] = ()
                   ) -> List[np.ndarray]:
    """``quads`` less those sharing half the smaller box or more with an earlier one or one of
    ``taken`` (boxes: the quads' axis-aligned extents): a glyph between two column blocks lies
    after one line's last word and before the other's first, and was read twice (the
    invoice's quantity "2")."""
    kept, boxes = [], [_extent(q) for q in taken]
    for q in quads:
        x0, y0, x1, y1 = box = _extent(q)
        area = max((x1 - x0) * (y1 - y0), 1e-6)
        if any(max(0.0, min(x1, u1) - max(x0, u0)) * max(0.0, min(y1, v1) - max(y0, v0))
               >= 0.5 * min(area, max((u1 - u0) * (v1 - v0), 1e-6))
               for u0, v0, u1, v1 in boxes):
            continue
        kept.append(q)
        boxes.append(box)
    return kept


def glyph_crops(image: np.ndarray, quads: Sequence[np.ndarray]) -> List[np.ndarray]:
    """The upright crop of each (axis-aligned) gap region: a lone glyph on a horizontal line
    is read as it stands, never turned as a vertical region would be."""
    crops = []
    for q in quads:
        x0, y0 = np.floor(q.min(0)).astype(int)
        x1, y1 = np.ceil(q.max(0)).astype(int)
        crops.append(np.ascontiguousarray(image[max(0, y0):y1, max(0, x0):x1]))
    return crops


def accept_gap_reading(text: str, char_scores, cfg: GapGlyphConfig) -> bool:
    """A gap cluster's reading is kept: short, no space, and sure of every character."""
    return (0 < len(text) <= cfg.max_chars and text.strip() == text
            and len(char_scores) >= len(text) and min(char_scores) >= cfg.min_prob)


def accept_line_end_reading(text: str, char_scores, cfg: GapGlyphConfig) -> bool:
    """A line end's cluster is kept as a gap's is, and only as letters or digits (a quantity,
    a count): at a line's ends, a sure '-' or ':' was as often a rule's dash or a colon the
    truth joins to its word (61 SROIE val receipts: of the '-' and ':' found there, 17 of 45
    were right; of the letters and digits, 24 of 28)."""
    return accept_gap_reading(text, char_scores, cfg) and text.isalnum()
