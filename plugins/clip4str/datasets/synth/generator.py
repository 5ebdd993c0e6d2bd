"""One synthetic word image from (seed, index): text -> font -> styled glyphs -> warp ->
background + distractors -> resize -> photometric degradations -> encoded bytes.

Sample i depends only on (seed, i): its random numbers come from
``np.random.default_rng([seed, i])``, so any split over workers gives identical bytes.
"""
import hashlib
import json
from typing import Any, Optional, Tuple

import cv2
import numpy as np

from . import degrade
from .backgrounds import BackgroundSampler
from .charset import DEFAULT_DICT, load_charset
from .clutter import neighbour_text, rule_line
from .colors import contrasting_color, luminance, random_color, sample_contrast, shade
from .fonts import DEFAULT_CACHE, DEFAULT_FONT_DIRS, FontBank
from .geometry import arc, ink_box, random_homography, warp_homography, wave
from .render import TextStyle, compose_text_layer, crop_masks, render_masks
from .text_sources import TextSampler

GENERATOR_VERSION = 1  # bump when the same config would render different images

# Probabilities and ranges of the rendering choices; override any of them via `style=`.
DEFAULT_STYLE = dict(
    font_size=(28, 80),          # render size in px before the final resize
    out_height=((0.15, 12, 20), (0.45, 20, 40), (0.3, 40, 72), (0.1, 72, 110)),  # (p, lo, hi)
    max_width=1600, max_height=128,
    min_char_px=4.5,             # output width per character at least (grows the height)
    p_spacing=0.2, spacing=(-0.04, 0.5),          # extra tracking, fraction of font size
    p_bold=0.12, p_outline=0.14, p_shadow=0.14, p_glow=0.03, p_extrude=0.05,
    p_gradient_fill=0.1,
    p_translucent=0.05, p_texture_through=0.12,
    p_arc=0.06, arc_angle=(0.3, 2.2), p_wave=0.03,
    p_rotate=0.5, rotate_small=3.0, p_rotate_large=0.08, rotate_large=25.0,
    p_shear=0.15, shear=0.35, p_perspective=0.35, perspective=(0.02, 0.3),
    p_line_box=0.3,               # crop around the font's line box instead of the ink
    margin_modes=((0.42, 0.0, 0.08), (0.36, 0.05, 0.3), (0.15, 0.2, 0.8)),  # (p, lo, hi) x size
    p_clip_margin=0.07, clip_margin=0.15,
    p_low_contrast=0.12,
    p_neighbour_text=0.3, p_rule_line=0.1,
    p_clean=0.12,                 # born-digital look: skip most camera degradations
    p_illumination=0.3, p_cast_shadow=0.08, p_highlight=0.05, p_color_jitter=0.5,
    p_gaussian_blur=0.3, p_motion_blur=0.08, p_defocus=0.05, p_noise=0.4, p_low_res=0.12,
    p_jpeg=0.3, p_grayscale=0.07, p_invert=0.03,
    min_legibility=0.13,          # redraw when text and background end up this close
)


class IllegibleSample(Exception):
    pass


def legible(img: np.ndarray, alpha: np.ndarray, min_diff: float) -> bool:
    """Whether glyph pixels still differ from the background around them after degradation
    (median luminance difference; medians ignore noise and thin outlines)."""
    lum = img @ np.float32([0.299, 0.587, 0.114])
    core = alpha > 0.6
    if core.sum() < 3:
        return False
    near = cv2.dilate(core.astype(np.uint8), np.ones((7, 7), np.uint8)) > 0
    ring = near & (alpha < 0.05)
    if ring.sum() < 3:
        ring = alpha < 0.05
    if ring.sum() < 3:
        return True  # text fills the crop: nothing to compare with
    return abs(float(np.median(lum[core])) - float(np.median(lum[ring]))) >= min_diff


