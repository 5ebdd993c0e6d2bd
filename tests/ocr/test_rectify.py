"""Rectification geometry: quads, point order, curves, vertical lines, MMOCR-style baseline."""
import cv2
import numpy as np
import pytest

from clip4str.ocr.polygon_edges import (edge_angle, region_size, resample_chain, signed_area,
                                        top_bottom_edges)
from clip4str.ocr.rectify import (RectifyConfig, axis_aligned_crop, crop_candidates,
                                  warp_region)

NO_PAD = RectifyConfig(pad=0.0, max_height=1000)


def word_image(w=160, h=40, seed=0):
    """A text-like pattern: random dark bars on white, distinct along x and y."""
    rng = np.random.default_rng(seed)
    img = np.full((h, w, 3), 255, np.uint8)
    for _ in range(12):
        x = int(rng.integers(4, w - 12))
        y0 = int(rng.integers(4, h // 2))
        cv2.rectangle(img, (x, y0), (x + int(rng.integers(3, 10)), h - int(rng.integers(4, 12))),
                      (int(rng.integers(0, 90)),) * 3, -1)
    cv2.line(img, (4, h // 3), (w - 5, h // 3 + 3), (30, 30, 30), 2)
    return img


def similarity(a, b):
    """Pearson correlation of two crops after resizing ``a`` to ``b``'s size."""
    a = cv2.resize(cv2.cvtColor(a, cv2.COLOR_BGR2GRAY), b.shape[1::-1]).astype(float).ravel()
    b = cv2.cvtColor(b, cv2.COLOR_BGR2GRAY).astype(float).ravel()
    return float(np.corrcoef(a, b)[0, 1])


def place(word, quad, canvas=(300, 400)):
    """Warp ``word`` onto a white canvas so its corners land on ``quad`` (TL, TR, BR, BL)."""
    h, w = word.shape[:2]
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]),
                                    np.float32(quad))
    return cv2.warpPerspective(word, m, canvas[::-1], borderValue=(255, 255, 255))


QUAD = [[90, 80], [300, 120], [290, 190], [70, 150]]  # rotated + perspective


def test_known_quad_warps_to_upright_rectangle():
    word = word_image()
    img = place(word, QUAD)
    (cand,) = crop_candidates(img, QUAD, NO_PAD)
    assert cand.name == 'horizontal'
    h, w = cand.image.shape[:2]
    top, bottom = top_bottom_edges(np.array(QUAD, float))
    length, height = region_size(top, bottom)
    assert (w, h) == (round(length), round(height))
    assert similarity(cand.image, word) > 0.9


def test_quad_sizes_and_areas_match_the_general_formulas():
    """Quads take a plain-Python path (numpy's call overhead was 7% of a page's time): the
    same length, height and area as the chains' resampling and the shoelace over arrays."""
    rng = np.random.default_rng(3)
    for _ in range(200):
        top, bottom = rng.normal(size=(2, 2)) * 200, rng.normal(size=(2, 2)) * 200
        bottom[1] = bottom[0] if rng.random() < 0.1 else bottom[1]  # a side of no length
        length, height = region_size(top, bottom)
        gaps = np.linalg.norm(resample_chain(top, 8) - resample_chain(bottom, 8), axis=1)
        assert height == pytest.approx(gaps.mean(), rel=1e-12, abs=1e-9)
        assert length == pytest.approx(0.5 * (np.linalg.norm(top[1] - top[0]) +
                                              np.linalg.norm(bottom[1] - bottom[0])))
        pts = rng.normal(size=(int(rng.integers(3, 12)), 2)) * 100
        x, y = pts[:, 0], pts[:, 1]
        shoelace = 0.5 * (np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))
        assert signed_area(pts) == pytest.approx(shoelace, rel=1e-9, abs=1e-6)
    assert signed_area(np.array(QUAD, float)) > 0  # clockwise in image coordinates


@pytest.mark.parametrize('shift', [1, 2, 3])
def test_point_order_does_not_matter(shift):
    word = word_image()
    img = place(word, QUAD)
    quad = np.roll(np.array(QUAD), shift, axis=0)
    for q in (quad, quad[::-1]):
        (cand,) = crop_candidates(img, q, NO_PAD)
        assert similarity(cand.image, word) > 0.9


def test_rectified_beats_axis_aligned_crop():
    word = word_image()
    img = place(word, QUAD)
    rect = crop_candidates(img, QUAD)[0].image
    mmocr = axis_aligned_crop(img, QUAD)
    assert similarity(rect, word) > similarity(mmocr, word) + 0.3


def test_padding_adds_margin():
    word = word_image()
    img = place(word, QUAD)
    plain = crop_candidates(img, QUAD, NO_PAD)[0].image
    padded = crop_candidates(img, QUAD, RectifyConfig(pad=0.25, max_height=1000))[0].image
    assert padded.shape[0] > plain.shape[0] + 10 and padded.shape[1] > plain.shape[1] + 10


def curved_word(word, cx=200, cy=330, r_out=220, span=(-120, -60)):
    """Bend ``word`` along an arc (top edge on the outer circle); returns image and 2N polygon."""
    h, w = word.shape[:2]
    canvas = np.full((300, 400, 3), 255, np.uint8)
    a0, a1 = np.radians(span)
    ys, xs = np.mgrid[0:300, 0:400].astype(np.float32)
    ang = np.arctan2(ys - cy, xs - cx)
    rad = np.hypot(xs - cx, ys - cy)
    u = (ang - a0) / (a1 - a0) * (w - 1)
    v = (r_out - rad) / 40.0 * (h - 1)
    inside = (u >= 0) & (u <= w - 1) & (v >= 0) & (v <= h - 1)
    warped = cv2.remap(word, u.astype(np.float32), v.astype(np.float32), cv2.INTER_LINEAR,
                       borderValue=(255, 255, 255))
    canvas[inside] = warped[inside]
    t = np.linspace(a0, a1, 7)
    top = np.stack([cx + r_out * np.cos(t), cy + r_out * np.sin(t)], 1)
    bottom = np.stack([cx + (r_out - 40) * np.cos(t), cy + (r_out - 40) * np.sin(t)], 1)
    return canvas, np.concatenate([top, bottom[::-1]])


