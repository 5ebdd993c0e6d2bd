"""Backgrounds: flat, gradients, procedural textures, patterns, sign plates, paper, blurred
scene-like shapes and photo patches. Each builder returns an (h, w, 3) float32 image in 0..1."""
import os
from functools import lru_cache
from typing import Dict, Optional, Sequence, Tuple

import cv2
import numpy as np

from .colors import random_color, shade

IMAGE_EXTS = ('.jpg', '.jpeg', '.png', '.bmp', '.webp')
# scikit-image's bundled sample photos (an mmocr dependency); no text in these
SKIMAGE_PHOTOS = ('astronaut.png', 'brick.png', 'camera.png', 'chelsea.png', 'coffee.png',
                  'coins.png', 'grass.png', 'gravel.png', 'hubble_deep_field.jpg', 'ihc.png',
                  'moon.png', 'motorcycle_left.png', 'motorcycle_right.png', 'retina.jpg',
                  'rocket.jpg', 'clock_motion.png', 'cell.png')


def default_photo_files() -> Tuple[str, ...]:
    try:
        import skimage.data
    except ImportError:
        return ()
    d = os.path.dirname(skimage.data.__file__)
    return tuple(os.path.join(d, f) for f in SKIMAGE_PHOTOS if os.path.isfile(os.path.join(d, f)))


def find_images(paths: Sequence[str]) -> Tuple[str, ...]:
    out = []
    for p in paths:
        p = os.path.expanduser(p)
        if os.path.isdir(p):
            for root, _, files in os.walk(p):
                out += [os.path.join(root, f) for f in files if f.lower().endswith(IMAGE_EXTS)]
        elif os.path.isfile(p):
            out.append(p)
    return tuple(sorted(out))


@lru_cache(maxsize=64)
def _load_photo(path: str) -> Optional[np.ndarray]:
    img = cv2.imread(path, cv2.IMREAD_COLOR)
    if img is None:
        return None
    return cv2.cvtColor(img, cv2.COLOR_BGR2RGB)


def _smooth_noise(rng, h, w, scale, octaves=3, aniso=1.0) -> np.ndarray:
    """Value noise in 0..1: random grids upsampled and summed over octaves."""
    acc = np.zeros((h, w), np.float32)
    amp, total = 1.0, 0.0
    for o in range(octaves):
        gh = max(2, int(h / scale * 2 ** o / aniso) + 2)
        gw = max(2, int(w / scale * 2 ** o) + 2)
        grid = rng.random((gh, gw), dtype=np.float32)
        acc += amp * cv2.resize(grid, (w, h), interpolation=cv2.INTER_CUBIC)
        total += amp
        amp *= 0.5
    acc /= total
    lo, hi = acc.min(), acc.max()
    return (acc - lo) / max(hi - lo, 1e-6)


def _two_tone(mask, c1, c2) -> np.ndarray:
    m = mask[..., None]
    return (c1 * (1 - m) + c2 * m).astype(np.float32)


def flat(rng, h, w, color=None):
    c = random_color(rng) if color is None else color
    return np.broadcast_to(c, (h, w, 3)).astype(np.float32).copy()


def gradient(rng, h, w, color=None):
    c1 = random_color(rng) if color is None else color
    c2 = shade(c1, rng.uniform(0.5, 1.6)) if rng.random() < 0.7 else random_color(rng)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if rng.random() < 0.7:  # linear at a random angle
        a = rng.uniform(0, 2 * np.pi)
        t = xx * np.cos(a) + yy * np.sin(a)
    else:  # radial
        cy, cx = rng.uniform(-0.5, 1.5) * h, rng.uniform(-0.5, 1.5) * w
        t = np.hypot(yy - cy, (xx - cx) * h / max(w, 1))
    t = (t - t.min()) / max(t.max() - t.min(), 1e-6)
    return _two_tone(t, c1, c2)


def noise_texture(rng, h, w, color=None):
    c1 = random_color(rng) if color is None else color
    c2 = shade(c1, rng.uniform(0.4, 1.8)) if rng.random() < 0.75 else random_color(rng)
    aniso = rng.uniform(4, 20) if rng.random() < 0.3 else 1.0  # streaks: brushed metal, wood
    n = _smooth_noise(rng, h, w, scale=rng.uniform(3, 40), octaves=int(rng.integers(1, 5)),
                      aniso=aniso)
    if aniso > 1 and rng.random() < 0.5:
        n = n.T.copy() if h == w else cv2.resize(n.T.copy(), (w, h))
    n = n ** rng.uniform(0.5, 2.0)
    img = _two_tone(n * rng.uniform(0.3, 1.0), c1, c2)
    if rng.random() < 0.5:  # fine grain
        img += rng.normal(0, rng.uniform(0.01, 0.05), (h, w, 1)).astype(np.float32)
    return np.clip(img, 0, 1)


