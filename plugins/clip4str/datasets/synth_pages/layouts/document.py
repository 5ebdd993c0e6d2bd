"""Printed documents: title, headings, paragraphs in 1-3 columns, lists, tables, figures."""
import numpy as np

from .. import backgrounds
from ..canvas import Canvas, cap_top
from .common import Ctx, Flow, draw_wrapped, font_for_cap, ink, log_uniform, wrap
from .table import draw_table

PAGE_ASPECTS = (1.414, 1.294, 1.414, 1.5, 0.75, 1.0)


def page_size(rng, long_lo=1100, long_hi=1700, aspects=PAGE_ASPECTS):
    aspect = float(rng.choice(aspects))
    long_side = int(rng.integers(long_lo, long_hi + 1))
    if aspect >= 1:
        return int(long_side / aspect), long_side
    return long_side, int(long_side * aspect)


def _paragraph(canvas, ctx, flow, font, color, spacing, align, indent):
    tokens = ctx.text.tokens(int(ctx.rng.integers(8, 120)))
    lines = wrap(canvas, tokens, font, flow.width - indent)
    lh = font.size * spacing
    for i, line in enumerate(lines):
        slot = flow.take(lh)
        if slot is None:
            return
        x0, x1, y = slot
        last = i == len(lines) - 1
        stretch = align == 'justify' and not last
        draw_wrapped(canvas, [line], x0 + (indent if i == 0 else 0), x1, y, font, color,
                     spacing, 'stretch' if stretch else 'left')
    flow.take(lh * ctx.rng.uniform(0.2, 1.0))  # paragraph gap


def _heading(canvas, ctx, flow, cap_px, color):
    rng = ctx.rng
    font = font_for_cap(ctx.fonts, ctx.fonts.pick(rng, 'bold'), cap_px * rng.uniform(1.1, 2.0))
    words = ctx.text.title(1, 6)
    if rng.random() < 0.4:
        words = [f'{rng.integers(1, 12)}.' + (f'{rng.integers(1, 9)}' if rng.random() < 0.5
                                               else '')] + words
    lines = wrap(canvas, words, font, flow.width)
    flow.take(font.size * rng.uniform(0.2, 0.8))
    for line in lines:
        slot = flow.take(font.size * 1.3)
        if slot is None:
            return
        draw_wrapped(canvas, [line], slot[0], slot[1], slot[2], font, color, 1.3)


def _list(canvas, ctx, flow, font, color, spacing):
    rng = ctx.rng
    marker = rng.choice(['dot', 'dash', 'num', 'alpha', 'square'])
    indent = font.size * rng.uniform(1.2, 2.5)
    lh = font.size * spacing
    for i in range(int(rng.integers(2, 8))):
        lines = wrap(canvas, ctx.text.tokens(int(rng.integers(2, 30))), font, flow.width - indent)
        for j, line in enumerate(lines):
            slot = flow.take(lh)
            if slot is None:
                return
            x0, x1, y = slot
            draw_wrapped(canvas, [line], x0 + indent, x1, y, font, color, spacing)
            if j:
                continue
            base = y + (lh - font.size) * 0.5 - cap_top(font)
            mid = base + cap_top(font) * 0.45
            r = font.size * 0.15
            mx = x0 + indent * 0.35
            if marker == 'dot':  # bullets are graphics, not words: drawn but not annotated
                canvas.draw.ellipse([mx - r, mid - r, mx + r, mid + r], fill=color)
            elif marker == 'square':
                canvas.draw.rectangle([mx - r, mid - r, mx + r, mid + r], fill=color)
            elif marker == 'dash':
                canvas.draw_word(x0 + indent * 0.2, base, '-', font, color, annotate=False)
            else:
                label = f'{i + 1}.' if marker == 'num' else f'{"abcdefgh"[i]})'
                canvas.draw_word(x0, base, label, font, color)


