"""Helpers shared by the page layouts: ink colours, font sizing, line wrapping, column flow."""
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

import numpy as np

from ..canvas import Canvas, cap_top
from ..fonts import FontLibrary
from ..text_source import TextSource


@dataclass
class Ctx:
    """What every layout draws with (``crops``: optional real word crops for scenes)."""
    rng: np.random.Generator
    fonts: FontLibrary
    text: TextSource
    crops: Optional[object] = None


def ink(rng: np.random.Generator, paper_level: float = 245) -> Tuple[int, int, int]:
    """Printing ink: mostly near black, sometimes blue or red, sometimes faded (still legible)."""
    r = rng.random()
    if r < 0.75:
        v = float(rng.uniform(0, 70))
        return tuple(int(np.clip(v + rng.normal(0, 6), 0, 255)) for _ in range(3))
    if r < 0.85:
        return (int(rng.uniform(0, 40)), int(rng.uniform(20, 70)), int(rng.uniform(90, 170)))
    if r < 0.9:
        return (int(rng.uniform(120, 190)), int(rng.uniform(0, 40)), int(rng.uniform(0, 40)))
    v = float(rng.uniform(70, min(150, paper_level - 70)))  # faded / grey text
    return (int(v), int(v), int(v))


def log_uniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def font_for_cap(fonts: FontLibrary, font_file, cap_px: float):
    """Load ``font_file`` at the size whose capital letters are about ``cap_px`` tall."""
    probe = fonts.load(font_file, 100)
    ratio = max(0.3, -cap_top(probe) / 100.0)
    return fonts.load(font_file, max(5, int(round(cap_px / ratio))))


def wrap(canvas: Canvas, tokens: Sequence[str], font, width: float,
         tracking: float = 0.0) -> List[List[str]]:
    """Greedy line breaking; a token wider than the whole line is dropped."""
    space = canvas.space_width(font)
    lines, line, used = [], [], 0.0
    for tok in tokens:
        w = canvas.word_width(tok, font, tracking)
        if w > width:
            continue
        need = w if not line else used + space + w
        if need <= width:
            line.append(tok)
            used = need
        else:
            lines.append(line)
            line, used = [tok], w
    if line:
        lines.append(line)
    return lines


def line_height(font, spacing: float) -> float:
    return font.size * spacing


def draw_wrapped(canvas: Canvas, lines: List[List[str]], x0: float, x1: float, top: float,
                 font, fill, spacing: float, align: str = 'left',
                 tracking: float = 0.0) -> float:
    """Draw pre-wrapped lines between x0 and x1 starting at ``top``; return the y below them.

    align: left, right, center, justify (all but the last line stretched to the full width) or
    stretch (every line stretched).
    """
    lh = line_height(font, spacing)
    ascent = -cap_top(font)
    y = top
    for i, line in enumerate(lines):
        base = y + ascent + (lh - font.size) * 0.5
        natural = canvas.line_width(line, font, tracking=tracking)
        space = canvas.space_width(font)
        x = x0
        stretch = align == 'stretch' or (align == 'justify' and i < len(lines) - 1)
        if stretch and len(line) > 1:
            space += (x1 - x0 - natural) / (len(line) - 1)
        elif align == 'right':
            x = x1 - natural
        elif align == 'center':
            x = x0 + (x1 - x0 - natural) / 2
        canvas.draw_line(x, base, line, font, fill, space=space, tracking=tracking)
        y += lh
    return y


@dataclass
class Flow:
    """Fills columns top to bottom; ``take`` hands out vertical space in the current column."""
    columns: List[Tuple[float, float]]
    top: float
    bottom: float
    col: int = 0
    y: float = field(default=None)

    def __post_init__(self):
        self.y = self.top

    def take(self, height: float) -> Optional[Tuple[float, float, float]]:
        """(x0, x1, y) of a slot ``height`` tall, moving to the next column when needed."""
        while self.col < len(self.columns):
            if self.y + height <= self.bottom:
                x0, x1 = self.columns[self.col]
                y = self.y
                self.y += height
                return x0, x1, y
            if self.y == self.top:  # the block is taller than a whole column
                return None
            self.col += 1
            self.y = self.top
        return None

    @property
    def width(self) -> float:
        x0, x1 = self.columns[min(self.col, len(self.columns) - 1)]
        return x1 - x0

    @property
    def full(self) -> bool:
        return self.col >= len(self.columns)
