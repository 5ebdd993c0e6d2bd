"""Text polygon geometry: split a detector polygon into its top and bottom edges.

A word's region is described by two chains of points running in reading direction: the top edge
and the bottom edge. Quads give two-point chains; curved polygons give longer ones. Three polygon
shapes are understood:

* 4 points in any order (DBNet 'quad' output, ICDAR quads);
* 2N points laid out as N along the top then N back along the bottom (Total-Text / CTW1500
  annotations, Bezier-curve spotters);
* any other contour (DBNet 'poly' output): simplified to a quad when four corners describe it
  (a straight word), else split at the vertices nearest to the corners of its minimum-area
  rectangle (a curved word).
"""
import math
from typing import Optional, Tuple

import cv2
import numpy as np


def as_points(polygon) -> np.ndarray:
    """Flat [x1, y1, x2, y2, ...] or (N, 2) -> float64 (N, 2); raises on fewer than 3 points."""
    pts = np.asarray(polygon, dtype=np.float64).reshape(-1, 2)
    if len(pts) < 3:
        raise ValueError(f'a polygon needs at least 3 points, got {len(pts)}')
    return pts


def shape_of(polygon):
    """The polygon as a valid shapely one (a self-touching outline mended by ``buffer(0)``)."""
    from shapely.geometry import Polygon
    poly = Polygon(np.asarray(polygon, dtype=np.float64).reshape(-1, 2))
    return poly if poly.is_valid else poly.buffer(0)


