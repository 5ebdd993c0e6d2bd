#!/usr/bin/env python
"""Generate the bundled samples (deterministic; nothing is copied from any dataset).

    python tools/make_samples.py [--out samples]

* ``sample_document.pdf``: a two-page *scanned* document: invoice-like text typeset with
  reportlab's built-in fonts (headings, paragraphs, a small price table, numbers and prices, a
  two-column section), rendered with poppler at 150 dpi, slightly rotated and noised like a scan,
  and stored as page images only (no text layer: OCR has to read it).
* ``sample_photo.jpg``: a photo-like picture of a shop sign: painted board on a brick wall, seen
  in perspective, with uneven light, texture, noise and slight blur (PIL's bundled font).
"""
import argparse
import os

import numpy as np

PARAGRAPH = ('Thank you for your order. This invoice lists the items shipped on 12 March 2024. '
             'Payment is due within 30 days of the invoice date. Please quote the invoice '
             'number with every payment and contact our office with any questions.')
ITEMS = [('A-1024', 'Steel bolts M8 (box of 100)', 3, 12.50),
         ('B-2210', 'Wood screws 4x40 mm', 5, 7.95),
         ('C-0042', 'Hinge, brass, 75 mm', 8, 4.20),
         ('D-7781', 'Wall plugs 6 mm (pack)', 2, 3.10)]
COLUMN_LEFT = ('Delivery. Goods are delivered to the address on the order. Any damage in '
               'transit must be reported within 7 days so that we can replace the items.')
COLUMN_RIGHT = ('Returns. Unused items may be returned within 30 days in their original '
                'packaging. Refunds are made to the original payment method.')


def document_text() -> str:
    """The words ``sample_document.pdf`` is typeset from, in reading order (tables by rows)."""
    rows = [f'{code} {desc} {qty} {qty * price:.2f}' for code, desc, qty, price in ITEMS]
    total = sum(qty * price for _, _, qty, price in ITEMS)
    return '\n'.join(['INVOICE No. 2024-0317',
                      'Northwind Hardware Ltd, 14 Harbour Road, Bristol BS1 4QA',
                      'Date: 12/03/2024    Customer: 58812', PARAGRAPH,
                      'Code Description Qty Price', *rows, f'Total due (EUR) {total:.2f}',
                      'Terms and Conditions', COLUMN_LEFT, COLUMN_RIGHT,
                      'Page 2 of 2    VAT reg. GB 123 4567 89'])


def make_pdf(path: str) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(path, pagesize=A4, invariant=1)  # invariant: byte-identical reruns
    c.setTitle('clip4str-ocr sample document')
    width, height = A4
    left, right = 60, width - 60

    def paragraph(text, x, y, w, size=11, leading=15):
        c.setFont('Helvetica', size)
        for line in simpleSplit(text, 'Helvetica', size, w):
            c.drawString(x, y, line)
            y -= leading
        return y

    # page 1: heading, address, paragraph, table, total
    c.setFont('Helvetica-Bold', 22)
    c.drawString(left, height - 80, 'INVOICE No. 2024-0317')
    c.setFont('Helvetica', 12)
    c.drawString(left, height - 110, 'Northwind Hardware Ltd, 14 Harbour Road, Bristol BS1 4QA')
    c.drawString(left, height - 128, 'Date: 12/03/2024    Customer: 58812')
    y = paragraph(PARAGRAPH, left, height - 170, right - left)
    y -= 20
    cols = [left, left + 80, left + 320, left + 390]
    c.setFont('Helvetica-Bold', 12)
    for x, head in zip(cols, ['Code', 'Description', 'Qty', 'Price']):
        c.drawString(x, y, head)
    c.line(left, y - 5, right, y - 5)
    c.setFont('Helvetica', 12)
    total = 0.0
    for code, desc, qty, price in ITEMS:
        y -= 22
        c.drawString(cols[0], y, code)
        c.drawString(cols[1], y, desc)
        c.drawString(cols[2], y, str(qty))
        c.drawString(cols[3], y, f'{qty * price:.2f}')
        total += qty * price
    c.line(left, y - 8, right, y - 8)
    c.setFont('Helvetica-Bold', 13)
    c.drawString(cols[1], y - 30, 'Total due (EUR)')
    c.drawString(cols[3], y - 30, f'{total:.2f}')
    c.showPage()

    # page 2: a heading over two columns
    c.setFont('Helvetica-Bold', 18)
    c.drawString(left, height - 80, 'Terms and Conditions')
    mid = (left + right) / 2
    paragraph(COLUMN_LEFT, left, height - 120, mid - left - 15)
    paragraph(COLUMN_RIGHT, mid + 15, height - 120, right - mid - 15)
    c.setFont('Helvetica', 10)
    c.drawString(left, 60, 'Page 2 of 2    VAT reg. GB 123 4567 89')
    c.showPage()
    c.save()


