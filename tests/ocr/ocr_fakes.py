"""Small fake models and image helpers for the OCR engine tests (no network, no weights).

A plain module (not conftest.py, whose name tests/conftest.py already takes): test modules
import what they use, fixtures included.
"""
import clip4str  # noqa: F401  (compat fixes before anything imports mmocr)
import cv2
import numpy as np
import pytest


def render_words(words, size=(400, 600)):
    """White page with each word as a filled grey rectangle; grey level codes the word's id.

    ``words``: list of (x, y, w, h). Returns the image and the per-word grey levels.
    """
    img = np.full((*size, 3), 255, np.uint8)
    levels = []
    for i, (x, y, w, h) in enumerate(words):
        level = 20 + 7 * i
        cv2.rectangle(img, (x, y), (x + w - 1, y + h - 1), (level, level, level), -1)
        levels.append(level)
    return img, levels


class BoxDetector:
    """Finds dark blobs (connected components) and returns their min-area quads."""

    def __init__(self):
        self.calls = 0

    def __call__(self, images):
        out = []
        for img in images:
            self.calls += 1
            gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
            n, labels = cv2.connectedComponents((gray < 200).astype(np.uint8))
            polys = []
            for k in range(1, n):
                ys, xs = np.nonzero(labels == k)
                pts = np.stack([xs, ys], 1).astype(np.float32)
                polys.append(cv2.boxPoints(cv2.minAreaRect(pts)).astype(np.float64))
            out.append((polys, np.full(len(polys), 0.9)))
        return out


class GreyRecognizer:
    """Reads the word id from the crop's central grey level: 'w<id>'. Confident only when the
    crop is wider than tall (so the engine's choice between readings can be tested)."""

    def __init__(self):
        self.batches = []

    def __call__(self, crops):
        self.batches.append(len(crops))
        out = []
        for c in crops:
            h, w = c.shape[:2]
            centre = c[h // 3:max(h // 3 + 1, 2 * h // 3), w // 3:max(w // 3 + 1, 2 * w // 3)]
            level = float(np.median(centre))
            idx = int(round((level - 20) / 7))
            score = 0.9 if w >= h else 0.2
            text = f'w{idx}' if level < 200 else ''
            out.append((text, [score] * len(text)))
        return out


@pytest.fixture
def fake_engine():
    from clip4str.ocr.engine import OCREngine
    return OCREngine(BoxDetector(), GreyRecognizer())