def test_curved_polygon_is_unrolled():
    word = word_image()
    img, poly = curved_word(word)
    cand = crop_candidates(img, poly, NO_PAD)[0]
    assert cand.image.shape[1] > 3 * cand.image.shape[0]  # long and flat again
    assert similarity(cand.image, word) > 0.85
    assert similarity(axis_aligned_crop(img, poly), word) < 0.6


def test_vertical_line_is_rotated():
    word = word_image()
    down = np.ascontiguousarray(np.rot90(word, -1))  # text turned clockwise: reads downwards
    img = np.full((300, 300, 3), 255, np.uint8)
    img[50:50 + down.shape[0], 100:100 + down.shape[1]] = down
    h, w = down.shape[:2]
    poly = [[100, 50], [100 + w, 50], [100 + w, 50 + h], [100, 50 + h]]
    cands = crop_candidates(img, poly, NO_PAD)
    names = [c.name for c in cands]
    assert names[:2] == ['down', 'up'] and 'stacked' in names
    assert similarity(cands[0].image, word) > 0.95          # turned back upright
    assert similarity(cands[1].image, word) < 0.5           # the other way is upside down


def test_upside_down_is_tried_only_on_steep_regions():
    word = word_image()
    img = place(word, QUAD)  # baseline at ~11 degrees: the direction is not in doubt
    cands = crop_candidates(img, QUAD, RectifyConfig(upside_down=True))
    assert [c.name for c in cands] == ['horizontal']
    steep = [[100, 60], [240, 200], [200, 240], [60, 100]]  # baseline at 45 degrees
    img = place(word, steep)
    cands = crop_candidates(img, steep, RectifyConfig(pad=0.0, upside_down=True))
    assert [c.name for c in cands] == ['horizontal', 'horizontal+180']
    assert cands[1].prior < 0  # the turned reading must beat the upright one by a margin
    assert similarity(cands[1].image, word[::-1, ::-1]) > 0.8


@pytest.mark.parametrize('angle', [60, -60])
def test_leaning_column_reads_the_way_of_its_lean(angle):
    """A word at 60 degrees is a vertical region; upright it reads along its lean, and the
    other way is a turned reading (which must earn its place, see candidate_choice)."""
    word = word_image()
    h, w = word.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    m[:, 2] += (200 - w / 2, 150 - h / 2)
    img = cv2.warpAffine(word, m, (400, 300), borderValue=(255, 255, 255))
    quad = np.hstack([np.float32([[0, 0], [w, 0], [w, h], [0, h]]), np.ones((4, 1))]) @ m.T
    cands = {c.name: c for c in crop_candidates(img, quad, NO_PAD)}
    upright, turned = ('down', 'up') if angle > 0 else ('up', 'down')
    assert similarity(cands[upright].image, word) > 0.8
    assert cands[upright].turned_from == '' and cands[upright].prior == 0
    assert cands[turned].turned_from == upright and cands[turned].prior < 0
    # a plumb column may read either way: neither is the turned one
    plumb = crop_candidates(img, [[100, 50], [140, 50], [140, 210], [100, 210]], NO_PAD)
    assert [c.turned_from for c in plumb] == [''] * len(plumb)


def test_contour_polygon_from_a_mask():
    """DBNet-style dense contours give the same edges as the quad."""
    word = word_image()
    img = place(word, QUAD)
    mask = place(np.zeros_like(word), QUAD)[..., 0] < 128
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL,
                                   cv2.CHAIN_APPROX_NONE)
    poly = contours[0].reshape(-1, 2)[::3]
    assert len(poly) > 20
    top, _ = top_bottom_edges(poly)
    qtop, _ = top_bottom_edges(np.array(QUAD, float))
    assert abs(edge_angle(top) - edge_angle(qtop)) < 4
    cand = crop_candidates(img, poly, NO_PAD)[0]
    assert similarity(cand.image, word) > 0.8


def test_degenerate_polygons_give_no_crop():
    img = np.full((50, 50, 3), 255, np.uint8)
    assert crop_candidates(img, [[1, 1], [30, 1], [30, 1.5], [1, 1.5]]) == []
    assert crop_candidates(img, [[1, 1], [2, 2]]) == []


def test_max_height_scales_down():
    word = word_image(320, 80)
    img = place(word, [[10, 10], [330, 10], [330, 90], [10, 90]], canvas=(120, 360))
    crop = warp_region(img, np.array([[10, 10], [330, 10.]]), np.array([[10, 90], [330, 90.]]),
                       pad=0.0, max_height=40)
    assert crop.shape[:2] == (40, 160)


def test_curved_contour_from_a_mask_is_unrolled():
    """A dense, unstructured contour of a curved word (DBNet 'poly' output) unrolls too."""
    word = word_image()
    img, poly = curved_word(word)
    mask = np.zeros(img.shape[:2], np.uint8)
    cv2.fillPoly(mask, [poly.round().astype(np.int32)], 1)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    contour = contours[0].reshape(-1, 2)
    cand = crop_candidates(img, contour, NO_PAD)[0]
    assert similarity(cand.image, word) > 0.7
    assert similarity(cand.image, word) > similarity(axis_aligned_crop(img, contour), word) + 0.2