def make_scanned_pdf(path: str, dpi: int = 150, seed: int = 3) -> None:
    """Typeset the document, rasterise it and store it as a scan (images only)."""
    import io
    import tempfile

    import cv2
    from pdf2image import convert_from_path
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as tmp:
        vector = os.path.join(tmp, 'vector.pdf')
        make_pdf(vector)
        pages = convert_from_path(vector, dpi=dpi, grayscale=True)
    c = canvas.Canvas(path, invariant=1)
    c.setTitle('clip4str-ocr sample scan')
    for k, page in enumerate(pages):
        img = np.asarray(page, dtype=np.float32)
        h, w = img.shape
        angle = (0.6, -0.4)[k % 2]  # a scanner never feeds quite straight
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        img = cv2.warpAffine(img, m, (w, h), borderValue=255)
        img = img * 0.93 + 10 + rng.normal(0, 2.5, img.shape)  # grey paper, sensor noise
        img = np.clip(img, 0, 255).astype(np.uint8)
        ok, buf = cv2.imencode('.jpg', img, [cv2.IMWRITE_JPEG_QUALITY, 45])
        size = (w * 72 / dpi, h * 72 / dpi)
        c.setPageSize(size)
        c.drawImage(ImageReader(io.BytesIO(buf.tobytes())), 0, 0, *size)
        c.showPage()
    c.save()


def make_photo(path: str, seed: int = 7) -> None:
    import cv2
    from PIL import Image, ImageDraw, ImageFont

    rng = np.random.default_rng(seed)
    H, W = 600, 800
    # brick wall background
    wall = np.zeros((H, W, 3), np.float32)
    wall[:] = (60, 80, 150)  # BGR brick red
    for row, y in enumerate(range(0, H, 40)):
        off = 0 if row % 2 else 45
        for x in range(-90 + off, W, 90):
            shade = rng.uniform(0.75, 1.15)
            wall[y + 3:y + 37, max(x + 3, 0):max(x + 87, 0)] *= shade
        wall[y:y + 3] = (170, 175, 180)  # mortar
    wall += rng.normal(0, 8, wall.shape)

    # the sign, drawn flat, then warped onto the wall in perspective
    sw, sh = 520, 300
    sign = Image.new('RGB', (sw, sh), (35, 70, 30))
    d = ImageDraw.Draw(sign)
    d.rectangle([8, 8, sw - 9, sh - 9], outline=(220, 200, 120), width=6)
    lines = [('BAKERY', 84, 30), ('Fresh Bread', 46, 135), ('OPEN 7:30-18:00', 40, 210)]
    for text, size, y in lines:
        font = ImageFont.load_default(size)
        tw = d.textlength(text, font=font)
        d.text(((sw - tw) / 2, y), text, font=font, fill=(245, 240, 220))
    sign = np.asarray(sign)[:, :, ::-1].astype(np.float32)
    src = np.float32([[0, 0], [sw, 0], [sw, sh], [0, sh]])
    dst = np.float32([[170, 120], [640, 160], [620, 440], [150, 470]])
    m = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(sign, m, (W, H))
    mask = cv2.warpPerspective(np.ones((sh, sw), np.float32), m, (W, H))[..., None]
    img = wall * (1 - mask) + warped * mask

    # light from the upper left, a soft shadow, noise, blur
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    light = 1.15 - 0.55 * np.hypot(xx / W - 0.2, yy / H - 0.1)
    img *= light[..., None]
    img += rng.normal(0, 6, img.shape)
    img = cv2.GaussianBlur(np.clip(img, 0, 255).astype(np.uint8), (3, 3), 0.8)
    cv2.imwrite(path, img, [cv2.IMWRITE_JPEG_QUALITY, 82])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', default=os.path.join(os.path.dirname(__file__), '..', 'samples'))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    make_scanned_pdf(os.path.join(args.out, 'sample_document.pdf'))
    make_photo(os.path.join(args.out, 'sample_photo.jpg'))
    for name in sorted(os.listdir(args.out)):
        print(f'{name}: {os.path.getsize(os.path.join(args.out, name)) / 1024:.0f} KB')


if __name__ == '__main__':
    main()
