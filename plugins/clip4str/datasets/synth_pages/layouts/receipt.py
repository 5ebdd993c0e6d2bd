"""Till receipts: narrow, monospace-ish, centred header, item lines with right-aligned prices,
totals, dashed separators (drawn, not annotated, as in SROIE) and sometimes a barcode."""
from .. import backgrounds
from ..canvas import Canvas, cap_top
from .common import Ctx, font_for_cap, ink, log_uniform

TOTAL_WORDS = ('SUBTOTAL', 'TOTAL', 'TAX', 'GST', 'VAT', 'CASH', 'CHANGE', 'DISCOUNT',
               'ROUNDING', 'Total', 'Sub Total', 'Amount Due', 'Card', 'Balance')


class _Receipt:
    def __init__(self, ctx: Ctx, width: int, cap_px: float):
        rng = ctx.rng
        self.ctx, self.rng = ctx, rng
        group = 'mono' if rng.random() < 0.6 else ('narrow' if rng.random() < 0.5 else 'any')
        self.font_file = ctx.fonts.pick(rng, group)
        self.font = font_for_cap(ctx.fonts, self.font_file, cap_px)
        self.bold = font_for_cap(ctx.fonts, ctx.fonts.pick(rng, 'bold'), cap_px * 1.1)
        # dot-matrix printers space letters widely (SROIE); most thermal printers do not
        self.tracking = self.font.size * rng.uniform(0.05, 0.4) if rng.random() < 0.3 else 0.0
        self.spacing = rng.uniform(1.15, 1.8)
        self.color = ink(rng)
        self.width = width
        self.margin = width * rng.uniform(0.03, 0.1)
        self.ops = []  # deferred drawing: (kind, args); height is known only at the end
        self.y = self.margin

    def line(self, left=None, right=None, center=None, font=None):
        font = font or self.font
        self.ops.append(('line', (self.y, left, right, center, font)))
        self.y += font.size * self.spacing

    def rule(self):
        self.ops.append(('rule', (self.y, str(self.rng.choice(['-', '=', '*', '.', '_', 'line'])))))
        self.y += self.font.size * self.spacing * 0.8

    def gap(self, k=0.5):
        self.y += self.font.size * k

    def render(self, canvas: Canvas):
        x0, x1 = self.margin, self.width - self.margin
        for kind, args in self.ops:
            if kind == 'line':
                y, left, right, center, font = args
                base = y - cap_top(font)
                tr = self.tracking if font is self.font else 0.0
                used = x0
                if left:
                    used = canvas.draw_line(x0, base, left.split(), font, self.color, tracking=tr)
                if right:
                    w = canvas.line_width(right.split(), font, tracking=tr)
                    if x1 - w > used + font.size * 0.5:  # never overprint the left part
                        canvas.draw_line(x1 - w, base, right.split(), font, self.color,
                                         tracking=tr)
                if center:
                    w = canvas.line_width(center.split(), font, tracking=tr)
                    if w <= x1 - x0:
                        canvas.draw_line((x0 + x1 - w) / 2, base, center.split(), font,
                                         self.color, tracking=tr)
            else:
                y, ch = args
                mid = y + self.font.size * 0.4
                if ch == 'line':
                    canvas.draw.line([x0, mid, x1, mid], fill=self.color, width=1)
                else:  # a printed separator of characters: drawn but not a word to find
                    n = int((x1 - x0) / max(1.0, self.font.getlength(ch)))
                    canvas.draw_word(x0, y - cap_top(self.font), ch * n, self.font,
                                     self.color, annotate=False)


def _items(r: _Receipt, t):
    rng = r.rng
    for _ in range(int(rng.integers(2, 20))):
        name = ' '.join(t.word().upper() if rng.random() < 0.5 else t.word()
                        for _ in range(int(rng.integers(1, 4))))
        price = t.price(currency=False)
        style = rng.random()
        if style < 0.4:
            r.line(left=f'{rng.integers(1, 10)} {name}', right=price)
        elif style < 0.7:  # code line, then qty x unit price on the next
            r.line(left=f'{t.code()} {name}')
            r.line(left=f'{rng.integers(1, 10)} x {t.price(currency=False)}', right=price)
        else:
            r.line(left=name, right=price + (' SR' if rng.random() < 0.3 else ''))


def render_receipt_canvas(ctx: Ctx) -> Canvas:
    rng, t = ctx.rng, ctx.text
    width = int(rng.integers(320, 720))
    r = _Receipt(ctx, width, log_uniform(rng, 9, 22))
    big = font_for_cap(ctx.fonts, ctx.fonts.pick(rng, 'bold'), r.font.size * rng.uniform(0.8, 1.6))
    for i in range(int(rng.integers(1, 3))):
        r.line(center=' '.join(t.title(1, 3)).upper(), font=big if i == 0 else None)
    for _ in range(int(rng.integers(1, 5))):
        r.line(center=' '.join(t.tokens(int(rng.integers(2, 6)))))
    if rng.random() < 0.7:
        r.line(center=f'TEL: {t.code()}' if rng.random() < 0.5 else f'GST No: {t.code()}')
    r.rule()
    r.line(left=f'{t.date()} {t.time()}', right=f'#{rng.integers(100, 99999)}')
    if rng.random() < 0.6:
        r.line(left=f'{t.label()} {t.value()}')
    r.rule()
    _items(r, t)
    r.rule()
    for word in rng.choice(TOTAL_WORDS, int(rng.integers(1, 5)), replace=False):
        r.line(left=str(word) + (':' if rng.random() < 0.4 else ''), right=t.price(),
               font=r.bold if word in ('TOTAL', 'Total') else None)
    r.rule()
    for _ in range(int(rng.integers(0, 4))):
        r.line(center=' '.join(t.title(2, 5)))
    r.gap(1.0)
    barcode = rng.random() < 0.3
    height = int(r.y + r.margin + (r.font.size * 3 if barcode else 0))
    canvas = Canvas((width, height))
    canvas.set_array(backgrounds.paper(rng, (width, height)))
    r.render(canvas)
    if barcode:  # bars are graphics, not text
        x, y = int(r.margin), r.y  # integer x: x + bw - 1 must never fall below x
        while x < width - r.margin:
            bw = int(rng.integers(1, 5))
            if rng.random() < 0.6:
                canvas.draw.rectangle([x, y, x + bw - 1, y + r.font.size * 2.5], fill=r.color)
            x += bw
    return canvas
