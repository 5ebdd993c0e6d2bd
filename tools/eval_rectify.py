#!/usr/bin/env python
"""Does rectification help? Distort real word crops and compare crops made two ways.

Real IIIT5K test crops are placed on a canvas rotated, in perspective, bent along an arc or
turned vertical; the exact region polygon is known. Each is then cropped

* ``rectified``: by this project's rectifying crop (clip4str.ocr.rectify), and
* ``mmocr``: the way MMOCRInferencer does (padded axis-aligned box, no rectification),

and the script reports, per distortion:

* ``corr``: pixel correlation of the crop (resized) with the original crop (1.0 = identical);
  both crops without margins here (the mmocr column uses the bare axis-aligned box), so the
  number measures the geometry alone;
* ``tess``: word accuracy of Tesseract (``--psm 7``) on the crops, when tesseract is installed,
  36-char protocol (lower case, [0-9a-z]). For vertical words every rectified reading is tried
  and the one Tesseract is most confident about is kept (the engine does the same with the
  recognizer's scores).
* ``rec``: the same with an MMOCR recognizer given by ``--rec CONFIG --rec-weights CKPT`` (e.g.
  the trained CLIP4STR), choosing readings by its mean character score.

    python tools/eval_rectify.py --data /work/shared/data/IIIT5K -n 200
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

import cv2
import numpy as np

DISTORTIONS = ('upright', 'rotate', 'perspective', 'curve', 'vertical')


def norm36(s: str) -> str:
    s = unicodedata.normalize('NFKD', s).encode('ascii', 'ignore').decode().lower()
    return re.sub('[^0-9a-z]', '', s)


def read_iiit5k(root: str, n: int, seed: int):
    with open(os.path.join(root, 'test.tags')) as f:
        pairs = [ln.split(maxsplit=1) for ln in f if ln.strip()]
    rng = np.random.default_rng(seed)
    pick = rng.choice(len(pairs), size=min(n, len(pairs)), replace=False)
    for i in sorted(pick):
        rel, label = pairs[i]
        img = cv2.imread(os.path.join(root, rel), cv2.IMREAD_COLOR)
        if img is not None:
            yield img, label.strip()


def background(word, shape, rng):
    """A plain canvas in the crop's border colour with a little noise (no clutter)."""
    border = np.concatenate([word[0], word[-1], word[:, 0], word[:, -1]])
    colour = np.median(border, axis=0)
    bg = np.empty(shape, np.float32)
    bg[:] = colour
    bg += rng.normal(0, 4, shape)
    return np.clip(bg, 0, 255).astype(np.uint8)


def place_quad(word, quad, canvas):
    h, w = word.shape[:2]
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]), np.float32(quad))
    out = canvas.copy()
    warped = cv2.warpPerspective(word, m, canvas.shape[1::-1])
    mask = cv2.warpPerspective(np.ones((h, w), np.uint8), m, canvas.shape[1::-1]).astype(bool)
    out[mask] = warped[mask]
    return out


def distort(word, kind, rng):
    """(image, polygon) with the word placed on a canvas by ``kind``."""
    h, w = word.shape[:2]
    side = int(2.2 * max(w, h)) + 40
    canvas = background(word, (side, side, 3), rng)
    c = np.array([side / 2, side / 2])
    rect = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])

    def turned(pts, degrees):
        t = np.radians(degrees)
        return pts @ np.array([[np.cos(t), np.sin(t)], [-np.sin(t), np.cos(t)]]) + c

    if kind == 'upright':
        quad = rect + c
    elif kind == 'rotate':
        quad = turned(rect, rng.uniform(15, 45) * rng.choice([-1, 1]))
    elif kind == 'perspective':
        jitter = rng.uniform(-0.35, 0.35, (4, 2)) * h
        quad = turned(rect + jitter * [[1, 1], [1, 1], [1, 1], [1, 1]], rng.uniform(-12, 12))
        quad[1, 1] -= rng.uniform(0.1, 0.4) * h  # one side nearer the camera
        quad[2, 1] += rng.uniform(0.1, 0.4) * h
    elif kind == 'vertical':
        quad = turned(rect, 90 * rng.choice([-1, 1]))
    elif kind == 'curve':
        return bend(word, canvas, rng)
    else:
        raise ValueError(kind)
    return place_quad(word, quad, canvas), quad


def bend(word, canvas, rng):
    """Bend the word along an arc (its top on the outer circle), like a round logo."""
    h, w = word.shape[:2]
    side = canvas.shape[0]
    span = rng.uniform(50, 110)                    # degrees of arc the word covers
    r_out = w / np.radians(span) + h               # so the middle line has the word's length
    cx, cy = side / 2, side / 2 + r_out - h / 2 - side * 0.1
    a0, a1 = np.radians(-90 - span / 2), np.radians(-90 + span / 2)
    ys, xs = np.mgrid[0:side, 0:side].astype(np.float32)
    ang = np.arctan2(ys - cy, xs - cx)
    rad = np.hypot(xs - cx, ys - cy)
    u = ((ang - a0) / (a1 - a0) * (w - 1)).astype(np.float32)
    v = ((r_out - rad) / h * (h - 1)).astype(np.float32)
    inside = (u >= 0) & (u <= w - 1) & (v >= 0) & (v <= h - 1)
    warped = cv2.remap(word, u, v, cv2.INTER_LINEAR)
    out = canvas.copy()
    out[inside] = warped[inside]
    t = np.linspace(a0, a1, 9)
    top = np.stack([cx + r_out * np.cos(t), cy + r_out * np.sin(t)], 1)
    bottom = np.stack([cx + (r_out - h) * np.cos(t), cy + (r_out - h) * np.sin(t)], 1)
    return out, np.concatenate([top, bottom[::-1]])


