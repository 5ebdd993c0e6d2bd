"""Backgrounds: paper, desk surfaces under a photographed page, and cluttered scene backdrops."""
from typing import Tuple

import cv2
import numpy as np


def smooth_noise(rng: np.random.Generator, size: Tuple[int, int], cells: int) -> np.ndarray:
    """Low-frequency noise in [-1, 1] (w x h): random values on a coarse grid, upscaled."""
    w, h = size
    cells = max(2, cells)
    gh = max(2, int(round(cells * h / max(w, h))))
    gw = max(2, int(round(cells * w / max(w, h))))
    grid = rng.uniform(-1, 1, (gh, gw)).astype(np.float32)
    return cv2.resize(grid, (w, h), interpolation=cv2.INTER_CUBIC).clip(-1, 1)


def paper(rng: np.random.Generator, size: Tuple[int, int]) -> np.ndarray:
    """Off-white paper: a tint, soft blotches, grain, sometimes fibres and a stain."""
    w, h = size
    base = rng.uniform(225, 255)
    tint = rng.normal(0, 4, 3)
    if rng.random() < 0.25:  # cream / recycled / thermal-paper grey
        tint += rng.choice([np.array([6, 2, -10]), np.array([-4, -4, -4]), np.array([-6, 0, 4])])
    img = np.empty((h, w, 3), np.float32)
    img[:] = np.clip(base + tint, 150, 255)
    img += smooth_noise(rng, size, int(rng.integers(3, 12)))[..., None] * rng.uniform(0, 10)
    img += rng.standard_normal((h, w, 1), dtype=np.float32) * rng.uniform(0, 4)
    if rng.random() < 0.3:  # fibres
        for _ in range(int(rng.integers(5, 40))):
            p = rng.integers(0, [w, h])
            q = p + rng.integers(-40, 40, 2)
            shade = float(rng.uniform(-25, -8))
            cv2.line(img, tuple(int(v) for v in p), tuple(int(v) for v in q),
                     (float(shade + img[p[1] % h, p[0] % w, 0]),) * 3, 1, cv2.LINE_AA)
    if rng.random() < 0.15:  # a faint stain
        stain = np.zeros((h, w), np.float32)
        c = tuple(int(v) for v in rng.integers(0, [w, h]))
        axes = tuple(int(v) for v in rng.integers(20, max(21, min(w, h) // 3), 2))
        cv2.ellipse(stain, c, axes, float(rng.uniform(0, 180)), 0, 360, 1.0, -1)
        stain = cv2.GaussianBlur(stain, (0, 0), max(axes) / 4)
        img -= stain[..., None] * rng.uniform(5, 25) * np.array([0.6, 0.8, 1.0], np.float32)
    return img.clip(0, 255).astype(np.uint8)


def desk(rng: np.random.Generator, size: Tuple[int, int]) -> np.ndarray:
    """A surface under a photographed page: wood grain, cloth or a plain coloured table."""
    w, h = size
    kind = rng.integers(3)
    color = rng.uniform(30, 200, 3).astype(np.float32)
    img = np.empty((h, w, 3), np.float32)
    img[:] = color
    if kind == 0:  # wood: stretched noise along one axis
        grain = smooth_noise(rng, (max(2, w // 40), h), int(rng.integers(40, 120)))
        grain = cv2.resize(grain, (w, h), interpolation=cv2.INTER_LINEAR)
        img += grain[..., None] * rng.uniform(10, 40)
    elif kind == 1:  # cloth: fine noise
        img += rng.standard_normal((h, w, 1), dtype=np.float32) * rng.uniform(4, 15)
    img += smooth_noise(rng, size, 4)[..., None] * rng.uniform(5, 30)
    return img.clip(0, 255).astype(np.uint8)


def random_color(rng: np.random.Generator, lo: int = 0, hi: int = 255) -> Tuple[int, int, int]:
    return tuple(int(v) for v in rng.integers(lo, hi + 1, 3))


def scene(rng: np.random.Generator, size: Tuple[int, int]) -> np.ndarray:
    """A cluttered photo-like backdrop: gradient, blotches, shapes and lines (no text)."""
    w, h = size
    c0 = np.array(random_color(rng), np.float32)
    c1 = np.array(random_color(rng), np.float32)
    t = np.linspace(0, 1, h if rng.random() < 0.5 else w, dtype=np.float32)
    grad = c0 + (c1 - c0) * t[:, None]
    img = (np.repeat(grad[:, None, :], w, 1) if len(t) == h
           else np.repeat(grad[None, :, :], h, 0)).astype(np.float32)
    img += smooth_noise(rng, size, int(rng.integers(3, 15)))[..., None] * rng.uniform(10, 60)
    for _ in range(int(rng.integers(3, 25))):
        color = random_color(rng)
        shape = rng.integers(4)
        p = tuple(int(v) for v in rng.integers(0, [w, h]))
        if shape == 0:
            q = tuple(int(v) for v in rng.integers(0, [w, h]))
            cv2.rectangle(img, p, q, color, -1 if rng.random() < 0.6 else int(rng.integers(1, 8)))
        elif shape == 1:
            cv2.circle(img, p, int(rng.integers(5, max(6, min(w, h) // 4))), color,
                       -1 if rng.random() < 0.6 else int(rng.integers(1, 8)), cv2.LINE_AA)
        elif shape == 2:
            q = tuple(int(v) for v in rng.integers(0, [w, h]))
            cv2.line(img, p, q, color, int(rng.integers(1, 12)), cv2.LINE_AA)
        else:  # stripes / bars, a frequent false-positive source for detectors
            n, step = int(rng.integers(3, 12)), int(rng.integers(3, 20))
            for i in range(n):
                x = p[0] + i * step
                cv2.line(img, (x, p[1]), (x, p[1] + int(rng.integers(10, 120))), color,
                         int(rng.integers(1, 4)))
    img += rng.standard_normal((h, w, 1), dtype=np.float32) * rng.uniform(0, 8)
    if rng.random() < 0.7:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.5, 3))
    return img.clip(0, 255).astype(np.uint8)
