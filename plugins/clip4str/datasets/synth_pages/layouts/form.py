"""Forms: labelled fields filled in a different font and colour, underlines, boxed cells with
small labels, checkboxes and a signature line."""
from .. import backgrounds
from ..canvas import Canvas, cap_top
from .common import Ctx, draw_wrapped, font_for_cap, ink, log_uniform, wrap
from .document import page_size


def _filled(ctx: Ctx, cap_px: float):
    """Font and colour for filled-in values: handwriting-like, typed, or blue pen."""
    rng = ctx.rng
    group = 'script' if rng.random() < 0.5 else 'any'
    font = font_for_cap(ctx.fonts, ctx.fonts.pick(rng, group), cap_px * rng.uniform(0.9, 1.4))
    color = (int(rng.uniform(0, 50)), int(rng.uniform(0, 60)), int(rng.uniform(100, 200))) \
        if rng.random() < 0.5 else ink(rng)
    return font, color


def render_form(ctx: Ctx) -> Canvas:
    rng, t = ctx.rng, ctx.text
    w, h = page_size(rng, 1000, 1600, (1.414, 1.294))
    canvas = Canvas((w, h))
    canvas.set_array(backgrounds.paper(rng, (w, h)))
    cap_px = log_uniform(rng, 8, 20)
    label_font = font_for_cap(ctx.fonts, ctx.fonts.pick(rng, 'body'), cap_px)
    small = font_for_cap(ctx.fonts, ctx.fonts.pick(rng, 'body'), cap_px * 0.7)
    value_font, value_color = _filled(ctx, cap_px)
    color = ink(rng)
    mx, y = w * rng.uniform(0.05, 0.1), h * rng.uniform(0.04, 0.08)
    x1 = w - mx
    title = font_for_cap(ctx.fonts, ctx.fonts.pick(rng, 'bold'), cap_px * rng.uniform(1.5, 2.5))
    y = draw_wrapped(canvas, wrap(canvas, t.title(2, 6), title, x1 - mx)[:2], mx, x1, y, title,
                     color, 1.3, 'center') + cap_px

    while y < h * 0.9:
        kind = rng.choice(['fields', 'boxes', 'checks', 'text'])
        lh = max(label_font.size, value_font.size) * rng.uniform(1.8, 2.6)
        if kind == 'fields':  # "Label: ____value____" pairs, 1-3 per row
            per_row = int(rng.integers(1, 4))
            cell = (x1 - mx) / per_row
            for _ in range(int(rng.integers(2, 7))):
                if y + lh > h * 0.92:
                    break
                base = y + lh * 0.7
                for c in range(per_row):
                    x = mx + c * cell
                    end = canvas.draw_line(x, base, t.label().split(), label_font, color)
                    line_end = x + cell - cap_px
                    canvas.draw.line([end + cap_px * 0.5, base + cap_px * 0.3, line_end,
                                      base + cap_px * 0.3], fill=color, width=1)
                    if rng.random() < 0.85:  # most fields are filled in
                        value = t.value().split()
                        vx = end + cap_px * rng.uniform(0.8, 2)
                        if vx + canvas.line_width(value, value_font) < line_end:
                            canvas.draw_line(vx, base, value, value_font, value_color)
                y += lh
        elif kind == 'boxes':  # a row of boxed cells with a small label at the top
            n = int(rng.integers(2, 5))
            bw, bh = (x1 - mx) / n, small.size * 1.4 + value_font.size * 1.6
            if y + bh > h * 0.92:
                break
            for c in range(n):
                bx = mx + c * bw
                canvas.draw.rectangle([bx, y, bx + bw, y + bh], outline=color, width=1)
                canvas.draw_line(bx + small.size * 0.4, y + small.size * 0.3 - cap_top(small),
                                 t.label().split(), small, color)
                value = t.value().split()
                if canvas.line_width(value, value_font) < bw - value_font.size:
                    canvas.draw_line(bx + small.size * 0.6, y + bh - value_font.size * 0.5,
                                     value, value_font, value_color)
            y += bh + cap_px
        elif kind == 'checks':
            x, base = mx, y + lh * 0.7
            for _ in range(int(rng.integers(2, 6))):
                opt = t.title(1, 2)
                wdt = canvas.line_width(opt, label_font) + cap_px * 3
                if x + wdt > x1:
                    break
                canvas.draw.rectangle([x, base - cap_px, x + cap_px, base], outline=color,
                                      width=1)
                if rng.random() < 0.4:  # ticked: a graphic, not a word
                    canvas.draw.line([x, base - cap_px * 0.5, x + cap_px * 0.4, base,
                                      x + cap_px * 1.2, base - cap_px * 1.4],
                                     fill=value_color, width=2)
                canvas.draw_line(x + cap_px * 1.6, base, opt, label_font, color)
                x += wdt + cap_px * 2
            y += lh
        else:
            lines = wrap(canvas, t.tokens(int(rng.integers(10, 60))), small, x1 - mx)
            if y + len(lines) * small.size * 1.3 > h * 0.92:
                break
            y = draw_wrapped(canvas, lines, mx, x1, y, small, color, 1.3) + cap_px
    if y < h * 0.95 - lh and rng.random() < 0.6:  # signature line
        base = min(h * 0.95, y + lh)
        end = canvas.draw_line(mx, base, ['Signature:'] if rng.random() < 0.5 else ['Sign'],
                               label_font, color)
        canvas.draw.line([end + cap_px, base, end + w * 0.3, base], fill=color, width=1)
    return canvas
