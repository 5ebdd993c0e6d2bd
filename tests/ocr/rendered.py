"""Pages rendered with known text, and the shipped models to read them (tests skip without
the weights or a TrueType font)."""
import os
from collections import Counter
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.helpers import REPO

FONTS = [Path('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'),
         Path('/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf')]
RECEIPT = ['GROCERY MART 123', 'Receipt No 4471 Date 12/03/2024', 'Apples 2 x $0.50 $1.00',
           'Fresh bread loaf RM 12.00', 'Green tea large 3.75', 'Total amount due 17.25',
           'Thank you for shopping with us', 'Please keep this receipt']


def font_path() -> str:
    for f in FONTS:
        if f.is_file():
            return str(f)
    pytest.skip('no TrueType font installed')


def blank_canvas(font_file: str, size: int, width: int, height: int, mode: str = 'RGB'):
    """(a white PIL image, its ImageDraw, the font at ``size``) to print test text on; the test
    skips when the font is not installed."""
    from PIL import Image, ImageDraw, ImageFont
    if not os.path.isfile(font_file):
        pytest.skip(f'font {font_file} not installed')
    img = Image.new(mode, (width, height), 'white')
    return img, ImageDraw.Draw(img), ImageFont.truetype(font_file, size)


def render_lines(lines, size=28, width=900, margin=40, leading=1.6):
    """BGR image of ``lines`` in black on white, one per row."""
    from PIL import Image, ImageDraw, ImageFont
    font = ImageFont.truetype(font_path(), size)
    img = Image.new('RGB', (width, int(2 * margin + len(lines) * size * leading)), 'white')
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((margin, margin + i * size * leading), line, fill='black', font=font)
    return cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR)


def word_recall(texts, lines) -> float:
    """Share of the rendered words (as a multiset) found among the read ones."""
    read = Counter(w for t in texts for w in t.split())
    truth = Counter(w for line in lines for w in line.split())
    return sum((read & truth).values()) / sum(truth.values())


def preset_engine(preset: str):
    """A preset's engine with the shipped weights (the test skips without them)."""
    from clip4str.ocr.preset import build_engine, load_preset
    cfg = load_preset(preset)
    for part in ('det', 'rec'):
        if not Path(cfg[part]['weights']).is_file():
            pytest.skip(f'shipped {part} weights not installed')
    return build_engine(cfg)


@pytest.fixture(scope='module')
def shipped_engine():
    """The document preset's engine with the shipped weights."""
    return preset_engine('document')


def ocr(engine, img):
    return engine.ocr_image(np.ascontiguousarray(img))


__all__ = ['REPO', 'RECEIPT', 'render_lines', 'word_recall', 'shipped_engine', 'preset_engine', 'ocr']
