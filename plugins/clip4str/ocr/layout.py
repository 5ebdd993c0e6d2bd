"""Layout analysis: words -> lines -> blocks, and the reading order of a page.

1. Skew: the median reading angle of the words; coordinates are turned by it, so a slightly
   rotated scan groups like a straight one.
2. Lines: words left to right, each joining the line whose last word ends just before it (gap up
   to ``word_gap`` x height) and overlaps it vertically by half a height.
3. Blocks: lines top to bottom, each joining the block whose last line is just above it (gap up to
   ``line_gap`` x height), overlaps it horizontally and has a similar text height.
   Table rows: single-line blocks stacked with aligned left or right edges (gaps up to
   ``cell_gap`` heights: the cells of a table column, a form's labels, menu items) count as one
   column. Two side-by-side columns, one of them narrow (at most ``row_column`` heights wide:
   labels, amounts, codes, quantities), whose lines sit on the same rows across a gap wider than
   ``word_gap``, are read row by row ("Total 22.00", "Region January February ..."), not column
   after column, as receipts, forms and tables mean; so is a single narrow line on a row of a
   block of several lines. Two wide columns (prose) stay columns, and so do columns whose rows
   mostly do not line up (a sidebar beside a message list). Stacks that join nothing are their
   blocks again.
4. Order: recursive XY-cut over the blocks. Gaps of ``margin_gap`` heights across the whole
   region cut first (a running header, a footer, a table's footnote, sections), except between
   parts that continue each other's columns; then columns; then bands separated by horizontal
   gaps, where bands that share a column gutter are kept together, so paragraph breaks that
   line up across two columns do not interleave them.

A narrow page (at most ``row_page`` text heights wide: a receipt, a till slip) is read row by row
instead of steps 3-4: the lines that share a row, however far apart ("Date" and its value, an
item and its price, "Cashier" and "Table 15"), are one line, and rows go top to bottom, so that
items whose names and prices sit on alternate rows are not split into a block of names and a
block of prices. Blocks are then runs of rows. A narrow page with two blocks of prose side by
side (three lines or more each, wider than a table column) keeps the column reading.
"""
from dataclasses import dataclass, field
from typing import List, Sequence

import numpy as np

from .polygon_edges import as_points, edge_angle, top_bottom_edges


@dataclass
class LayoutConfig:
    word_gap: float = 1.5     # max horizontal gap between words of a line, in text heights
    line_gap: float = 0.9     # max vertical gap between lines of a block, in text heights
    min_overlap: float = 0.5  # vertical overlap (fraction of the smaller height) within a line
    max_skew: float = 20.0    # degrees; a page skewed more than this is not deskewed
    row_column: float = 10.0  # max width (text heights) of a table column read row by row
    cell_gap: float = 2.5     # max vertical gap (text heights) between the cells of a table column
    margin_gap: float = 2.0   # min gap (text heights) that sets a header / footer apart
    row_page: float = 32.0    # max width (text heights) of a page read row by row (receipts)


@dataclass
class Layout:
    """``lines``: word indices per line, left to right; ``blocks``: line indices per block.
    Both lists are in reading order."""
    lines: List[List[int]] = field(default_factory=list)
    blocks: List[List[int]] = field(default_factory=list)
    skew: float = 0.0


def page_skew(polygons: Sequence, max_skew: float = 20.0) -> float:
    """Median reading angle (degrees) of the words that are wider than tall."""
    angles, weights = [], []
    for poly in polygons:
        try:
            top, bottom = top_bottom_edges(as_points(poly))
        except ValueError:
            continue
        a = edge_angle(top)
        length = np.linalg.norm(top[-1] - top[0])
        height = np.linalg.norm(top[0] - bottom[0])
        if length > height and abs(a) <= max_skew:
            angles.append(a)
            weights.append(length)
    if not angles:
        return 0.0
    order = np.argsort(angles)
    cum = np.cumsum(np.asarray(weights)[order])
    return float(np.asarray(angles)[order][np.searchsorted(cum, cum[-1] / 2)])


def _boxes(polygons: Sequence, skew: float) -> np.ndarray:
    """Axis-aligned [x0, y0, x1, y1] of each polygon in page coordinates turned by -skew."""
    t = np.radians(-skew)
    rot = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    out = np.zeros((len(polygons), 4))
    for i, poly in enumerate(polygons):
        p = as_points(poly) @ rot.T
        out[i] = [p[:, 0].min(), p[:, 1].min(), p[:, 0].max(), p[:, 1].max()]
    return out