def signed_area(pts: np.ndarray) -> float:
    """Shoelace area; positive for clockwise order in image coordinates (y down)."""
    if len(pts) <= 8:  # quads and small polygons: plain Python beats numpy's call overhead
        p = pts.tolist()
        return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(p, p[1:] + p[:1]))
    x, y = pts[:, 0], pts[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def chain_length(chain: np.ndarray) -> float:
    if len(chain) == 2:  # a quad's side: plain Python, numpy's call overhead dominates here
        (x0, y0), (x1, y1) = chain.tolist()
        return math.hypot(x1 - x0, y1 - y0)
    return float(np.linalg.norm(np.diff(chain, axis=0), axis=1).sum())


def resample_chain(chain: np.ndarray, n: int, start: float = 0.0, end: float = 1.0
                   ) -> np.ndarray:
    """``n`` points at equal arc-length steps along a polyline (from fraction ``start`` of its
    length to ``end``)."""
    seg = np.linalg.norm(np.diff(chain, axis=0), axis=1)
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    if cum[-1] <= 0:
        return np.repeat(chain[:1], n, axis=0)
    t = np.linspace(start * cum[-1], end * cum[-1], n)
    return np.stack([np.interp(t, cum, chain[:, 0]), np.interp(t, cum, chain[:, 1])], axis=1)


def _structured_split(pts: np.ndarray):
    """Top/bottom of a 2N-point 'top chain then bottom chain' polygon, or None if it is not one."""
    n = len(pts)
    if n < 6 or n % 2:
        return None
    top, bottom = pts[:n // 2], pts[n // 2:][::-1]
    lt, lb = chain_length(top), chain_length(bottom)
    if min(lt, lb) <= 0 or not 0.33 < lt / lb < 3:
        return None
    ends = max(np.linalg.norm(top[0] - bottom[0]), np.linalg.norm(top[-1] - bottom[-1]))
    # the closing edges must be the short ends of the word, and the chains must not cross
    if ends > 0.8 * min(lt, lb) and n > 4:
        return None
    # matching points of the two chains stay about one text height apart
    gap = np.linalg.norm(resample_chain(top, 9) - resample_chain(bottom, 9), axis=1)
    if gap.min() < 1e-6 or gap.max() > 3 * gap.min() or gap.mean() > 0.8 * min(lt, lb):
        return None
    return top, bottom


def _as_quad(pts: np.ndarray):
    """The polygon simplified to 4 corners if that loses little area (a straight word)."""
    contour = pts.astype(np.float32).reshape(-1, 1, 2)
    area = abs(signed_area(pts))
    perimeter = cv2.arcLength(contour, True)
    for eps in (0.01, 0.02, 0.04, 0.06, 0.08):
        approx = cv2.approxPolyDP(contour, eps * perimeter, True).reshape(-1, 2)
        if len(approx) < 4:
            return None
        if len(approx) == 4:
            quad = approx.astype(np.float64)
            if cv2.isContourConvex(approx.reshape(-1, 1, 2)) and \
                    abs(signed_area(quad)) >= 0.9 * area:
                return quad
            return None
    return None


def _corner_split(pts: np.ndarray):
    """Four chains between the vertices nearest to the min-area-rectangle corners (clockwise)."""
    box = cv2.boxPoints(cv2.minAreaRect(pts.astype(np.float32))).astype(np.float64)
    idx = []
    for corner in box:
        d = np.linalg.norm(pts - corner, axis=1)
        for i in np.argsort(d):  # distinct vertices
            if i not in idx:
                idx.append(int(i))
                break
    idx = sorted(idx)
    n = len(pts)
    chains = []
    for k in range(4):
        a, b = idx[k], idx[(k + 1) % 4]
        ids = list(range(a, b + 1)) if b > a else list(range(a, n)) + list(range(0, b + 1))
        chains.append(pts[ids])
    return chains


def top_bottom_edges(polygon) -> Tuple[np.ndarray, np.ndarray]:
    """(top, bottom) chains, both running left to right in reading direction.

    The pair of opposite sides closer to horizontal is taken as top/bottom (most text is near
    horizontal); vertical regions are turned afterwards (see :mod:`.rectify`).
    """
    pts = as_points(polygon)
    if signed_area(pts) < 0:  # make the order clockwise (top runs left -> right)
        pts = pts[::-1]
    split = _structured_split(pts) if len(pts) > 4 else None
    if split is None:
        if len(pts) > 4:
            quad = _as_quad(pts)
            if quad is not None:
                pts = quad if signed_area(quad) > 0 else quad[::-1]
        if len(pts) == 4:
            c = [pts[[k, (k + 1) % 4]] for k in range(4)]
        else:
            c = _corner_split(pts)
        # chains 0 and 2 face each other, as do 1 and 3; pick the more horizontal pair
        def horizontalness(chain):
            d = chain[-1] - chain[0]
            return abs(d[0]) - abs(d[1])
        pair_02 = horizontalness(c[0]) + horizontalness(c[2])
        if pair_02 >= horizontalness(c[1]) + horizontalness(c[3]):
            top, bottom = c[0], c[2][::-1]
        else:
            top, bottom = c[1], c[3][::-1]
    else:
        top, bottom = split
    # clockwise order means the top chain runs left->right unless the region is upside down
    if (top[-1] - top[0])[0] + (bottom[-1] - bottom[0])[0] < 0:
        top, bottom = bottom[::-1], top[::-1]
    return top, bottom


def edge_angle(top: np.ndarray) -> float:
    """Angle in degrees of the reading direction, 0 = left to right, positive = clockwise."""
    d = top[-1] - top[0]
    return float(np.degrees(np.arctan2(d[1], d[0])))


def region_size(top: np.ndarray, bottom: np.ndarray) -> Tuple[float, float]:
    """(length along the text, height across it) of the region between the two chains."""
    length = 0.5 * (chain_length(top) + chain_length(bottom))
    n = max(len(top), len(bottom), 2) * 4
    if len(top) == 2 and len(bottom) == 2:  # a quad (most regions): the same mean, in Python
        return length, _quad_height(top.tolist(), bottom.tolist(), n)
    height = float(np.mean(np.linalg.norm(resample_chain(top, n) - resample_chain(bottom, n),
                                          axis=1)))
    return length, height


def _quad_height(top, bottom, n: int) -> float:
    """Mean distance between ``n`` matching points spread evenly along two straight sides."""
    (tx0, ty0), (tx1, ty1) = top
    (bx0, by0), (bx1, by1) = bottom
    total = 0.0
    for i in range(n):
        s = i / (n - 1)
        total += math.hypot(tx0 + s * (tx1 - tx0) - bx0 - s * (bx1 - bx0),
                            ty0 + s * (ty1 - ty0) - by0 - s * (by1 - by0))
    return total / n


def horizontal_region(polygon) -> Optional[Tuple[np.ndarray, np.ndarray, float, float]]:
    """(top, bottom, length, height) of a region that runs along its text; None when its edges
    cannot be found or it stands taller than long (vertical text is read turned)."""
    try:
        top, bottom = top_bottom_edges(as_points(polygon))
    except ValueError:
        return None
    length, height = region_size(top, bottom)
    return None if length < height else (top, bottom, length, height)
