"""Photometric degradations on (h, w, 3) float32 RGB images in 0..1.

Each function draws its own parameters from the Generator it is given; magnitudes are in output
pixels, so they are applied after resizing to the final size.
"""
import cv2
import numpy as np

from .colors import random_color


def illumination(rng, img):
    """Uneven lighting: a brightness ramp or a spotlight / vignette."""
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if rng.random() < 0.6:
        a = rng.uniform(0, 2 * np.pi)
        t = (xx * np.cos(a) + yy * np.sin(a))
        t = (t - t.min()) / max(t.max() - t.min(), 1e-6)
        lo = rng.uniform(0.35, 0.9)
        gain = lo + (1 - lo) * t
    else:
        cy, cx = rng.uniform(0, h), rng.uniform(0, w)
        s = rng.uniform(0.3, 1.2) * max(h, w)
        g = np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * s * s))
        lo = rng.uniform(0.3, 0.85)
        gain = lo + (1 - lo) * g
    return img * gain[..., None]


def cast_shadow(rng, img):
    """A hard or soft shadow edge across the image (half-plane darkened)."""
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = rng.uniform(0, 2 * np.pi)
    d = (xx - rng.uniform(0, w)) * np.cos(a) + (yy - rng.uniform(0, h)) * np.sin(a)
    soft = rng.uniform(0.5, 0.3 * max(h, w) + 1)
    m = 1 / (1 + np.exp(np.clip(-d / soft, -50, 50)))
    dark = rng.uniform(0.35, 0.8)
    return img * (1 - (1 - dark) * m)[..., None]


def highlight(rng, img):
    """Specular glare: a bright soft blob (glossy signs, glass)."""
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cy, cx = rng.uniform(0, h), rng.uniform(0, w)
    sy, sx = rng.uniform(0.2, 1.0) * h, rng.uniform(0.1, 0.6) * w
    g = np.exp(-((yy - cy) ** 2 / (2 * sy * sy) + (xx - cx) ** 2 / (2 * sx * sx)))
    return img + rng.uniform(0.2, 0.7) * g[..., None]


def color_jitter(rng, img):
    out = img
    if rng.random() < 0.7:  # contrast around the mean, brightness
        m = out.mean()
        out = (out - m) * rng.uniform(0.6, 1.4) + m + rng.uniform(-0.15, 0.15)
    if rng.random() < 0.4:  # saturation
        grey = out.mean(axis=2, keepdims=True)
        out = grey + (out - grey) * rng.uniform(0.0, 1.6)
    if rng.random() < 0.3:  # colour cast (tungsten, sodium lamps, cheap sensors)
        out = out * (0.75 + 0.25 * random_color(rng) / max(random_color(rng).max(), 0.3))
    out = np.clip(out, 0, 1)
    if rng.random() < 0.4:
        out = out ** rng.uniform(0.6, 1.6)
    return out


def gaussian_blur(rng, img):
    h = img.shape[0]
    sigma = 0.3 + rng.random() ** 2 * (0.3 + 0.025 * h)  # mostly mild
    return cv2.GaussianBlur(img, (0, 0), sigma)


def motion_blur(rng, img):
    h = img.shape[0]
    n = int(rng.integers(3, max(4, int(3 + 0.08 * h)) + 1))
    k = np.zeros((n, n), np.float32)
    k[n // 2, :] = 1
    m = cv2.getRotationMatrix2D((n / 2 - 0.5, n / 2 - 0.5), float(rng.uniform(0, 180)), 1.0)
    k = cv2.warpAffine(k, m, (n, n))
    k /= max(k.sum(), 1e-6)
    return cv2.filter2D(img, -1, k, borderType=cv2.BORDER_REFLECT)


def defocus(rng, img):
    h = img.shape[0]
    r = int(rng.integers(1, max(2, int(1 + 0.04 * h)) + 1))
    k = np.zeros((2 * r + 1, 2 * r + 1), np.float32)
    cv2.circle(k, (r, r), r, 1.0, -1)
    k /= k.sum()
    return cv2.filter2D(img, -1, k, borderType=cv2.BORDER_REFLECT)


def noise(rng, img):
    kind = rng.random()
    if kind < 0.6:  # sensor noise, sometimes per channel, sometimes luminance only
        sigma = rng.uniform(0.005, 0.08)
        shape = img.shape if rng.random() < 0.6 else img.shape[:2] + (1,)
        return img + rng.normal(0, sigma, shape).astype(np.float32)
    if kind < 0.85:  # signal-dependent (shot) noise
        peak = rng.uniform(20, 200)
        return rng.poisson(np.clip(img, 0, 1) * peak).astype(np.float32) / peak
    out = img.copy()  # salt and pepper
    m = rng.random(img.shape[:2])
    p = rng.uniform(0.002, 0.03)
    out[m < p / 2] = 0
    out[m > 1 - p / 2] = 1
    return out


def low_res(rng, img):
    """Down- then up-sample: the blocky look of far-away text."""
    h, w = img.shape[:2]
    f = rng.uniform(0.25, 0.7)
    sh, sw = max(4, int(h * f)), max(4, int(w * f))
    small = cv2.resize(img, (sw, sh), interpolation=[cv2.INTER_AREA, cv2.INTER_LINEAR,
                                                     cv2.INTER_NEAREST][int(rng.integers(3))])
    return cv2.resize(small, (w, h), interpolation=[cv2.INTER_LINEAR, cv2.INTER_CUBIC,
                                                    cv2.INTER_NEAREST][int(rng.integers(3))])


def jpeg(rng, img, quality=None):
    q = int(rng.integers(10, 80)) if quality is None else quality
    u8 = (np.clip(img, 0, 1) * 255 + 0.5).astype(np.uint8)
    ok, buf = cv2.imencode('.jpg', u8, [cv2.IMWRITE_JPEG_QUALITY, q])
    return cv2.imdecode(buf, cv2.IMREAD_UNCHANGED).astype(np.float32) / 255


def grayscale(rng, img):
    g = img @ np.float32([0.299, 0.587, 0.114])
    return np.repeat(g[..., None], 3, axis=2)


def invert(rng, img):
    return 1 - img