def pattern(rng, h, w, color=None):
    c1 = random_color(rng) if color is None else color
    c2 = shade(c1, rng.uniform(0.6, 1.4))
    img = flat(rng, h, w, c1)
    kind = int(rng.integers(4))
    step = int(rng.integers(4, max(6, h // 2 + 1)))
    t = max(1, int(step * rng.uniform(0.1, 0.5)))
    col = tuple(float(x) for x in c2)
    if kind == 0:  # stripes
        ang = rng.uniform(0, np.pi)
        big = int(np.hypot(h, w)) + step
        canvas = np.zeros((2 * big, 2 * big), np.uint8)
        for y in range(0, 2 * big, step):
            cv2.line(canvas, (0, y), (2 * big - 1, y), 255, t)
        m = cv2.getRotationMatrix2D((big, big), np.degrees(ang), 1.0)
        canvas = cv2.warpAffine(canvas, m, (2 * big, 2 * big))[big - h // 2:big - h // 2 + h,
                                                               big - w // 2:big - w // 2 + w]
        img = _two_tone(canvas.astype(np.float32) / 255, c1, c2)
    elif kind == 1:  # tiles / grid
        for y in range(0, h, step):
            cv2.line(img, (0, y), (w, y), col, t)
        off = step // 2 if rng.random() < 0.5 else 0  # brick offset
        for r, y in enumerate(range(0, h, step)):
            for x in range((off * (r % 2)) - step, w, int(step * rng.uniform(1, 2.5)) or 1):
                cv2.line(img, (x, y), (x, y + step), col, t)
    elif kind == 2:  # dots
        for y in range(0, h + step, step):
            for x in range(0, w + step, step):
                cv2.circle(img, (x, y), t, col, -1)
    else:  # corrugated / panel ridges
        x = np.arange(w, dtype=np.float32)
        wave = 0.5 + 0.5 * np.sin(2 * np.pi * x / max(step, 2))
        img = _two_tone(np.broadcast_to(wave, (h, w)).copy(), c1, c2)
    return cv2.GaussianBlur(img, (0, 0), rng.uniform(0.3, 1.2))


def plate(rng, h, w, color=None):
    """A sign plate seen up close: flat or gently shaded, with edges or a frame visible."""
    c = random_color(rng) if color is None else color
    img = gradient(rng, h, w, c) if rng.random() < 0.5 else flat(rng, h, w, c)
    other = tuple(float(x) for x in random_color(rng))
    kind = int(rng.integers(3))
    if kind == 0:  # plate edge: a band of another surface at one or two sides
        for _ in range(int(rng.integers(1, 3))):
            side = int(rng.integers(4))
            d = int(rng.uniform(0.02, 0.12) * (h if side < 2 else w)) + 1
            if side == 0:
                img[:d] = other
            elif side == 1:
                img[-d:] = other
            elif side == 2:
                img[:, :d] = other
            else:
                img[:, -d:] = other
    elif kind == 1:  # frame line inside the plate
        m = int(rng.uniform(0.02, 0.1) * h) + 1
        cv2.rectangle(img, (m, m), (w - 1 - m, h - 1 - m), other, max(1, int(h * 0.03)))
    else:  # rivets / screws near corners
        r = max(1, int(h * rng.uniform(0.02, 0.05)))
        corners = ((2 * r, 2 * r), (2 * r, w - 2 * r), (h - 2 * r, 2 * r), (h - 2 * r, w - 2 * r))
        for (y, x) in corners:
            cv2.circle(img, (x, y), r, shade(c, 0.6).tolist(), -1)
    return img


def paper(rng, h, w, color=None):
    """Printed-matter background: off-white, fine grain, sometimes ruled or creased."""
    base = np.array([rng.uniform(0.85, 1.0)] * 3, np.float32) + rng.normal(0, 0.02, 3)
    base[2] -= rng.uniform(0, 0.08)  # yellowed paper
    img = flat(rng, h, w, np.clip(base, 0, 1).astype(np.float32))
    img += (_smooth_noise(rng, h, w, scale=rng.uniform(2, 10), octaves=2)[..., None] - 0.5) * \
        rng.uniform(0.0, 0.08)
    if rng.random() < 0.2:
        y = int(rng.uniform(0.7, 1.0) * h) - 1
        cv2.line(img, (0, y), (w, y), (0.6, 0.7, 0.85), 1)
    return np.clip(img, 0, 1)


def scene(rng, h, w, color=None):
    """Blurred clutter of shapes: the world behind a sign, out of focus or not."""
    img = gradient(rng, h, w) if rng.random() < 0.5 else flat(rng, h, w, color)
    for _ in range(int(rng.integers(2, 9))):
        col = tuple(float(x) for x in random_color(rng))
        kind = int(rng.integers(3))
        x0, y0 = int(rng.integers(-w // 2, w)), int(rng.integers(-h // 2, h))
        x1, y1 = x0 + int(rng.integers(2, w + 2)), y0 + int(rng.integers(2, h + 2))
        if kind == 0:
            cv2.rectangle(img, (x0, y0), (x1, y1), col, -1)
        elif kind == 1:
            box = (((x0 + x1) / 2, (y0 + y1) / 2), (abs(x1 - x0), abs(y1 - y0)),
                   float(rng.uniform(0, 180)))
            cv2.ellipse(img, box, col, -1)
        else:
            pts = np.stack([rng.integers(-w // 4, w + w // 4, 4),
                            rng.integers(-h // 4, h + h // 4, 4)], 1).astype(np.int32)
            cv2.fillPoly(img, [pts], col)
    if rng.random() < 0.6:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.5, 0.25 * h + 0.6))
    return img


class PhotoSource:
    """Random patches of real photographs (no text in them), rescaled and recoloured."""

    def __init__(self, files: Sequence[str]):
        self.files = tuple(files)

    def __bool__(self):
        return bool(self.files)

    def __call__(self, rng, h, w, color=None):
        img = _load_photo(self.files[int(rng.integers(len(self.files)))])
        if img is None:  # unreadable file: fall back rather than fail the sample
            return noise_texture(rng, h, w, color)
        ih, iw = img.shape[:2]
        # patch covering a random fraction of the photo, with the output's aspect ratio
        scale = rng.uniform(0.05, 0.6)
        ph = max(4, int(min(ih, iw * h / max(w, 1)) * scale))
        pw = max(4, min(iw, int(ph * w / max(h, 1))))
        ph = max(4, min(ih, ph))
        y, x = int(rng.integers(0, ih - ph + 1)), int(rng.integers(0, iw - pw + 1))
        patch = cv2.resize(img[y:y + ph, x:x + pw], (w, h), interpolation=cv2.INTER_LINEAR)
        out = patch.astype(np.float32) / 255
        if rng.random() < 0.5:
            out = out[:, ::-1]
        if rng.random() < 0.4:  # tint greyscale and colour photos towards a random colour
            out = out * (0.4 + 0.6 * random_color(rng))
        out = out * rng.uniform(0.6, 1.3) + rng.uniform(-0.15, 0.15)
        if rng.random() < 0.4:
            out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.5, 3))
        return np.clip(out, 0, 1).astype(np.float32)


BUILDERS = dict(flat=flat, gradient=gradient, noise=noise_texture, pattern=pattern, plate=plate,
                paper=paper, scene=scene)
DEFAULT_BG_WEIGHTS = dict(flat=0.2, gradient=0.14, noise=0.14, pattern=0.05, plate=0.14,
                          paper=0.1, scene=0.1, photo=0.13)


class BackgroundSampler:
    def __init__(self, weights: Optional[Dict[str, float]] = None,
                 photo_files: Optional[Sequence[str]] = None):
        merged = dict(DEFAULT_BG_WEIGHTS)
        for k, v in (weights or {}).items():
            if k not in merged:
                raise ValueError(f'unknown background kind {k!r}; known: {sorted(merged)}')
            merged[k] = float(v)
        self.photos = PhotoSource(default_photo_files() if photo_files is None
                                  else find_images(photo_files))  # files and/or folders
        if not self.photos:
            merged['photo'] = 0.0
        self.names = [k for k, v in merged.items() if v > 0]
        if not self.names:
            raise ValueError('all background weights are zero')
        p = np.array([merged[k] for k in self.names])
        self.cdf = np.cumsum(p / p.sum())
        self.settings = dict(weights={k: merged[k] for k in self.names},
                             photos=list(self.photos.files))

    def __call__(self, rng, h, w, color=None) -> Tuple[str, np.ndarray]:
        """(kind, image); `color` is the intended dominant tone (ignored by photos/paper)."""
        k = min(int(np.searchsorted(self.cdf, rng.random())), len(self.names) - 1)
        name = self.names[k]
        fn = self.photos if name == 'photo' else BUILDERS[name]
        return name, fn(rng, h, w, color)
