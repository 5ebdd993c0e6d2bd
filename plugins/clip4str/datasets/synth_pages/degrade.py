"""Photometric damage of scans and photos: lighting, shadows, blur, noise, dust, low resolution,
binarisation and grey scale. Words do not move; only pixels change."""
import cv2
import numpy as np

from .backgrounds import smooth_noise


def lighting(img: np.ndarray, rng: np.random.Generator, strength: float) -> np.ndarray:
    """Uneven illumination and sometimes a soft shadow."""
    h, w = img.shape[:2]
    gain = 1.0 + smooth_noise(rng, (w, h), 3) * 0.25 * strength
    if rng.random() < 0.4 * strength:
        shadow = np.zeros((h, w), np.float32)
        pts = rng.integers(0, [w, h], (int(rng.integers(3, 6)), 2)).astype(np.int32)
        if rng.random() < 0.5:  # from an edge, like a hand or phone
            pts[0] = [0, pts[0][1]]
        cv2.fillPoly(shadow, [cv2.convexHull(pts)], 1.0)
        shadow = cv2.GaussianBlur(shadow, (0, 0), max(3.0, min(w, h) * rng.uniform(0.01, 0.06)))
        gain *= 1 - shadow * rng.uniform(0.2, 0.55)
    out = img.astype(np.float32) * gain[..., None]
    return out.clip(0, 255).astype(np.uint8)


def blur(img: np.ndarray, rng: np.random.Generator, max_sigma: float) -> np.ndarray:
    if rng.random() < 0.2:  # motion blur
        k = int(rng.integers(3, 8))
        kernel = np.zeros((k, k), np.float32)
        kernel[k // 2] = 1.0 / k
        m = cv2.getRotationMatrix2D((k / 2 - 0.5, k / 2 - 0.5), float(rng.uniform(0, 180)), 1)
        kernel = cv2.warpAffine(kernel, m, (k, k))
        return cv2.filter2D(img, -1, kernel / max(kernel.sum(), 1e-6))
    sigma = rng.uniform(0, max_sigma)
    return cv2.GaussianBlur(img, (0, 0), sigma) if sigma > 0.3 else img


def noise(img: np.ndarray, rng: np.random.Generator, max_sigma: float) -> np.ndarray:
    sigma = rng.uniform(0, max_sigma)
    if sigma < 0.5:
        return img
    n = rng.standard_normal(img.shape[:2] + (1,), dtype=np.float32) * sigma
    return cv2.add(img.astype(np.float32), np.repeat(n, 3, 2)).clip(0, 255).astype(np.uint8)


def dust(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Scanner specks: a few dark dots (small enough never to look like letters)."""
    h, w = img.shape[:2]
    out = img.copy()
    n = int(rng.integers(10, 300))
    ys, xs = rng.integers(0, h, n), rng.integers(0, w, n)
    out[ys, xs] = rng.integers(0, 120, (n, 1))
    return out


def low_resolution(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    h, w = img.shape[:2]
    f = rng.uniform(0.5, 0.9)
    small = cv2.resize(img, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_AREA)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def binarize(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Fax / photocopy look: hard threshold of the grey image."""
    grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    thr = float(np.clip(np.median(grey) - rng.uniform(40, 90), 60, 200))
    out = np.where(grey > thr, 255, 0).astype(np.uint8)
    return cv2.cvtColor(out, cv2.COLOR_GRAY2RGB)


def to_grey(img: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)


def contrast(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    gamma = rng.uniform(0.7, 1.4)
    lut = (255 * (np.arange(256) / 255.0) ** gamma).astype(np.uint8)
    return lut[img]


def degrade(img: np.ndarray, rng: np.random.Generator, mode: str) -> np.ndarray:
    """mode: 'scan' (flatbed), 'photo' (camera) or 'clean' (born-digital, light damage only)."""
    if mode == 'clean':
        img = blur(img, rng, 0.6) if rng.random() < 0.3 else img
        return noise(img, rng, 3)
    if mode == 'scan':
        if rng.random() < 0.3:
            img = low_resolution(img, rng)
        if rng.random() < 0.3:
            img = dust(img, rng)
        img = blur(img, rng, 1.0)
        if rng.random() < 0.08:
            img = binarize(img, rng)
        elif rng.random() < 0.3:
            img = to_grey(img)
        img = noise(img, rng, 6)
    else:
        img = lighting(img, rng, rng.uniform(0.3, 1.0))
        if rng.random() < 0.3:
            img = low_resolution(img, rng)
        img = blur(img, rng, 1.5)
        img = noise(img, rng, 8)
    if rng.random() < 0.3:
        img = contrast(img, rng)
    return img
