"""Tables: header row, text and number columns, with full, horizontal-only or no rules."""
from typing import Optional

import numpy as np

from ..canvas import Canvas, cap_top
from .common import Ctx, font_for_cap, ink


def _cell_text(ctx: Ctx, kind: str) -> str:
    t = ctx.text
    if kind == 'text':
        return ' '.join(t.word() for _ in range(int(ctx.rng.integers(1, 4))))
    if kind == 'price':
        return t.price(currency=False)
    if kind == 'date':
        return t.date()
    if kind == 'code':
        return t.code()
    return t.number()


def draw_table(canvas: Canvas, ctx: Ctx, x0: float, x1: float, top: float, max_height: float,
               cap_px: float) -> Optional[float]:
    """Draw a table inside [x0, x1] from ``top``; return its height, or None if nothing fits."""
    rng = ctx.rng
    n_cols = int(rng.integers(2, 7))
    kinds = ['text'] + [str(rng.choice(['text', 'number', 'price', 'date', 'code']))
                        for _ in range(n_cols - 1)]
    font = font_for_cap(ctx.fonts, ctx.fonts.pick(rng, 'body'), cap_px)
    head_font = font_for_cap(ctx.fonts, ctx.fonts.pick(rng, 'bold'), cap_px)
    pad = font.size * rng.uniform(0.25, 0.6)
    row_h = font.size * rng.uniform(1.3, 2.0)
    n_rows = int(min(rng.integers(3, 25), (max_height - row_h) // row_h))
    if n_rows < 2:
        return None
    rules = rng.choice(['grid', 'rows', 'none', 'header'])
    color, rule_color = ink(rng), ink(rng)
    header = [' '.join(ctx.text.title(1, 2)) for _ in range(n_cols)]
    rows = [[_cell_text(ctx, k) for k in kinds] for _ in range(n_rows)]

    # column widths from content, scaled to the available width
    widths = np.array([max(canvas.line_width(r[c].split(), font) for r in rows + [header])
                       for c in range(n_cols)]) + 2 * pad
    total = x1 - x0
    if widths.sum() > total:  # shrink by dropping trailing columns until it fits
        while n_cols > 2 and widths[:n_cols].sum() > total:
            n_cols -= 1
        if widths[:n_cols].sum() > total:
            return None
        widths = widths[:n_cols]
        header = header[:n_cols]
        rows = [r[:n_cols] for r in rows]
    widths = widths * (total / widths.sum()) if rng.random() < 0.6 else widths
    edges = x0 + np.concatenate([[0], np.cumsum(widths)])
    if rng.random() < 0.3:  # header shading
        canvas.draw.rectangle([edges[0], top, edges[-1], top + row_h],
                              fill=tuple(int(v) for v in rng.integers(190, 240, 3)))
    lw = int(rng.integers(1, 3))
    y = top
    for r, row in enumerate([header] + rows):
        f = head_font if r == 0 else font
        base = y + (row_h - f.size) / 2 - cap_top(f)
        for c, cell in enumerate(row):
            tokens = cell.split()
            w = canvas.line_width(tokens, f)
            right_align = kinds[c] in ('number', 'price') and r > 0
            cx = edges[c + 1] - pad - w if right_align else edges[c] + pad
            if cx + w <= edges[c + 1] + 1:  # only cells that fit inside their column
                canvas.draw_line(cx, base, tokens, f, color)
        if rules in ('grid', 'rows') or (rules == 'header' and r <= 1):
            canvas.draw.line([edges[0], y, edges[-1], y], fill=rule_color, width=lw)
        y += row_h
    if rules in ('grid', 'rows', 'header'):
        canvas.draw.line([edges[0], y, edges[-1], y], fill=rule_color, width=lw)
    if rules == 'grid':
        for e in edges:
            canvas.draw.line([e, top, e, y], fill=rule_color, width=lw)
    return y - top


def render_table_page(ctx: Ctx) -> Canvas:
    """An invoice / statement: title, a few key-value lines, then tables."""
    from .. import backgrounds
    from .common import draw_wrapped, log_uniform
    from .document import page_size
    rng, t = ctx.rng, ctx.text
    w, h = page_size(rng, 1000, 1700)
    canvas = Canvas((w, h))
    canvas.set_array(backgrounds.paper(rng, (w, h)))
    cap_px = log_uniform(rng, 7, 20)
    font = font_for_cap(ctx.fonts, ctx.fonts.pick(rng, 'body'), cap_px)
    color = ink(rng)
    mx, y = w * rng.uniform(0.04, 0.1), h * rng.uniform(0.03, 0.08)
    title = font_for_cap(ctx.fonts, ctx.fonts.pick(rng, 'bold'), cap_px * rng.uniform(1.5, 3))
    y = draw_wrapped(canvas, [t.title(1, 3)], mx, w - mx, y, title, color, 1.3,
                     rng.choice(['left', 'right', 'center'])) + cap_px
    for _ in range(int(rng.integers(0, 6))):
        y = draw_wrapped(canvas, [t.label().split() + t.value().split()], mx, w - mx, y, font,
                         color, 1.5, 'left')
    y += cap_px
    for _ in range(int(rng.integers(1, 4))):
        height = draw_table(canvas, ctx, mx, w - mx, y, h * 0.95 - y, cap_px)
        if height is None:
            break
        y += height + cap_px * 2
    return canvas