def _overlap(a0, a1, b0, b1) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def _chains(b: np.ndarray, heights: np.ndarray, min_overlap: float, max_gap: float = np.inf,
            min_gap: float = -np.inf) -> List[List[int]]:
    """Boxes left to right, each joining the chain whose last box ends just before it (gap from
    ``min_gap`` x the smaller height to ``max_gap`` x the larger one) and overlaps it vertically
    by ``min_overlap`` of the smaller height, the nearest vertically if several: the words of a
    line, the lines of a row."""
    chains: List[List[int]] = []
    for i in np.argsort(b[:, 0], kind='stable'):
        x0, y0, x1, y1 = b[i]
        h = heights[i]
        best, best_dy = None, None
        for ci, chain in enumerate(chains):
            lx0, ly0, lx1, ly1 = b[chain[-1]]
            lh = heights[chain[-1]]
            gap = x0 - lx1
            if not min_gap * min(h, lh) <= gap <= max_gap * max(h, lh):
                continue
            if _overlap(y0, y1, ly0, ly1) < min_overlap * min(h, lh):
                continue
            dy = abs((y0 + y1) - (ly0 + ly1))
            if best is None or dy < best_dy:
                best, best_dy = ci, dy
        if best is None:
            chains.append([int(i)])
        else:
            chains[best].append(int(i))
    return chains


def _group_lines(b: np.ndarray, cfg: LayoutConfig) -> List[List[int]]:
    return _chains(b, b[:, 3] - b[:, 1], cfg.min_overlap, cfg.word_gap, -0.5)


def _prose_columns(lb, blocks, unit, cfg: LayoutConfig) -> bool:
    """Two blocks of three lines or more, wider than a table column, side by side."""
    tall = [(lb[k, 0].min(), lb[k, 2].max(), lb[k, 1].min(), lb[k, 3].max()) for k in blocks
            if len(k) >= 3]
    tall = [t for t in tall if t[1] - t[0] > cfg.row_column * unit]
    return any(a[1] < b[0] and _overlap(a[2], a[3], b[2], b[3]) > 0 for a in tall for b in tall)


def _read_by_rows(lb, lines, heights, cfg: LayoutConfig):
    """A narrow page (a receipt, a slip): its rows top to bottom, each row one line however far
    apart its parts ("Date" and its value, an item and its price); blocks are runs of rows with
    gaps of at most ``line_gap`` heights and similar heights."""
    rows = _chains(lb, heights, cfg.min_overlap)  # lines that share a row, across any gap
    rows.sort(key=lambda r: lb[r, 1].min() + lb[r, 3].max())
    out_lines, out_blocks, prev = [], [], None
    for row in rows:
        y0, y1, h = lb[row, 1].min(), lb[row, 3].max(), float(np.median(heights[row]))
        if prev is None or y0 - prev[1] > cfg.line_gap * max(h, prev[2]) or \
                max(h, prev[2]) > 1.6 * min(h, prev[2]):
            out_blocks.append([])
        out_blocks[-1].append(len(out_lines))
        out_lines.append([w for li in row for w in lines[li]])
        prev = (y0, y1, h)
    return out_lines, out_blocks


def _line_boxes(b: np.ndarray, lines) -> np.ndarray:
    return np.array([[b[l, 0].min(), b[l, 1].min(), b[l, 2].max(), b[l, 3].max()]
                     for l in lines]).reshape(-1, 4)


def _line_height(b: np.ndarray, line) -> float:
    return float(np.median(b[line, 3] - b[line, 1]))


def _group_blocks(lb: np.ndarray, heights: np.ndarray, cfg: LayoutConfig) -> List[List[int]]:
    blocks: List[List[int]] = []
    for i in np.argsort(lb[:, 1], kind='stable'):
        x0, y0, x1, y1 = lb[i]
        h = heights[i]
        best, best_gap = None, None
        for bi, block in enumerate(blocks):
            last = block[-1]
            px0, py0, px1, py1 = lb[last]
            ph = heights[last]
            gap = y0 - py1
            if not -0.5 * min(h, ph) <= gap <= cfg.line_gap * max(h, ph):
                continue
            if max(h, ph) > 1.6 * min(h, ph):  # a heading does not join its paragraph
                continue
            if _overlap(x0, x1, px0, px1) < 0.3 * min(x1 - x0, px1 - px0):
                continue
            if best is None or gap < best_gap:
                best, best_gap = bi, gap
        if best is None:
            blocks.append([int(i)])
        else:
            blocks[best].append(int(i))
    return blocks