def _figure(canvas, ctx, flow, font, color):
    """A chart/photo placeholder: boxes, bars or lines (graphics that are not text)."""
    rng = ctx.rng
    h = flow.width * rng.uniform(0.3, 0.8)
    slot = flow.take(h)
    if slot is None:
        return
    x0, x1, y = slot
    kind = rng.integers(3)
    if kind == 0:
        canvas.draw.rectangle([x0, y, x1, y + h * 0.9], fill=tuple(int(v) for v in
                                                               rng.integers(80, 220, 3)))
    elif kind == 1:
        n = int(rng.integers(3, 12))
        bw = (x1 - x0) / (2 * n)
        canvas.draw.line([x0, y + h * 0.9, x1, y + h * 0.9], fill=color, width=2)
        for i in range(n):
            top = y + h * rng.uniform(0.1, 0.85)
            canvas.draw.rectangle([x0 + (2 * i + 0.5) * bw, top, x0 + (2 * i + 1.5) * bw,
                                   y + h * 0.9], fill=ink(rng))
    else:
        pts = [(x0 + (x1 - x0) * t, y + h * rng.uniform(0.1, 0.85)) for t in np.linspace(0, 1, 12)]
        canvas.draw.line(pts, fill=ink(rng), width=int(rng.integers(1, 4)))
        canvas.draw.rectangle([x0, y, x1, y + h * 0.9], outline=color)
    caption = ['Figure', f'{rng.integers(1, 20)}:'] + ctx.text.tokens(int(rng.integers(2, 10)))
    lines = wrap(canvas, caption, font, x1 - x0)[:2]
    slot = flow.take(font.size * 1.3 * len(lines))
    if slot:
        draw_wrapped(canvas, lines, slot[0], slot[1], slot[2], font, color, 1.3)


def render_document(ctx: Ctx) -> Canvas:
    rng = ctx.rng
    w, h = page_size(rng)
    canvas = Canvas((w, h))
    canvas.set_array(backgrounds.paper(rng, (w, h)))
    cap_px = log_uniform(rng, 7, 24)
    body = font_for_cap(ctx.fonts, ctx.fonts.pick(rng, 'body' if rng.random() < 0.7 else 'any'),
                        cap_px)
    color = ink(rng)
    spacing = rng.uniform(1.1, 1.7)
    align = 'justify' if rng.random() < 0.4 else 'left'
    indent = body.size * rng.uniform(1, 3) if rng.random() < 0.3 else 0.0
    mx, my = w * rng.uniform(0.04, 0.12), h * rng.uniform(0.03, 0.09)
    n_cols = int(rng.choice([1, 1, 1, 2, 2, 3]))
    gutter = w * rng.uniform(0.02, 0.05)
    col_w = (w - 2 * mx - gutter * (n_cols - 1)) / n_cols
    cols = [(mx + i * (col_w + gutter), mx + i * (col_w + gutter) + col_w) for i in range(n_cols)]

    top = my
    if rng.random() < 0.3:  # running header with a rule
        small = font_for_cap(ctx.fonts, ctx.fonts.pick(rng, 'any'), cap_px * 0.8)
        draw_wrapped(canvas, [ctx.text.title(1, 5)], mx, w - mx, top, small, color, 1.2,
                     rng.choice(['left', 'right', 'center']))
        top += small.size * 1.6
        canvas.draw.line([mx, top - small.size * 0.2, w - mx, top - small.size * 0.2],
                         fill=color, width=1)
    if rng.random() < 0.6:  # title across all columns
        tf = font_for_cap(ctx.fonts, ctx.fonts.pick(rng, 'bold'), cap_px * rng.uniform(1.6, 3.5))
        lines = wrap(canvas, ctx.text.title(2, 9), tf, w - 2 * mx)[:3]
        top = draw_wrapped(canvas, lines, mx, w - mx, top, tf, ink(rng), 1.25,
                           rng.choice(['left', 'center'])) + tf.size * 0.5
    bottom = h - my
    if rng.random() < 0.5:  # page number / footer
        small = font_for_cap(ctx.fonts, ctx.fonts.pick(rng, 'any'), cap_px * 0.8)
        footer = [str(rng.integers(1, 400))] if rng.random() < 0.6 else ctx.text.tokens(4)
        draw_wrapped(canvas, [footer], mx, w - mx, bottom - small.size * 1.2, small, color, 1.2,
                     rng.choice(['left', 'right', 'center']))
        bottom -= small.size * 2.5

    flow = Flow(cols, top, bottom)
    blocks = ['para'] * 6 + ['heading'] * 2 + ['list', 'table', 'figure']
    for _ in range(200):
        if flow.full:
            break
        b = rng.choice(blocks)
        if b == 'para':
            _paragraph(canvas, ctx, flow, body, color, spacing, align, indent)
        elif b == 'heading':
            _heading(canvas, ctx, flow, cap_px, ink(rng) if rng.random() < 0.3 else color)
        elif b == 'list':
            _list(canvas, ctx, flow, body, color, spacing)
        elif b == 'figure':
            _figure(canvas, ctx, flow, body, color)
        else:
            x0, x1 = flow.columns[min(flow.col, len(cols) - 1)]
            height = draw_table(canvas, ctx, x0, x1, flow.y, flow.bottom - flow.y, cap_px)
            if height is None:
                flow.col += 1
                flow.y = flow.top
            else:
                flow.take(height + body.size)
    return canvas
