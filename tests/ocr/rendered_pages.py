"""Pages rendered at test time with known text and reading order, for the layout tests.

Each page is drawn with a real font on the synthetic-page canvas (which records a box for every
word it draws) and comes with the text a reader expects, in reading order. Nothing is stored.
"""
from dataclasses import dataclass, field
from typing import List

import numpy as np

from clip4str.datasets.synth_pages.canvas import Canvas, cap_top
from clip4str.datasets.synth_pages.fonts import FontLibrary, find_fonts

PROSE = ('Goods are delivered to the address on the order and any damage in transit must be '
         'reported within seven days so that we can replace the items without charge. Unused '
         'items may be returned within thirty days in their original packaging and refunds are '
         'made to the original payment method once the goods have been checked by our team.')


def _font(size: int, bold: bool = False, mono: bool = False):
    fonts = find_fonts()
    want = [f for f in fonts if f.bold == bold and f.mono == mono and not f.italic
            and not f.script and not f.serif]
    prefer = [f for f in want if 'DejaVu' in f.path] or want or fonts
    return FontLibrary.load(prefer[0], size)


@dataclass
class RenderedPage:
    """Word polygons and texts as drawn, and the lines a reader reads, in order."""
    canvas: Canvas
    expected: List[str] = field(default_factory=list)

    @property
    def polygons(self):
        return [w.polygon for w in self.canvas.words]

    @property
    def texts(self):
        return [w.text for w in self.canvas.words]

    def text(self, x: float, y: float, text: str, font, right: bool = False) -> float:
        """Draw ``text`` with its cap top at y, left edge at x (right edge if ``right``)."""
        tokens = text.split()
        if right:
            x -= self.canvas.line_width(tokens, font)
        return self.canvas.draw_line(x, y - cap_top(font), tokens, font, (0, 0, 0))

    def row(self, y: float, cells, font, one_line: bool = True) -> None:
        """One row of (x, text[, 'right']) cells, read left to right: as one line (a table row,
        a label and its value) or, far apart and unrelated, as lines of their own."""
        for x, text, *align in cells:
            self.text(x, y, text, font, right=bool(align))
        texts = [c[1] for c in cells]
        self.expected += [' '.join(texts)] if one_line else texts

    def wrapped(self, x: float, y: float, width: float, text: str, font, leading: float):
        """Prose wrapped to ``width``; returns the y below it."""
        line = []
        for word in text.split() + [None]:
            if word is not None and self.canvas.line_width(line + [word], font) <= width:
                line.append(word)
                continue
            self.row(y, [(x, ' '.join(line))], font)
            y += leading
            line = [word]
        return y


def table_page() -> RenderedPage:
    """Title, a sentence, a five-column table with a header row and right-aligned numbers, and a
    footnote under it."""
    page = RenderedPage(Canvas((900, 700)))
    body, bold = _font(18), _font(18, bold=True)
    page.row(40, [(60, 'Regional sales 2024')], _font(30, bold=True))
    page.row(100, [(60, 'Sales per region and month, first four months of the year.')], body)
    months = ['January', 'February', 'March', 'April']
    right_edges = [330, 470, 610, 750]
    page.row(160, [(60, 'Region')] + [(x, m, 'right') for x, m in zip(right_edges, months)],
             bold)
    rng = np.random.default_rng(0)
    for r, region in enumerate(['North', 'South', 'East', 'West', 'Central', 'Islands']):
        values = [f'{int(v):,}' for v in rng.integers(1000, 30000, len(months))]
        page.row(200 + 34 * r, [(60, region)] +
                 [(x, v, 'right') for x, v in zip(right_edges, values)], body)
    page.row(430, [(60, '* Figures in euros, before tax.')], _font(14))
    return page