def _stack_cells(lb, heights, blocks, unit, cfg: LayoutConfig) -> List[List[List[int]]]:
    """Single-line blocks stacked above one another with their left or right edges aligned (the
    cells of a table column, the labels of a form, a list of menu items) are grouped, so that the
    row joining below sees them as one column. Returns groups of blocks (most groups: one)."""
    groups: List[List[List[int]]] = []
    for k in sorted(range(len(blocks)), key=lambda k: lb[blocks[k][0], 1]):
        block = blocks[k]
        best = None
        if len(block) == 1:
            x0, y0, x1, _ = lb[block[0]]
            h = heights[block[0]]
            for g, group in enumerate(groups):
                last = group[-1]
                if len(last) != 1:
                    continue
                px0, _, px1, py1 = lb[last[0]]
                ph = heights[last[0]]
                gap = y0 - py1
                if (0 <= gap <= cfg.cell_gap * max(h, ph) and max(h, ph) <= 1.6 * min(h, ph)
                        and min(abs(x0 - px0), abs(x1 - px1)) <= unit
                        and (best is None or gap < best[1])):
                    best = (g, gap)
        if best is None:
            groups.append([block])
        else:
            groups[best[0]].append(block)
    return groups


def _row_pairs(lb, heights, left, right, cfg: LayoutConfig):
    """(left line, right line) pairs that share a row, each line used once."""
    pairs, used = [], set()
    for r in right:
        for l in left:
            shared = _overlap(lb[l, 1], lb[l, 3], lb[r, 1], lb[r, 3])
            if l not in used and shared >= cfg.min_overlap * min(heights[l], heights[r]):
                pairs.append((l, r))
                used.add(l)
                break
    return pairs


def _join_table_rows(lb, lines, blocks, heights, unit, cfg: LayoutConfig):
    """Merge side-by-side blocks row by row where one of them is narrow (see the module doc).

    Merges go left to right (by the right block's position), so a table's columns join in turn."""
    lb = lb.copy()
    lines = [list(l) for l in lines]
    stacks = _stack_cells(lb, heights, blocks, unit, cfg)
    blocks = [[i for k in stack for i in k] for stack in stacks]
    joined = [False] * len(blocks)
    while True:
        spans = [(lb[k, 0].min(), lb[k, 2].max(), lb[k, 1].min(), lb[k, 3].max()) for k in blocks]
        best = None  # ((right block's x0, row gap), left, right, row pairs): leftmost, nearest
        for ri, right in enumerate(blocks):
            x0 = spans[ri][0]
            if best is not None and x0 > best[0][0]:
                continue
            for li, left in enumerate(blocks):
                width = min(spans[ri][1] - spans[ri][0], spans[li][1] - spans[li][0])
                if (li == ri or width > cfg.row_column * unit or spans[li][0] >= x0
                        or not _overlap(spans[li][2], spans[li][3], spans[ri][2], spans[ri][3])):
                    continue
                pairs = _row_pairs(lb, heights, left, right, cfg)
                if not pairs:
                    continue
                # the gap between the words of each row, not the blocks' extents: a block of
                # rows merged already may reach past a single cell further right
                key = (x0, min(lb[r, 0] - lb[l, 2] for l, r in pairs))
                if key[1] <= cfg.word_gap * unit or best is not None and key >= best[0]:
                    continue
                if (len(pairs) >= 2 and len(pairs) >= 0.6 * min(len(left), len(right))
                        or len(right) == 1 and len(left) >= 2):
                    best = (key, li, ri, pairs)
        if best is None:
            break
        _, li, ri, pairs = best
        for l, r in pairs:
            lines[l] += lines[r]
            lines[r] = []
            lb[l, :2] = np.minimum(lb[l, :2], lb[r, :2])
            lb[l, 2:] = np.maximum(lb[l, 2:], lb[r, 2:])
        blocks[li] += [r for r in blocks[ri] if lines[r]]
        joined[li] = True
        del blocks[ri], joined[ri], stacks[ri]
    # stacks that joined nothing are their blocks again
    blocks = [part for block, stack, j in zip(blocks, stacks, joined)
              for part in ([block] if j else stack)]
    keep = [i for i, l in enumerate(lines) if l]
    new_index = {old: new for new, old in enumerate(keep)}
    return ([lines[i] for i in keep], lb[keep],
            [[new_index[i] for i in k if i in new_index] for k in blocks], heights[keep])


def _gaps(lo: np.ndarray, hi: np.ndarray, min_gap: float):
    """Intervals of the axis covered by no [lo, hi) range and at least ``min_gap`` long."""
    order = np.argsort(lo)
    gaps, reach = [], hi[order[0]]
    for i in order[1:]:
        if lo[i] - reach >= min_gap:
            gaps.append((reach, lo[i]))
        reach = max(reach, hi[i])
    return gaps


def _split_at(boxes: np.ndarray, ids: List[int], gaps, axis: int) -> List[List[int]]:
    """``ids`` in the intervals between ``gaps`` along ``axis`` (0: x, 1: y), by box centre."""
    cuts = [0.5 * (a + b) for a, b in gaps]
    parts = [[] for _ in range(len(cuts) + 1)]
    for i in ids:
        parts[int(np.searchsorted(cuts, 0.5 * (boxes[i, axis] + boxes[i, axis + 2])))].append(i)
    return [part for part in parts if part]


