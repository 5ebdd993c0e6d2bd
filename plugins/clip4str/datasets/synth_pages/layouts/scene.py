"""Photo-like scenes: signs and painted words, seen at an angle, on cluttered backdrops, so the
detector also learns text that is not black-on-white print."""
import cv2
import numpy as np

from .. import backgrounds
from ..canvas import Canvas, Word, box_polygon, cap_top
from .common import Ctx, font_for_cap, log_uniform

SCENE_ASPECTS = (4 / 3, 16 / 9, 3 / 4, 1.0)


def luminance(c) -> float:
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]


def contrasting(rng, against, min_diff: float = 90.0):
    for _ in range(20):
        c = backgrounds.random_color(rng)
        if abs(luminance(c) - luminance(against)) >= min_diff:
            return c
    return (0, 0, 0) if luminance(against) > 127 else (255, 255, 255)


def _sign(ctx: Ctx, cap_px: float, backdrop_color):
    """A sign's canvas and paste mask: a coloured panel, or bare painted letters."""
    rng, t = ctx.rng, ctx.text
    font = font_for_cap(ctx.fonts, ctx.fonts.pick(rng, 'bold' if rng.random() < 0.6 else 'any'),
                        cap_px)
    upper = rng.random() < 0.5
    lines = []
    for _ in range(int(rng.integers(1, 4))):
        r = rng.random()
        words = (t.title(1, 3) if r < 0.6 else [t.price()] if r < 0.7 else [t.code()] if r < 0.8
                 else t.tokens(int(rng.integers(1, 4))))
        lines.append([w.upper() for w in words] if upper else words)
    scratch = Canvas((8, 8))
    widths = [scratch.line_width(line, font) for line in lines]
    lh = font.size * rng.uniform(1.1, 1.5)
    pad = font.size * rng.uniform(0.3, 1.0)
    w, h = int(max(widths) + 2 * pad), int(len(lines) * lh + 2 * pad)
    painted = rng.random() < 0.35
    panel = backgrounds.random_color(rng)
    color = contrasting(rng, backdrop_color if painted else panel)
    stroke = int(rng.integers(1, max(2, font.size // 12))) if rng.random() < 0.2 else 0
    sign = Canvas((w, h), background=panel)
    mask = Canvas((w, h), background=(0, 0, 0))
    align = rng.choice(['left', 'center'])
    for i, (line, lw) in enumerate(zip(lines, widths)):
        x = pad if align == 'left' else (w - lw) / 2
        base = pad + i * lh + (lh - font.size) / 2 - cap_top(font)
        style = dict(stroke=stroke, stroke_fill=contrasting(rng, color)) if stroke else {}
        sign.draw_line(x, base, line, font, color, **style)
        mask.draw_line(x, base, line, font, (255, 255, 255), annotate=False,
                       **(dict(stroke=stroke, stroke_fill=(255, 255, 255)) if stroke else {}))
    if painted:
        alpha = cv2.dilate(mask.array()[..., 0], np.ones((3, 3), np.uint8))
    else:
        alpha = np.full((h, w), 255, np.uint8)
        if rng.random() < 0.5:  # a frame around the panel
            sign.draw.rectangle([0, 0, w - 1, h - 1], outline=contrasting(rng, panel),
                                width=int(rng.integers(1, 6)))
    return sign, alpha


def _real_sign(ctx: Ctx, cap_px: float):
    """A real photographed word (crop) as a sign, with feathered edges so its rectangle is not
    a give-away; the word box is the crop minus its usual margin."""
    rng = ctx.rng
    img, text = ctx.crops.sample(rng)
    h0, w0 = img.shape[:2]
    scale = cap_px * rng.uniform(1.3, 1.9) / h0
    w, h = max(8, int(round(w0 * scale))), max(8, int(round(h0 * scale)))
    img = cv2.resize(img, (w, h), interpolation=cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA)
    sign = Canvas((w, h))
    sign.set_array(np.ascontiguousarray(img))
    mx, my = 0.03 * w, 0.08 * h
    sign.words.append(Word(''.join(text.split()) or text, box_polygon(mx, my, w - mx, h - my)))
    alpha = np.zeros((h, w), np.float32)
    edge = max(1, int(min(w, h) * 0.06))
    alpha[edge:h - edge, edge:w - edge] = 1.0
    alpha = cv2.GaussianBlur(alpha, (0, 0), edge)
    return sign, (alpha / max(alpha.max(), 1e-6) * 255).astype(np.uint8)


def _placement(rng, size, sign_size, scale):
    """Homography putting the sign at a random place, angle and perspective."""
    W, H = size
    w, h = sign_size
    cx, cy = rng.uniform(0.1, 0.9) * W, rng.uniform(0.1, 0.9) * H
    angle = np.deg2rad(rng.normal(0, 12) if rng.random() < 0.8 else rng.uniform(-60, 60))
    half = np.array([[-w, -h], [w, -h], [w, h], [-w, h]], np.float32) * 0.5 * scale
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]], np.float32)
    dst = half @ rot.T + np.array([cx, cy], np.float32)
    dst += rng.normal(0, 0.08 * min(w, h) * scale, dst.shape).astype(np.float32)  # perspective
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    return cv2.getPerspectiveTransform(src, dst), dst


def render_scene(ctx: Ctx) -> Canvas:
    rng = ctx.rng
    aspect = float(rng.choice(SCENE_ASPECTS))
    long_side = int(rng.integers(800, 1600))
    size = (long_side, int(long_side / aspect)) if aspect >= 1 else (int(long_side * aspect),
                                                                     long_side)
    canvas = Canvas(size)
    canvas.set_array(backgrounds.scene(rng, size))
    backdrop = tuple(int(v) for v in canvas.array().reshape(-1, 3).mean(0))
    taken, wanted = [], int(rng.integers(3, 14))
    for _ in range(wanted * 4):
        if len(taken) >= wanted:
            break
        # mostly shop-sign sizes; now and then one big word (a third of the short side), which
        # photos have and a detector trained only on small text misses
        big = not taken and rng.random() < 0.35
        cap_px = log_uniform(rng, min(size) / 10, min(size) / 3) if big else \
            log_uniform(rng, 9, min(size) / 10)
        if ctx.crops is not None and rng.random() < 0.5:
            sign, alpha = _real_sign(ctx, cap_px)
        else:
            sign, alpha = _sign(ctx, cap_px, backdrop)
        scale = min(1.0, 0.9 * size[0] / sign.size[0], 0.9 * size[1] / sign.size[1])
        matrix, quad = _placement(rng, size, sign.size, scale)
        box = np.concatenate([quad.min(0), quad.max(0)])
        if box[0] < 0 or box[1] < 0 or box[2] > size[0] or box[3] > size[1]:
            continue
        if any(not (box[2] < b[0] or b[2] < box[0] or box[3] < b[1] or b[3] < box[1])
               for b in taken):
            continue  # signs never cover each other's words
        taken.append(box)
        canvas.paste_warped(sign, matrix, alpha)
    return canvas
