"""A drawing surface that remembers a word-level polygon for every word it draws."""
import functools
from dataclasses import dataclass
from typing import List, Sequence, Tuple

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

Color = Tuple[int, int, int]


@dataclass
class Word:
    text: str
    polygon: np.ndarray  # (4, 2) float32, clockwise from top-left
    ignore: bool = False


@functools.lru_cache(maxsize=1024)
def cap_top(font: ImageFont.FreeTypeFont) -> int:
    """Offset of the capital-letter top from the baseline (negative: above it)."""
    return font.getbbox('H', anchor='ls')[1]


@functools.lru_cache(maxsize=4096)
def _ink_box(font: ImageFont.FreeTypeFont, text: str) -> Tuple[int, int, int, int]:
    return font.getbbox(text, anchor='ls')


def box_polygon(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)


class Canvas:
    """An RGB PIL image plus the words drawn on it (polygons in this canvas' pixels).

    Word boxes span the word's ink horizontally and, vertically, at least capital height down to
    the baseline (descenders and accents extend it), so all words of a line get similar boxes,
    padded by ``pad`` times the font size.
    """

    def __init__(self, size: Tuple[int, int], background=(255, 255, 255), pad: float = 0.06):
        if isinstance(background, Image.Image):
            self.img = background.convert('RGB').resize(size)
        else:
            self.img = Image.new('RGB', size, tuple(int(c) for c in background))
        self.draw = ImageDraw.Draw(self.img)
        self.words: List[Word] = []
        self.pad = pad

    @property
    def size(self) -> Tuple[int, int]:
        return self.img.size

    # ---------------------------------------------------------------- measuring
    @staticmethod
    def space_width(font: ImageFont.FreeTypeFont) -> float:
        return max(font.getlength(' '), font.size * 0.2)

    @staticmethod
    def word_width(text: str, font: ImageFont.FreeTypeFont, tracking: float = 0.0) -> float:
        if tracking:
            return sum(font.getlength(c) for c in text) + tracking * (len(text) - 1)
        return font.getlength(text)

    def line_width(self, tokens: Sequence[str], font, space: float = None,
                   tracking: float = 0.0) -> float:
        space = self.space_width(font) + 2 * tracking if space is None else space
        return (sum(self.word_width(t, font, tracking) for t in tokens)
                + space * max(0, len(tokens) - 1))

    # ---------------------------------------------------------------- drawing
    def draw_word(self, x: float, baseline: float, text: str, font, fill: Color,
                  tracking: float = 0.0, annotate: bool = True, stroke: int = 0,
                  stroke_fill: Color = None) -> float:
        """Draw one word with its left edge at x on the baseline; return its advance width.

        ``stroke`` outlines the glyphs (signs); the box then includes the outline.
        """
        if stroke:
            self.draw.text((x, baseline), text, font=font, fill=fill, anchor='ls',
                           stroke_width=stroke, stroke_fill=stroke_fill)
            l, top, r, bottom = font.getbbox(text, anchor='ls', stroke_width=stroke)
            if r > l and annotate:
                pad = self.pad * font.size
                y0 = baseline + min(top, cap_top(font) - stroke) - pad
                self.words.append(Word(text, box_polygon(x + l - pad, y0, x + r + pad,
                                                         baseline + max(bottom, stroke) + pad)))
            return font.getlength(text)
        if tracking:
            cx, boxes = x, []
            for ch in text:
                self.draw.text((cx, baseline), ch, font=font, fill=fill, anchor='ls')
                l, t, r, b = _ink_box(font, ch)
                if r > l:
                    boxes.append((cx + l, t, cx + r, b))
                cx += font.getlength(ch) + tracking
            width = cx - tracking - x
            if not boxes:
                return width
            left, right = boxes[0][0], max(b[2] for b in boxes)
            top, bottom = min(b[1] for b in boxes), max(b[3] for b in boxes)
        else:
            self.draw.text((x, baseline), text, font=font, fill=fill, anchor='ls')
            l, top, r, bottom = _ink_box(font, text)
            left, right, width = x + l, x + r, font.getlength(text)
            if r <= l:
                return width
        if annotate:
            pad = self.pad * font.size
            y0 = baseline + min(top, cap_top(font)) - pad
            y1 = baseline + max(bottom, 0) + pad
            self.words.append(Word(text, box_polygon(left - pad, y0, right + pad, y1)))
        return width

    def draw_line(self, x: float, baseline: float, tokens: Sequence[str], font, fill: Color,
                  space: float = None, tracking: float = 0.0, annotate: bool = True,
                  **style) -> float:
        """Draw tokens separated by ``space`` pixels; return the x after the last one.

        With letter ``tracking`` the default gap grows by twice the tracking, so words stay
        further apart than letters (as on letter-spaced dot-matrix receipts).
        """
        space = self.space_width(font) + 2 * tracking if space is None else space
        for i, tok in enumerate(tokens):
            x += self.draw_word(x, baseline, tok, font, fill, tracking, annotate, **style)
            if i < len(tokens) - 1:
                x += space
        return x

    # ---------------------------------------------------------------- compositing
    def paste_warped(self, other: 'Canvas', matrix: np.ndarray, mask: np.ndarray = None) -> None:
        """Composite ``other`` through the 3x3 homography ``matrix`` (other -> self pixels),
        carrying its words along. ``mask`` (other's size, 0..255) limits what is pasted."""
        w, h = self.size
        ow, oh = other.size
        corners = np.array([[[0, 0], [ow, 0], [ow, oh], [0, oh]]], np.float64)
        dst = cv2.perspectiveTransform(corners, matrix)[0]
        x0, y0 = np.floor(dst.min(0)).astype(int).clip(0, [w, h])
        x1, y1 = np.ceil(dst.max(0)).astype(int).clip(0, [w, h])
        if x1 > x0 and y1 > y0:  # warp only the region the pasted image lands on
            shift = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]], np.float64) @ matrix
            size = (int(x1 - x0), int(y1 - y0))
            src = np.asarray(other.img)
            if mask is None:
                mask = np.full(src.shape[:2], 255, np.uint8)
            warped = cv2.warpPerspective(src, shift, size, flags=cv2.INTER_LINEAR,
                                         borderMode=cv2.BORDER_CONSTANT, borderValue=0)
            alpha = cv2.warpPerspective(mask, shift, size, flags=cv2.INTER_LINEAR,
                                        borderMode=cv2.BORDER_CONSTANT, borderValue=0)
            base = np.array(self.img)
            roi = base[y0:y1, x0:x1].astype(np.float32)
            a = alpha.astype(np.float32)[..., None] * (1.0 / 255.0)
            roi += (warped.astype(np.float32) - roi) * a
            base[y0:y1, x0:x1] = roi.round().clip(0, 255).astype(np.uint8)
            self.set_array(base)
        for word in other.words:
            poly = cv2.perspectiveTransform(word.polygon[None].astype(np.float64), matrix)[0]
            self.words.append(Word(word.text, poly.astype(np.float32), word.ignore))

    def set_array(self, arr: np.ndarray) -> None:
        self.img = Image.fromarray(arr)
        self.draw = ImageDraw.Draw(self.img)

    def array(self) -> np.ndarray:
        return np.asarray(self.img)