def _shares_gutter(boxes: np.ndarray, a: List[int], b: List[int], unit: float) -> bool:
    g1 = _gaps(boxes[a, 0], boxes[a, 2], unit)
    g2 = _gaps(boxes[b, 0], boxes[b, 2], unit)
    return any(_overlap(a0, a1, b0, b1) > 0 for a0, a1 in g1 for b0, b1 in g2)


def _sections(boxes: np.ndarray, ids: List[int], unit: float, margin_gap: float):
    """Parts of the page between wide full-width gaps (``margin_gap`` heights): a running header
    or footer, a table's footnote, sections. Parts that continue each other's columns stay
    together, unless one is a single row (a header or footer line lined up with the gutter)."""
    sub = boxes[ids]
    parts = _split_at(boxes, ids, _gaps(sub[:, 1], sub[:, 3], margin_gap * unit), 1)

    def one_row(part):
        return boxes[part, 3].max() - boxes[part, 1].min() <= 1.5 * unit
    out = [parts[0]]
    for part in parts[1:]:
        if not (one_row(out[-1]) or one_row(part)) and _shares_gutter(boxes, out[-1], part, unit):
            out[-1] = out[-1] + part
        else:
            out.append(part)
    return out


def _xy_cut(boxes: np.ndarray, ids: List[int], unit: float, margin_gap: float = 2.0) -> List[int]:
    if len(ids) <= 1:
        return list(ids)
    sections = _sections(boxes, ids, unit, margin_gap)
    if len(sections) > 1:  # before columns: a footer must not join the column it lies under
        return [j for part in sections for j in _xy_cut(boxes, part, unit, margin_gap)]
    sub = boxes[ids]
    cols = _gaps(sub[:, 0], sub[:, 2], unit)
    if cols:
        return [j for g in _split_at(boxes, ids, cols, 0)
                for j in _xy_cut(boxes, g, unit, margin_gap)]
    rows = _gaps(sub[:, 1], sub[:, 3], 0.25 * unit)
    if not rows:
        return [ids[k] for k in np.lexsort((sub[:, 0], sub[:, 1]))]
    bands = _split_at(boxes, ids, rows, 1)
    # neighbouring bands with a common column gutter are one multi-column region
    groups = [[bands[0]]]
    for band in bands[1:]:
        if _shares_gutter(boxes, groups[-1][-1], band, unit):
            groups[-1].append(band)
        else:
            groups.append([band])
    out = []
    for group in groups:
        union = [j for band in group for j in band]
        if len(group) > 1 and len(union) < len(ids) and \
                _gaps(boxes[union, 0], boxes[union, 2], unit):
            out += _xy_cut(boxes, union, unit, margin_gap)  # cuts the columns first
        else:
            out += [j for band in group for j in _xy_cut(boxes, band, unit, margin_gap)]
    return out


def analyse_layout(polygons: Sequence, cfg: LayoutConfig = LayoutConfig()) -> Layout:
    """Group word polygons into lines and blocks in reading order."""
    if len(polygons) == 0:
        return Layout()
    skew = page_skew(polygons, cfg.max_skew)
    b = _boxes(polygons, skew)
    lines = _group_lines(b, cfg)
    lb = _line_boxes(b, lines)
    heights = np.array([_line_height(b, l) for l in lines])
    unit = float(np.median(heights))
    blocks = _group_blocks(lb, heights, cfg)
    if lb[:, 2].max() - lb[:, 0].min() <= cfg.row_page * unit and \
            not _prose_columns(lb, blocks, unit, cfg):
        out_lines, out_blocks = _read_by_rows(lb, lines, heights, cfg)
        return Layout(lines=out_lines, blocks=out_blocks, skew=skew)
    lines, lb, blocks, heights = _join_table_rows(lb, lines, blocks, heights, unit, cfg)
    block_boxes = np.array([[lb[k, 0].min(), lb[k, 1].min(), lb[k, 2].max(), lb[k, 3].max()]
                            for k in blocks])
    order = _xy_cut(block_boxes, list(range(len(blocks))), unit, cfg.margin_gap)
    out_lines, out_blocks = [], []
    for bi in order:
        ids = []
        for li in sorted(blocks[bi], key=lambda k: (lb[k, 1], lb[k, 0])):
            ids.append(len(out_lines))
            out_lines.append(lines[li])
        out_blocks.append(ids)
    return Layout(lines=out_lines, blocks=out_blocks, skew=skew)


def layout_text(texts: Sequence[str], layout: Layout) -> str:
    """Words joined by spaces, lines by newlines, blocks by blank lines; empty words dropped."""
    paras = []
    for block in layout.blocks:
        rows = [' '.join(t for t in (texts[w] for w in layout.lines[li]) if t) for li in block]
        rows = [r for r in rows if r]
        if rows:
            paras.append('\n'.join(rows))
    return '\n\n'.join(paras)
