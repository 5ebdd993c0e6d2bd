"""Pictures the int8 detector is calibrated on, drawn in code (no data set, no download, the same
on every machine): a till receipt, a printed page and a street sign. Static quantization only
needs the range of each activation, and these three span what the presets read: small dark print
on paper, and big coloured words on a busy background."""
from typing import List

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

WORDS = ('TOTAL CASH CHANGE ROUNDING 12.50 3.10 RM 7.95 Qty Price Amount Invoice No. 2024 '
         'Thank you for your order payment is due within 30 days of the date GST 6% '
         'Steel bolts Wood screws Hinge brass Wall plugs Customer Date: 12/03/2024 Tel: '
         'Bristol Harbour Road OPEN 7:30-18:00 BAKERY Fresh Bread SALE EXIT').split()


def _lines(rng, n_words: int) -> str:
    return ' '.join(rng.choice(WORDS, n_words))


def _paper(rng, h: int, w: int, tint) -> np.ndarray:
    paper = np.full((h, w, 3), tint, np.float32) + rng.normal(0, 6, (h, w, 1))
    return paper.clip(0, 255).astype(np.uint8)


def receipt(rng) -> Image.Image:
    img = Image.fromarray(_paper(rng, 1300, 620, (236, 234, 228)))
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=22)
    y = 40
    while y < 1240:
        if rng.random() < 0.3:  # an item line: name left, price right, a lone quantity
            draw.text((30, y), _lines(rng, 2), fill=(40, 40, 40), font=font)
            draw.text((330, y), str(rng.integers(1, 9)), fill=(40, 40, 40), font=font)
            draw.text((470, y), f'{rng.uniform(1, 99):.2f}', fill=(40, 40, 40), font=font)
        else:
            draw.text((30 + int(rng.integers(0, 120)), y), _lines(rng, int(rng.integers(1, 5))),
                      fill=(30, 30, 30), font=font)
        y += int(rng.integers(28, 44))
    return img.filter(ImageFilter.GaussianBlur(0.6))


def page(rng) -> Image.Image:
    img = Image.fromarray(_paper(rng, 2339, 1654, (250, 250, 248)))
    draw = ImageDraw.Draw(img)
    body, head = ImageFont.load_default(size=28), ImageFont.load_default(size=56)
    draw.text((150, 150), 'INVOICE No. 2024-0317', fill=(10, 10, 10), font=head)
    y = 300
    while y < 2200:
        draw.text((150, y), _lines(rng, int(rng.integers(6, 12))), fill=(20, 20, 20), font=body)
        y += int(rng.integers(40, 70))
    return img


def sign(rng) -> Image.Image:
    h, w = 600, 800
    yy, xx = np.mgrid[0:h, 0:w] / max(h, w)
    base = np.stack([120 + 80 * xx, 90 + 60 * yy, 70 + 50 * (1 - xx)], -1)
    img = Image.fromarray((base + rng.normal(0, 12, (h, w, 3))).clip(0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(img)
    for _ in range(12):  # bricks, windows, clutter
        x0, y0 = int(rng.integers(0, w - 60)), int(rng.integers(0, h - 60))
        draw.rectangle((x0, y0, x0 + int(rng.integers(30, 200)), y0 + int(rng.integers(20, 120))),
                       fill=tuple(int(v) for v in rng.integers(0, 255, 3)))
    draw.rectangle((120, 120, 680, 420), fill=(245, 235, 200))
    for text, size, y, colour in (('BAKERY', 110, 140, (150, 30, 20)),
                                  ('Fresh Bread', 60, 280, (30, 60, 30)),
                                  ('OPEN 7:30-18:00', 40, 360, (20, 20, 90))):
        draw.text((150, y), text, fill=colour, font=ImageFont.load_default(size=size))
    return img.filter(ImageFilter.GaussianBlur(1.0))


def calibration_images(seed: int = 0) -> List[np.ndarray]:
    """BGR uint8 images, as the engine hands pages to the detector."""
    rng = np.random.default_rng(seed)
    return [np.ascontiguousarray(np.asarray(make(rng))[..., ::-1])
            for make in (receipt, page, sign)]
