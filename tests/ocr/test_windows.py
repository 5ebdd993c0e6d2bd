"""Splitting long crops into windows and merging their readings back."""
import numpy as np
import pytest

from clip4str.ocr.windows import merge_readings, split_windows, window_bounds

TEXT = 'https://example.org/invoices/2024/0317-northwind.pdf'
CHAR_W, H = 10, 20


def read_window(x0, x1, text=TEXT, misread=None):
    """What a recognizer sees in [x0, x1): the characters whose centres fall inside."""
    chars, scores = [], []
    for i, ch in enumerate(text):
        c = i * CHAR_W + CHAR_W / 2
        if x0 <= c < x1:
            edge = min(c - x0, x1 - c) < CHAR_W  # cut at the window edge: less sure
            if misread and i in misread and edge:
                ch = misread[i]
            chars.append(ch)
            scores.append(0.5 if edge else 0.95)
    return ''.join(chars), scores


def test_bounds_cover_width_with_overlap():
    bounds = window_bounds(len(TEXT) * CHAR_W, H, max_aspect=8, overlap=1)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(TEXT) * CHAR_W
    assert all(b - a == 8 * H for a, b in bounds)
    assert all(b0[1] - b1[0] >= H for b0, b1 in zip(bounds, bounds[1:]))
    assert window_bounds(100, 20, max_aspect=8) == [(0, 100)]


def test_split_then_merge_reconstructs_long_string():
    bounds = window_bounds(len(TEXT) * CHAR_W, H, max_aspect=8, overlap=1)
    assert len(bounds) > 3
    readings = [read_window(a, b) for a, b in bounds]
    text, scores = merge_readings(readings, bounds)
    assert text == TEXT
    assert len(scores) == len(TEXT)


@pytest.mark.parametrize('overlap', [1.0, 1.5, 2.0])
def test_merge_fixes_a_misread_at_a_window_edge(overlap):
    bounds = window_bounds(len(TEXT) * CHAR_W, H, max_aspect=8, overlap=overlap)
    # every character at a window edge is misread (and scored low) in that window only
    readings = [read_window(a, b, misread={i: '#%'[k % 2] for i in range(len(TEXT))})
                for k, (a, b) in enumerate(bounds)]
    assert any('#' in r[0] for r in readings)
    text, _ = merge_readings(readings, bounds)
    # only the outer ends of the first and last windows cannot be corrected
    assert text[1:-1] == TEXT[1:-1]


def test_split_windows_slices_the_image():
    crop = np.arange(20 * 400).reshape(20, 400)
    parts = split_windows(crop, max_aspect=8, overlap=1)
    assert [p.shape for p in parts] == [(20, 160)] * len(parts)
    assert parts[0][0, 0] == 0 and parts[-1][0, -1] == 399


def test_merge_edge_cases():
    assert merge_readings([], []) == ('', [])
    assert merge_readings([('abc', [1, 1, 1]), ('', [])], [(0, 50), (40, 90)]) == \
        ('abc', [1, 1, 1])


def test_merge_survives_a_dropped_character():
    bounds = [(0, 160), (120, 280)]
    a = ('https://example.', [0.9] * 16)   # sees 'ple.' in the overlap
    b = ('le.org/invoices', [0.9] * 15)    # lost the 'p' at its left edge
    assert merge_readings([a, b], bounds)[0] == 'https://example.org/invoices'
