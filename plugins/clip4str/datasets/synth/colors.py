"""Colour sampling with contrast control (RGB floats in 0..1)."""
import colorsys

import numpy as np

# colours common on signs, shop fronts, plates and printed matter
SIGN_PALETTE = np.array([
    (1.00, 1.00, 1.00), (0.96, 0.95, 0.90), (0.05, 0.05, 0.05), (0.15, 0.15, 0.18),
    (0.80, 0.08, 0.10), (0.60, 0.05, 0.08), (0.05, 0.25, 0.65), (0.05, 0.15, 0.40),
    (0.00, 0.45, 0.25), (0.05, 0.30, 0.15), (1.00, 0.82, 0.05), (0.95, 0.55, 0.05),
    (0.45, 0.28, 0.15), (0.55, 0.55, 0.55), (0.75, 0.75, 0.72), (0.35, 0.10, 0.45),
    (0.00, 0.55, 0.65), (0.85, 0.70, 0.45), (0.90, 0.35, 0.55), (0.25, 0.20, 0.15),
], dtype=np.float32)


def luminance(rgb) -> float:
    """Relative luminance (ITU-R BT.709 weights on gamma-encoded values; good enough here)."""
    r, g, b = np.asarray(rgb, dtype=np.float32)[..., :3].reshape(-1, 3).mean(0)
    return float(0.2126 * r + 0.7152 * g + 0.0722 * b)


def random_color(rng: np.random.Generator) -> np.ndarray:
    r = rng.random()
    if r < 0.35:  # palette colour, slightly perturbed
        c = SIGN_PALETTE[int(rng.integers(len(SIGN_PALETTE)))] + rng.normal(0, 0.04, 3)
    elif r < 0.55:  # greys
        c = np.full(3, rng.random()) + rng.normal(0, 0.02, 3)
    else:  # anything, saturation and value spread out
        h, s, v = rng.random(), rng.random() ** 0.7, 0.15 + 0.85 * rng.random()
        c = np.array(colorsys.hsv_to_rgb(h, s, v))
    return np.clip(c, 0, 1).astype(np.float32)


def contrasting_color(rng: np.random.Generator, bg, min_contrast: float) -> np.ndarray:
    """A colour whose luminance differs from `bg` by at least `min_contrast` (0..1)."""
    lb = luminance(bg)
    for _ in range(30):
        c = random_color(rng)
        if abs(luminance(c) - lb) >= min_contrast:
            return c
    # fall back to a dark or light tone, whichever side of bg has room
    if lb > 0.5:
        return np.clip(np.full(3, rng.uniform(0, max(lb - min_contrast, 0.02))) +
                       rng.normal(0, 0.03, 3), 0, 1).astype(np.float32)
    return np.clip(np.full(3, rng.uniform(min(lb + min_contrast, 0.98), 1.0)) +
                   rng.normal(0, 0.03, 3), 0, 1).astype(np.float32)


def sample_contrast(rng: np.random.Generator, p_low: float) -> float:
    """Minimum luminance difference: mostly clear text, sometimes faint."""
    return float(rng.uniform(0.12, 0.3)) if rng.random() < p_low else float(rng.uniform(0.3, 0.7))


def shade(c, factor: float) -> np.ndarray:
    """Darker (factor < 1) or lighter (> 1, towards white) version of a colour."""
    c = np.asarray(c, dtype=np.float32)
    if factor <= 1:
        return c * factor
    return 1 - (1 - c) / factor
