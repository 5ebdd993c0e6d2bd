"""Draw a word with a font into coverage masks and build the coloured, styled text layer.

Masks are float32 (h, w) in 0..1 on a shared canvas so styles (outline, shadow, extrusion)
line up. The text layer is premultiplied RGB plus alpha, ready for warping and compositing.
"""
from dataclasses import dataclass
from typing import Optional, Tuple

import cv2
import numpy as np
from PIL import Image, ImageDraw

from .fonts import load_font


@dataclass
class TextMasks:
    fill: np.ndarray            # glyph coverage (after faux bold)
    outer: Optional[np.ndarray]  # glyph coverage grown by the outline width, if any
    line_box: Tuple[int, int, int, int]  # x0, y0, x1, y1 of the font's line box (ascent..descent)


def render_masks(text: str, font_path: str, size: int, spacing: float = 0.0,
                 bold_px: int = 0, outline_px: int = 0) -> TextMasks:
    """Coverage masks of `text` set in one line.

    spacing: extra tracking between characters as a fraction of the font size (may be < 0).
    """
    font = load_font(font_path, size)
    ascent, descent = font.getmetrics()
    grow = bold_px + outline_px
    if spacing == 0:
        xs = [0.0]
        width = font.getlength(text)
        pieces = [text]
    else:  # per-character placement; kerning is lost, tracking dominates anyway
        xs, x = [], 0.0
        for c in text:
            xs.append(x)
            x += font.getlength(c) + spacing * size
        width = x - spacing * size
        pieces = list(text)
    # glyphs can overhang their advance (italics, swashes): generous padding, trimmed later
    pad = grow + size // 2 + 2
    W = int(np.ceil(max(width, 1))) + 2 * pad
    H = ascent + descent + 2 * pad

    def draw(stroke):
        img = Image.new('L', (W, H), 0)
        d = ImageDraw.Draw(img)
        for x, piece in zip(xs, pieces):
            d.text((pad + x, pad + ascent), piece, font=font, fill=255, anchor='ls',
                   stroke_width=stroke, stroke_fill=255)
        return np.asarray(img, dtype=np.float32) / 255

    fill = draw(bold_px)
    outer = draw(grow) if outline_px > 0 else None
    line_box = (pad, pad, pad + int(np.ceil(width)), pad + ascent + descent)
    return TextMasks(fill, outer, line_box)


def crop_masks(masks: TextMasks, pad: int) -> TextMasks:
    """Cut the canvas down to the glyphs and line box plus `pad` (room for shadows)."""
    body = masks.outer if masks.outer is not None else masks.fill
    ys = np.nonzero(body.max(1) > 0)[0]
    xs = np.nonzero(body.max(0) > 0)[0]
    lx0, ly0, lx1, ly1 = masks.line_box
    x0, y0 = min(lx0, xs[0] if len(xs) else lx0), min(ly0, ys[0] if len(ys) else ly0)
    x1, y1 = max(lx1, xs[-1] + 1 if len(xs) else lx1), max(ly1, ys[-1] + 1 if len(ys) else ly1)
    h, w = body.shape
    x0, y0 = max(x0 - pad, 0), max(y0 - pad, 0)
    x1, y1 = min(x1 + pad, w), min(y1 + pad, h)
    cut = (slice(y0, y1), slice(x0, x1))
    return TextMasks(masks.fill[cut], None if masks.outer is None else masks.outer[cut],
                     (lx0 - x0, ly0 - y0, lx1 - x0, ly1 - y0))


def _shift(mask: np.ndarray, dx: float, dy: float) -> np.ndarray:
    m = np.float32([[1, 0, dx], [0, 1, dy]])
    return cv2.warpAffine(mask, m, (mask.shape[1], mask.shape[0]), flags=cv2.INTER_LINEAR)


def _over(dst_rgb, dst_a, rgb, a):
    """Porter-Duff 'over' on premultiplied colour: (rgb, a) drawn on top of (dst_rgb, dst_a)."""
    a3 = a[..., None]
    return rgb * a3 + dst_rgb * (1 - a3), a + dst_a * (1 - a)


@dataclass
class TextStyle:
    fill: np.ndarray                      # RGB
    fill_to: Optional[np.ndarray] = None  # second colour for a vertical gradient fill
    outline: Optional[np.ndarray] = None
    shadow: Optional[np.ndarray] = None
    shadow_offset: Tuple[float, float] = (0.0, 0.0)
    shadow_blur: float = 0.0
    shadow_alpha: float = 0.7
    extrude: Optional[np.ndarray] = None
    extrude_offset: Tuple[float, float] = (0.0, 0.0)
    opacity: float = 1.0


def compose_text_layer(masks: TextMasks, style: TextStyle) -> Tuple[np.ndarray, np.ndarray]:
    """Premultiplied RGB (h, w, 3) and alpha (h, w) of the styled text, bottom to top:
    shadow, extrusion, outline, fill."""
    h, w = masks.fill.shape
    rgb = np.zeros((h, w, 3), np.float32)
    alpha = np.zeros((h, w), np.float32)
    body = masks.outer if masks.outer is not None else masks.fill

    if style.shadow is not None:
        sh = _shift(body, *style.shadow_offset)
        if style.shadow_blur > 0:
            sh = cv2.GaussianBlur(sh, (0, 0), style.shadow_blur)
        rgb, alpha = _over(rgb, alpha, np.asarray(style.shadow, np.float32),
                           sh * style.shadow_alpha)

    if style.extrude is not None:
        dx, dy = style.extrude_offset
        steps = int(max(abs(dx), abs(dy))) + 1
        ext = np.zeros_like(body)
        for k in range(steps, 0, -1):
            ext = np.maximum(ext, _shift(body, dx * k / steps, dy * k / steps))
        rgb, alpha = _over(rgb, alpha, np.asarray(style.extrude, np.float32), ext)

    if masks.outer is not None and style.outline is not None:
        rgb, alpha = _over(rgb, alpha, np.asarray(style.outline, np.float32), masks.outer)

    if style.fill_to is not None:
        ys = np.nonzero(masks.fill.max(1) > 0)[0]
        y0, y1 = (ys[0], ys[-1]) if len(ys) else (0, h - 1)
        t = np.clip((np.arange(h, dtype=np.float32) - y0) / max(y1 - y0, 1), 0, 1)[:, None, None]
        color = style.fill * (1 - t) + style.fill_to * t
    else:
        color = np.asarray(style.fill, np.float32)
    rgb, alpha = _over(rgb, alpha, color, masks.fill)
    if style.opacity < 1:
        rgb, alpha = rgb * style.opacity, alpha * style.opacity
    return rgb, alpha