def config_digest(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()[:16]


class SynthGenerator:
    """Renders labelled word images.

    Args:
        seed: the dataset seed.
        text: keyword arguments of :class:`TextSampler`.
        fonts: keyword arguments of :class:`FontBank` (``fonts`` = files/dirs, ``cache_file``).
        backgrounds: dict(weights=..., photo_files=...) for :class:`BackgroundSampler`.
        style: overrides of :data:`DEFAULT_STYLE`.
        image_format: 'jpg' or 'png' for :meth:`encode`; jpg_quality for storage.
    """

    def __init__(self, seed: int = 0, text: Optional[dict] = None, fonts: Optional[dict] = None,
                 backgrounds: Optional[dict] = None, style: Optional[dict] = None,
                 image_format: str = 'jpg', jpg_quality: int = 95,
                 dict_file: str = str(DEFAULT_DICT)):
        unknown = set(style or {}) - set(DEFAULT_STYLE)
        if unknown:
            raise ValueError(f'unknown style keys {sorted(unknown)}; '
                             f'known: {sorted(DEFAULT_STYLE)}')
        if image_format not in ('jpg', 'png'):
            raise ValueError(f"image_format must be 'jpg' or 'png', got {image_format!r}")
        self.seed = int(seed)
        self.style = dict(DEFAULT_STYLE, **(style or {}))
        self.charset = load_charset(dict_file)
        self.text = TextSampler(dict_file=dict_file, **(text or {}))
        font_kw = {'fonts': DEFAULT_FONT_DIRS, 'cache_file': DEFAULT_CACHE, **(fonts or {})}
        self.fonts = FontBank(charset=self.charset, **font_kw)
        self.backgrounds = BackgroundSampler(**(backgrounds or {}))
        self.image_format, self.jpg_quality = image_format, int(jpg_quality)
        # what determines the output, for resume checks (font files by path, not content)
        self.digest = config_digest(dict(
            version=GENERATOR_VERSION, style=self.style, text=self.text.settings,
            charset=self.charset, fonts=[f.path for f in self.fonts.fonts],
            backgrounds=self.backgrounds.settings, image_format=image_format,
            jpg_quality=jpg_quality))

    # ---- public ------------------------------------------------------------------------------
    def render(self, index: int) -> Tuple[np.ndarray, str]:
        """(RGB uint8 image, label) of sample `index`."""
        last = None
        for attempt in range(8):
            key = [self.seed, int(index)] + ([attempt] if attempt else [])
            try:
                img, label = self._render(np.random.default_rng(key))
            except Exception as e:  # a font or warp corner case: redraw deterministically
                last = e
                continue
            if img.shape[0] >= 4 and img.shape[1] >= 4:
                return img, label
        raise RuntimeError(f'sample {index} (seed {self.seed}) failed 8 times: {last!r}')

    def encode(self, index: int) -> Tuple[bytes, str]:
        img, label = self.render(index)
        bgr = cv2.cvtColor(img, cv2.COLOR_RGB2BGR)  # mmcv/cv2 decode to BGR
        if self.image_format == 'jpg':
            ok, buf = cv2.imencode('.jpg', bgr, [cv2.IMWRITE_JPEG_QUALITY, self.jpg_quality])
        else:
            ok, buf = cv2.imencode('.png', bgr, [cv2.IMWRITE_PNG_COMPRESSION, 6])
        if not ok:
            raise RuntimeError(f'could not encode sample {index}')
        return buf.tobytes(), label

    # ---- pipeline ----------------------------------------------------------------------------
    def _render(self, rng: np.random.Generator) -> Tuple[np.ndarray, str]:
        st = self.style
        text = self.text.sample(rng)
        font = self.fonts.sample(rng, text)
        if font.caps_only:
            text = text.upper()
        size = int(rng.integers(st['font_size'][0], st['font_size'][1] + 1))

        # glyph masks
        spacing = float(rng.uniform(*st['spacing'])) if rng.random() < st['p_spacing'] else 0.0
        bold_px = int(rng.integers(1, max(2, size // 22) + 1)) if rng.random() < st['p_bold'] else 0
        outline_px = (int(rng.integers(1, max(2, size // 12) + 1))
                      if rng.random() < st['p_outline'] else 0)
        masks = render_masks(text, font.path, size, spacing, bold_px, outline_px)

        # colours: background tone first, text contrasting with it
        bg_color = random_color(rng)
        min_contrast = sample_contrast(rng, st['p_low_contrast'])
        style = self._text_style(rng, bg_color, min_contrast, size, outline_px > 0)
        reach = max(np.abs(style.shadow_offset).max() + 3 * style.shadow_blur,
                    np.abs(style.extrude_offset).max())
        masks = crop_masks(masks, int(reach) + size // 3 + 2)
        rgb, alpha = compose_text_layer(masks, style)
        x0, y0, x1, y1 = masks.line_box
        line = np.zeros_like(alpha)
        line[y0:y1, x0:x1] = 1
        stack = np.dstack([rgb, alpha, line])
        stack = self._trim(stack, pad=size // 3 + 2)

        stack = self._warp(rng, stack, size)
        box = ink_box(stack[..., 3], 0.15)
        if rng.random() < st['p_line_box']:  # font line box height; never cut overhanging ink
            lx0, ly0, lx1, ly1 = ink_box(stack[..., 4], 0.5)
            box = (min(box[0], lx0), ly0, max(box[2], lx1), ly1)

        # canvas with margins around the box (sometimes negative: clipped)
        canvas_box = self._margins(rng, box, size, stack.shape)
        cx0, cy0, cx1, cy1 = canvas_box
        H, W = cy1 - cy0, cx1 - cx0
        layer = np.zeros((H, W, 5), np.float32)
        sx0, sy0 = max(cx0, 0), max(cy0, 0)
        sx1, sy1 = min(cx1, stack.shape[1]), min(cy1, stack.shape[0])
        layer[sy0 - cy0:sy1 - cy0, sx0 - cx0:sx1 - cx0] = stack[sy0:sy1, sx0:sx1]

        kind, bg = self.backgrounds(rng, H, W, bg_color)
        word_box = (box[0] - cx0, box[1] - cy0, box[2] - cx0, box[3] - cy0)
        if rng.random() < st['p_rule_line']:
            rule_line(rng, bg, word_box)
        if rng.random() < st['p_neighbour_text']:
            for _ in range(int(rng.integers(1, 3))):
                neighbour_text(rng, bg, word_box, size, style.fill, self.text.sample,
                               self._font_for)

        t_rgb, t_a = layer[..., :3], layer[..., 3]
        # busy or two-tone backgrounds can swallow the text: recolour plain text against what
        # actually lies behind it (outlines and shadows carry their own contrast)
        behind = bg[t_a > 0.5]
        plain = style.outline is None and style.shadow is None and style.extrude is None
        if plain and len(behind) and \
                abs(luminance(behind) - luminance(style.fill)) < min_contrast * 0.6:
            t_rgb = contrasting_color(rng, behind.mean(0), min_contrast) * t_a[..., None]
        if rng.random() < st['p_texture_through']:  # paint on a rough surface
            lum = bg.mean(2, keepdims=True)
            t_rgb = t_rgb * np.clip(0.5 + lum / max(float(lum.mean()), 1e-3) * 0.5, 0, 1.5)
        img = bg * (1 - t_a[..., None]) + t_rgb
        img = np.clip(img, 0, 1)

        both = self._resize(rng, np.dstack([img, t_a]), len(text))
        img, t_a = both[..., :3], both[..., 3]
        img = self._degrade(rng, img)
        if not legible(img, t_a, st['min_legibility']):
            raise IllegibleSample(f'text/background contrast below {st["min_legibility"]}')
        out = (np.clip(img, 0, 1) * 255 + 0.5).astype(np.uint8)
        return np.ascontiguousarray(out), text

    def _font_for(self, rng, text):
        return self.fonts.sample(rng, text)

    def _text_style(self, rng, bg_color, min_contrast, size, has_outline) -> TextStyle:
        st = self.style
        fill = contrasting_color(rng, bg_color, min_contrast)
        style = TextStyle(fill=fill)
        if rng.random() < st['p_gradient_fill']:
            style.fill_to = shade(fill, rng.uniform(0.5, 1.7))
        if has_outline:
            style.outline = (contrasting_color(rng, fill, 0.3) if rng.random() < 0.7
                             else random_color(rng))
        if rng.random() < st['p_glow']:  # neon / backlit letters: a soft halo, no offset
            style.shadow = shade(fill, rng.uniform(1.2, 3.0)) if rng.random() < 0.7 \
                else random_color(rng)
            style.shadow_blur = float(size * rng.uniform(0.06, 0.2))
            style.shadow_alpha = float(rng.uniform(0.6, 1.0))
        elif rng.random() < st['p_shadow']:
            style.shadow = shade(random_color(rng), rng.uniform(0.0, 0.5))
            d = size * rng.uniform(0.03, 0.12)
            a = rng.uniform(0, 2 * np.pi)
            style.shadow_offset = (d * np.cos(a), d * np.sin(a))
            style.shadow_blur = float(rng.uniform(0, size * 0.08)) if rng.random() < 0.6 else 0.0
            style.shadow_alpha = float(rng.uniform(0.4, 1.0))
        if rng.random() < st['p_extrude']:
            style.extrude = shade(fill, rng.uniform(0.3, 0.7))
            d = size * rng.uniform(0.04, 0.12)
            a = rng.uniform(0, 2 * np.pi)
            style.extrude_offset = (d * np.cos(a), d * np.sin(a))
        if rng.random() < st['p_translucent']:
            style.opacity = float(rng.uniform(0.55, 0.9))
        return style

    @staticmethod
    def _trim(stack, pad):
        x0, y0, x1, y1 = ink_box(np.maximum(stack[..., 3], stack[..., 4]), 0.01)
        h, w = stack.shape[:2]
        return stack[max(y0 - pad, 0):min(y1 + pad, h), max(x0 - pad, 0):min(x1 + pad, w)]

    def _warp(self, rng, stack, size):
        st = self.style
        if rng.random() < st['p_arc']:
            ang = rng.uniform(*st['arc_angle']) * (1 if rng.random() < 0.6 else -1)
            stack = arc(stack, ang)
        elif rng.random() < st['p_wave']:
            amplitude = size * rng.uniform(0.05, 0.2)
            period = stack.shape[1] * rng.uniform(0.4, 1.5)
            stack = wave(stack, amplitude, period, rng.uniform(0, 2 * np.pi))
        rot = 0.0
        if rng.random() < st['p_rotate_large']:
            rot = rng.uniform(-st['rotate_large'], st['rotate_large'])
        elif rng.random() < st['p_rotate']:
            rot = rng.normal(0, st['rotate_small'] / 2)
        shear = rng.uniform(-st['shear'], st['shear']) if rng.random() < st['p_shear'] else 0.0
        persp = rng.uniform(*st['perspective']) if rng.random() < st['p_perspective'] else 0.0
        if rot == 0 and shear == 0 and persp == 0:
            return stack
        h, w = stack.shape[:2]
        m = random_homography(rng, w, h, rot, shear, persp)
        out, _ = warp_homography(stack, m)
        return out

    def _margins(self, rng, box, size, shape):
        st = self.style
        modes = st['margin_modes']
        p = np.array([m[0] for m in modes])
        k = int(np.searchsorted(np.cumsum(p / p.sum()), rng.random()))
        _, lo, hi = modes[min(k, len(modes) - 1)]
        ref = min(size, box[3] - box[1])
        # independent sides, horizontal margins a bit looser like real annotations
        m = rng.uniform(lo, hi, 4) * ref * np.array([1.3, 1.0, 1.3, 1.0])
        if rng.random() < st['p_clip_margin']:
            side = 1 if rng.random() < 0.5 else 3  # top or bottom cut into the glyphs
            m[side] = -rng.uniform(0.02, st['clip_margin']) * ref
        x0, y0, x1, y1 = box
        cx0, cy0 = int(round(x0 - m[0])), int(round(y0 - m[1]))
        cx1, cy1 = int(round(x1 + m[2])), int(round(y1 + m[3]))
        if cx1 - cx0 < 2:
            cx1 = cx0 + 2
        if cy1 - cy0 < 2:
            cy1 = cy0 + 2
        return cx0, cy0, cx1, cy1

    def _resize(self, rng, img, n_chars):
        st = self.style
        modes = st['out_height']
        p = np.array([m[0] for m in modes])
        k = int(np.searchsorted(np.cumsum(p / p.sum()), rng.random()))
        _, lo, hi = modes[min(k, len(modes) - 1)]
        h_out = int(rng.integers(lo, hi + 1))
        H, W = img.shape[:2]
        # a long word squeezed into a tiny crop is unreadable noise: keep a few px per character
        h_min = int(np.ceil(st['min_char_px'] * n_chars * H / W))
        h_out = max(h_out, min(h_min, st['max_height']))
        w_out = int(np.clip(round(W * h_out / H), 4, st['max_width']))
        if h_out < H:
            interp = cv2.INTER_AREA if rng.random() < 0.7 else cv2.INTER_LINEAR
        else:
            interp = cv2.INTER_CUBIC if rng.random() < 0.5 else cv2.INTER_LINEAR
        return cv2.resize(img, (w_out, h_out), interpolation=interp)

    def _degrade(self, rng, img):
        st = self.style
        clean = rng.random() < st['p_clean']

        def maybe(name, fn):
            nonlocal img
            if rng.random() < st[name]:
                img = np.clip(fn(rng, img), 0, 1).astype(np.float32)

        if not clean:
            maybe('p_illumination', degrade.illumination)
            maybe('p_cast_shadow', degrade.cast_shadow)
            maybe('p_highlight', degrade.highlight)
        maybe('p_color_jitter', degrade.color_jitter)
        if not clean:
            r = rng.random()
            if r < st['p_gaussian_blur']:
                img = degrade.gaussian_blur(rng, img)
            elif r < st['p_gaussian_blur'] + st['p_motion_blur']:
                img = degrade.motion_blur(rng, img)
            elif r < st['p_gaussian_blur'] + st['p_motion_blur'] + st['p_defocus']:
                img = degrade.defocus(rng, img)
            maybe('p_low_res', degrade.low_res)
            maybe('p_noise', degrade.noise)
            maybe('p_jpeg', degrade.jpeg)
        maybe('p_grayscale', degrade.grayscale)
        maybe('p_invert', degrade.invert)
        return img
