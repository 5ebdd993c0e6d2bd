"""The end-to-end engine: pages -> detector -> rectified crops -> recognizer -> layout.

The detector and recognizer are any callables with the adapters' interfaces (see .models), so
tests and other backends can plug in:

* ``detector(images) -> [(polygons, scores), ...]``
* ``recognizer(crops) -> [(text, char_scores), ...]``
"""
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, List, Sequence

import cv2
import numpy as np

from .layout import LayoutConfig, analyse_layout
from .orientation import (OrientationConfig, judge_sample, log_prob, rotate_image,
                          rotate_points, sample_crops, unrotate_points)
from .pages import Page
from .rectify import RectifyConfig, crop_candidates
from .result import PageResult, Word
from .windows import merge_readings, split_windows, window_bounds


@dataclass
class WindowConfig:
    max_aspect: float = 8.0   # crops wider than this many heights are split ...
    overlap: float = 1.0      # ... into windows overlapping by this many heights


@dataclass
class EngineConfig:
    rectify: RectifyConfig = field(default_factory=RectifyConfig)
    windows: WindowConfig = field(default_factory=WindowConfig)
    layout: LayoutConfig = field(default_factory=LayoutConfig)
    orientation: OrientationConfig = field(default_factory=OrientationConfig)
    det_max_side: int = 4096   # larger pages are shrunk for detection (crops use full pixels)
    page_batch: int = 1        # pages detected together
    min_det_score: float = 0.0


class OCREngine:
    def __init__(self, detector: Callable, recognizer: Callable,
                 cfg: EngineConfig = EngineConfig()):
        self.detector = detector
        self.recognizer = recognizer
        self.cfg = cfg

    # ------------------------------------------------------------------ detection
    def detect(self, images: Sequence[np.ndarray]):
        """Polygons and scores per image; big pages are detected shrunk, mapped back."""
        small, factors = [], []
        for img in images:
            h, w = img.shape[:2]
            f = min(1.0, self.cfg.det_max_side / max(h, w))
            small.append(img if f == 1.0 else cv2.resize(
                img, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA))
            factors.append(f)
        out = []
        for (polys, scores), f in zip(self.detector(small), factors):
            keep = [i for i, s in enumerate(scores) if s >= self.cfg.min_det_score]
            out.append(([np.asarray(polys[i], float).reshape(-1, 2) / f for i in keep],
                        np.asarray(scores, float)[keep]))
        return out

    # ---------------------------------------------------------------- recognition
    def read_regions(self, image: np.ndarray, polygons: Sequence[np.ndarray]) -> List[Word]:
        """Rectify, window, recognise and pick the best reading of each region."""
        return self.read_pages([(image, polygons)])[0]

    def read_pages(self, items) -> List[List[Word]]:
        """``items``: (image, polygons) pairs. One recognizer pass over all their crops."""
        wcfg = self.cfg.windows
        crops, plan = [], []  # plan[page][word] = [(name, prior, [crop idx], bounds), ...]
        for image, polygons in items:
            page_plan = []
            for poly in polygons:
                cands = []
                for cand in crop_candidates(image, poly, self.cfg.rectify):
                    h, w = cand.image.shape[:2]
                    bounds = window_bounds(w, h, wcfg.max_aspect, wcfg.overlap)
                    ids = list(range(len(crops), len(crops) + len(bounds)))
                    crops += split_windows(cand.image, wcfg.max_aspect, wcfg.overlap)
                    cands.append((cand.name, cand.prior, ids, bounds))
                page_plan.append(cands)
            plan.append(page_plan)
        readings = self.recognizer(crops) if crops else []
        pages = []
        for (image, polygons), page_plan in zip(items, plan):
            words = []
            for poly, cands in zip(polygons, page_plan):
                best = ('', [], 'horizontal', -np.inf)
                for name, prior, ids, bounds in cands:
                    text, scores = merge_readings([readings[i] for i in ids], bounds)
                    score = log_prob((text, scores)) + prior
                    if score > best[3]:
                        best = (text, scores, name, score)
                words.append(Word(np.asarray(poly, float).reshape(-1, 2), 0.0, best[0],
                                  list(best[1]), best[2]))
            pages.append(words)
        return pages

    # ------------------------------------------------------------------ pages
    def process(self, pages: Iterable[Page]) -> Iterator[PageResult]:
        """OCR a stream of pages, ``page_batch`` at a time; yields one result per page."""
        batch: List[Page] = []
        for page in pages:
            batch.append(page)
            if len(batch) >= max(1, self.cfg.page_batch):
                yield from self._process_batch(batch)
                batch = []
        if batch:
            yield from self._process_batch(batch)

    def ocr_image(self, image: np.ndarray, source: str = '<array>', dpi: float = 72.0
                  ) -> PageResult:
        """OCR one BGR image array."""
        return next(self.process([Page(image=image, index=0, source=source, dpi=dpi)]))

    # --------------------------------------------------------------- orientation
    def _judge(self, image: np.ndarray, polygons):
        """Read a sample of the page's regions as cut and turned 180 degrees."""
        crops = sample_crops(image, polygons, self.cfg.orientation.sample)
        readings = self.recognizer(crops + [np.ascontiguousarray(c[::-1, ::-1]) for c in crops]
                                   ) if crops else []
        return judge_sample(readings[:len(crops)], readings[len(crops):], self.cfg.orientation)

    def orient(self, image: np.ndarray, det):
        """(degrees the page is turned clockwise to read it, its detections in that frame)."""
        cfg = self.cfg.orientation
        polys, scores = det
        if not cfg.enabled:
            return 0, det
        h, w = image.shape[:2]
        upright = self._judge(image, polys)
        if cfg.sideways and upright.good_share < cfg.sideways_below:
            side = rotate_image(image, 90)
            side_det = self.detect([side])[0]
            turned = self._judge(side, side_det[0])
            if turned.good_share >= upright.good_share + cfg.sideways_gain:
                if not turned.flip:
                    return 90, side_det
                return 270, ([rotate_points(p, 180, h, w) for p in side_det[0]], side_det[1])
        if upright.flip:
            return 180, ([rotate_points(p, 180, w, h) for p in polys], scores)
        return 0, det

    def _process_batch(self, batch: List[Page]) -> List[PageResult]:
        dets = self.detect([p.image for p in batch])
        turns = [self.orient(p.image, det) for p, det in zip(batch, dets)]
        images = [rotate_image(p.image, deg) for p, (deg, _) in zip(batch, turns)]
        words_per_page = self.read_pages([(img, polys) for img, (_, (polys, _)) in
                                          zip(images, turns)])
        results = []
        for page, (deg, (polys, scores)), words in zip(batch, turns, words_per_page):
            for word, score in zip(words, scores):
                word.det_score = float(score)
            layout = analyse_layout([w.polygon for w in words], self.cfg.layout)
            # renumber the words in reading order, so lines are runs of consecutive indices
            order = [i for line in layout.lines for i in line]
            words = [words[i] for i in order]
            pos = 0
            for line in layout.lines:
                line[:] = list(range(pos, pos + len(line)))
                pos += len(line)
            w, h = page.size
            for word in words:  # back to the page as given (vis and PDF draw on it)
                word.polygon = unrotate_points(word.polygon, deg, w, h)
            results.append(PageResult(source=page.source, page_index=page.index, width=w,
                                      height=h, dpi=page.dpi, words=words, layout=layout,
                                      rotation=deg))
        return results