def correlation(crop, word):
    a = cv2.resize(cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY), word.shape[1::-1]).astype(float)
    b = cv2.cvtColor(word, cv2.COLOR_BGR2GRAY).astype(float)
    if a.std() < 1e-6 or b.std() < 1e-6:
        return 0.0
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


def tesseract(crops):
    """(text, confidence 0-1) per crop, one tesseract process for all of them."""
    with tempfile.TemporaryDirectory() as d:
        paths = []
        for i, crop in enumerate(crops):
            paths.append(os.path.join(d, f'{i:06d}.png'))
            cv2.imwrite(paths[-1], crop)
        with open(os.path.join(d, 'list.txt'), 'w') as f:
            f.write('\n'.join(paths) + '\n')
        tsv = subprocess.run(['tesseract', os.path.join(d, 'list.txt'), 'stdout', '--psm', '7',
                              'tsv'], capture_output=True, text=True).stdout
    words = [[] for _ in crops]
    for line in tsv.splitlines()[1:]:
        cols = line.split('\t')
        if len(cols) == 12 and cols[0] == '5' and cols[11].strip():
            words[int(cols[1]) - 1].append((cols[11], float(cols[10])))
    return [(''.join(t for t, _ in ws), np.mean([c for _, c in ws]) / 100 if ws else 0.0)
            for ws in words]


def mmocr_recognizer(config, weights):
    from clip4str.ocr.models import TextRecognizer
    rec = TextRecognizer(config, weights, batch_size=64)
    return lambda crops: [(t, float(np.mean(s)) if s else 0.0) for t, s in rec(crops)]


def evaluate(samples, recognizers, seed):
    from clip4str.ocr.rectify import RectifyConfig, axis_aligned_crop, crop_candidates
    rng = np.random.default_rng(seed)
    tight = RectifyConfig(pad=0.0, max_height=10**6)
    rows = {k: dict(n=0, corr_rect=[], corr_mmocr=[]) for k in DISTORTIONS}
    jobs = []  # (kind, label, [rectified candidate crops], mmocr crop)
    for word, label in samples:
        scale = 48.0 / word.shape[0]
        word = cv2.resize(word, (max(8, round(word.shape[1] * scale)), 48))
        for kind in DISTORTIONS:
            img, poly = distort(word, kind, rng)
            tight_crop = crop_candidates(img, poly, tight)[0].image
            if kind == 'vertical':  # of the readings tried, the one turned back upright
                tight_crop = max((c.image for c in crop_candidates(img, poly, tight)),
                                 key=lambda c: correlation(c, word))
            mm = axis_aligned_crop(img, poly)
            x0, y0 = np.floor(poly.min(0)).astype(int)
            x1, y1 = np.ceil(poly.max(0)).astype(int)
            box = img[max(y0, 0):y1, max(x0, 0):x1]  # the same box without MMOCR's padding
            rows[kind]['n'] += 1
            rows[kind]['corr_rect'].append(correlation(tight_crop, word))
            rows[kind]['corr_mmocr'].append(correlation(box, word))
            cands = [c.image for c in crop_candidates(img, poly)]
            jobs.append((kind, label, cands, mm))
    for name, recognize in recognizers.items():
        flat = [c for _, _, cands, mm in jobs for c in cands + [mm]]
        results = iter(recognize(flat))
        for kind, label, cands, mm in jobs:
            readings = [next(results) for _ in cands]
            best = max(readings, key=lambda r: r[1])[0] if readings else ''
            mm_text = next(results)[0]
            rows[kind].setdefault(f'{name}_rect', []).append(norm36(best) == norm36(label))
            rows[kind].setdefault(f'{name}_mmocr', []).append(norm36(mm_text) == norm36(label))
    return rows


def main():
    parser = argparse.ArgumentParser(description='rectified vs MMOCR-style crops')
    parser.add_argument('--data', default=os.path.join(os.path.dirname(__file__), '..', '..',
                                                       'shared', 'data', 'IIIT5K'),
                        help='IIIT5K folder (test.tags + test/)')
    parser.add_argument('-n', type=int, default=200, help='number of words')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--rec', help='MMOCR recognizer config (e.g. CLIP4STR)')
    parser.add_argument('--rec-weights', help='its checkpoint')
    parser.add_argument('--no-tesseract', action='store_true')
    args = parser.parse_args()
    import clip4str  # noqa: F401
    if not os.path.isfile(os.path.join(args.data, 'test.tags')):
        sys.exit(f'error: no IIIT5K test.tags under {args.data} (use --data)')
    recognizers = {}
    if shutil.which('tesseract') and not args.no_tesseract:
        recognizers['tess'] = tesseract
    if args.rec:
        recognizers['rec'] = mmocr_recognizer(args.rec, args.rec_weights)
    samples = list(read_iiit5k(args.data, args.n, args.seed))
    rows = evaluate(samples, recognizers, args.seed)
    cols = ['corr'] + list(recognizers)
    head = f'{"distortion":<12}{"n":>5}' + ''.join(f'{c + " rect":>12}{c + " mmocr":>12}'
                                                    for c in cols)
    print(head)
    for kind, r in rows.items():
        cells = [np.mean(r['corr_rect']), np.mean(r['corr_mmocr'])]
        for name in recognizers:
            cells += [100 * np.mean(r[f'{name}_rect']), 100 * np.mean(r[f'{name}_mmocr'])]
        print(f'{kind:<12}{r["n"]:>5}' + ''.join(f'{v:>12.3f}' if i < 2 else f'{v:>12.1f}'
                                                 for i, v in enumerate(cells)))
    print('corr: pixel correlation with the original crop; other columns: word accuracy % '
          '(36-char protocol)')


if __name__ == '__main__':
    main()
