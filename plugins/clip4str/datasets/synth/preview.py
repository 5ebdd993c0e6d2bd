"""A PNG contact sheet of samples with their labels, for looking at the data."""
from typing import Iterable, Tuple

import numpy as np
from PIL import Image, ImageDraw, ImageFont

LABEL_FONTS = ('/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf',
               '/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf')


def _label_font(size=12):
    for f in LABEL_FONTS:
        try:
            return ImageFont.truetype(f, size)
        except OSError:
            continue
    return ImageFont.load_default()


def contact_sheet(samples: Iterable[Tuple[np.ndarray, str]], cols: int = 4,
                  cell: Tuple[int, int] = (300, 72)) -> Image.Image:
    """Grid of (RGB image, label): each image fitted into `cell`, label printed underneath."""
    samples = list(samples)
    cw, ch = cell
    font = _label_font()
    lab_h = 16
    rows = (len(samples) + cols - 1) // cols
    sheet = Image.new('RGB', (cols * cw, rows * (ch + lab_h)), (235, 235, 235))
    draw = ImageDraw.Draw(sheet)
    for k, (img, label) in enumerate(samples):
        im = Image.fromarray(img)
        h, w = img.shape[:2]
        scale = min((cw - 6) / w, (ch - 4) / h, 2.0)
        im = im.resize((max(1, int(w * scale)), max(1, int(h * scale))), Image.NEAREST
                       if scale >= 1 else Image.BILINEAR)
        x, y = (k % cols) * cw, (k // cols) * (ch + lab_h)
        sheet.paste(im, (x + 3, y + 2))
        draw.text((x + 3, y + ch), f'{label}  [{w}x{h}]', fill=(170, 0, 0), font=font)
    return sheet