def two_column_page() -> RenderedPage:
    """A running header, a title, two columns of prose and a footer in the left column's width."""
    page = RenderedPage(Canvas((1000, 1200)))
    small, body = _font(14), _font(18)
    page.row(30, [(60, 'Northwind Hardware Ltd'), (940, 'Terms 2024', 'right')], small,
             one_line=False)
    page.row(100, [(60, 'Terms and Conditions')], _font(32, bold=True))
    y = page.wrapped(60, 180, 400, PROSE, body, 28)
    page.wrapped(540, 180, 400, PROSE.upper(), body, 28)
    page.row(max(y, 700) + 300, [(60, 'Page 2 of 2 VAT reg. GB 123 4567 89')], small)
    return page


def screenshot_page() -> RenderedPage:
    """A mail client: a sidebar of folders beside a search box over a message list (sender,
    subject, time); the message rows fall between the folders' rows, some overlapping them."""
    page = RenderedPage(Canvas((1200, 700)))
    body, bold = _font(17), _font(17, bold=True)
    page.row(30, [(30, 'Mail'), (300, 'Search mail and chats')], body, one_line=False)
    for k, folder in enumerate(['Inbox 12', 'Starred', 'Snoozed', 'Sent', 'Drafts 3', 'Spam',
                                'Trash']):
        page.row(110 + 38 * k, [(30, folder)], body)
    messages = [('Alice Smith', 'Meeting moved to Friday', '10:42'),
                ('Bob Jones', 'Invoice 2024-0317 attached', '09:15'),
                ('Carol White', 'Re: holiday plans for August', 'Yesterday'),
                ('Dan Brown', 'Your order has shipped', 'Mon'),
                ('Eve Black', 'Lunch on Thursday?', '12 Mar'),
                ('Frank Green', 'Quarterly report draft', '11 Mar'),
                ('Grace Hall', 'New login to your account', '10 Mar'),
                ('Henry King', 'Photos from the trip', '9 Mar'),
                ('Ivy Lane', 'Reminder: dentist at 3pm', '8 Mar')]
    for k, (sender, subject, when) in enumerate(messages):
        page.row(100 + 52 * k, [(300, sender), (520, subject), (1160, when, 'right')],
                 bold if k < 2 else body)
    return page


def receipt_page() -> RenderedPage:
    """A restaurant bill: centred header, label-value rows, a table number beside the cashier,
    items with quantities and prices, totals, a thank-you line."""
    page = RenderedPage(Canvas((520, 1000)))
    font = _font(17, mono=True)
    for k, line in enumerate(['RESTORAN SELERA KITA', 'NO 12 JALAN MERANTI',
                              '47100 PUCHONG SELANGOR', 'TEL 03-5891 9941']):
        page.row(30 + 26 * k, [(260 - page.canvas.line_width(line.split(), font) / 2, line)],
                 font)
    rows = [[(30, 'Date:'), (490, '25/04/2018', 'right')],
            [(30, 'Time:'), (490, '11:06 PM', 'right')],
            [(30, 'Cashier: ANNA'), (490, 'Table 15', 'right')],
            [(30, 'Bill No: 000341'), (490, 'Pax: 2', 'right')]]
    for k, row in enumerate(rows):
        page.row(170 + 36 * k, row, font)
    items = [('2', 'NASI LEMAK AYAM', '17.00'), ('1', 'TEH TARIK', '2.50'),
             ('3', 'ROTI CANAI', '4.50'), ('1', 'MEE GORENG', '7.50'),
             ('2', 'MILO AIS', '6.00'), ('1', 'KUIH', '1.20')]
    for k, (qty, name, price) in enumerate(items):
        page.row(330 + 30 * k, [(30, qty), (70, name), (490, price, 'right')], font)
    for k, (label, value) in enumerate([('SUBTOTAL', '38.70'), ('SST 6%', '2.32'),
                                        ('ROUNDING', '-0.02'), ('TOTAL', '41.00'),
                                        ('CASH', '50.00'), ('CHANGE', '9.00')]):
        page.row(530 + 26 * k, [(30, label), (490, value, 'right')], font)
    page.row(720, [(260 - page.canvas.line_width('THANK YOU'.split(), font) / 2,
                    'THANK YOU')], font)
    return page


def pos_receipt_page() -> RenderedPage:
    """A till receipt as SROIE's are printed: labels with values far right of them, a table number
    right of the cashier, each item's name on a row of its own and its quantity and prices on the
    row below, in columns under a header row; totals with their amounts."""
    page = RenderedPage(Canvas((440, 900)))
    font = _font(16, mono=True)

    def centred(y, line):
        page.row(y, [(220 - page.canvas.line_width(line.split(), font) / 2, line)], font)
    for k, line in enumerate(['SUSHI MENTAI CHERAS', 'NO 1-1 GROUND FLOOR', 'TAX INVOICE']):
        centred(30 + 24 * k, line)
    page.row(130, [(20, 'Bill#: V042-513777'), (420, 'Pax(s): 2', 'right')], font)
    page.row(154, [(20, 'Date'), (120, ': 31-03-2018 18:12:41')], font)
    page.row(178, [(20, 'Cashier: SOFYA'), (420, 'Table 15', 'right')], font)
    page.row(222, [(20, 'Description'), (190, 'Qty'), (300, 'U.Price', 'right'),
                   (380, 'Total', 'right'), (420, 'TAX', 'right')], font)
    for k, (name, qty, price, total) in enumerate([('B1 GREEN TEA', '2 X', '1.00', '2.00'),
                                                   ('N8 SHIRO RAMEN', '1 X', '12.80', '12.80'),
                                                   ('R9 UNAGI DON', '1 X', '19.80', '19.80'),
                                                   ('SB01 SUSHI YELLOW', '4 X', '1.80', '7.20')]):
        page.row(256 + 48 * k, [(20, name)], font)
        page.row(280 + 48 * k, [(190, qty), (300, price, 'right'), (380, total, 'right'),
                                (420, 'SR', 'right')], font)
    for k, (label, value) in enumerate([('Total (Excluding GST):', '41.80'),
                                        ('GST Payable:', '2.51'), ('TOTAL:', '44.30')]):
        page.row(470 + 24 * k, [(20, label), (420, value, 'right')], font)
    centred(560, 'THANK YOU')
    return page


def leaflet_page() -> RenderedPage:
    """A narrow page (as narrow as a receipt in text heights) with a title over two columns of
    prose: read column after column, not row by row."""
    page = RenderedPage(Canvas((440, 600)))
    body = _font(14)
    page.row(30, [(30, 'Opening hours and terms')], _font(22, bold=True))
    page.wrapped(30, 80, 180, PROSE[:200], body, 22)
    page.wrapped(240, 80, 180, PROSE[200:], body, 22)
    return page


def form_page() -> RenderedPage:
    """A filled-in form: labels in one column, values in another, on the same rows."""
    page = RenderedPage(Canvas((900, 600)))
    body = _font(18)
    page.row(40, [(50, 'Application for a parking permit')], _font(28, bold=True))
    pairs = [('Name', 'Jane Margaret Doe'), ('Date of birth', '12 March 1980'),
             ('Address', '14 Harbour Road, Bristol BS1 4QA'), ('Vehicle', 'Blue Ford Focus'),
             ('Registration', 'AB12 CDE'), ('Permit zone', 'Zone C (Harbourside)'),
             ('Start date', '01/05/2024'), ('Signature', 'J. M. Doe')]
    for k, (label, value) in enumerate(pairs):
        page.row(120 + 40 * k, [(50, label), (330, value)], body)
    return page


PAGES = {'table': table_page, 'two_columns': two_column_page, 'screenshot': screenshot_page,
         'receipt': receipt_page, 'form': form_page, 'pos_receipt': pos_receipt_page,
         'leaflet': leaflet_page}
