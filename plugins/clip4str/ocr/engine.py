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

from .gap_glyphs import (GapGlyphConfig, accept_gap_reading, accept_line_end_reading,
                         glyph_crops, glyph_regions)
from .layout import LayoutConfig, analyse_layout
from .lexicon import load_lexicon
from .margin_vote import MarginVoteConfig, revote_words
from .neighbour_trim import NeighbourTrimConfig, trim_neighbours
from .orientation import (OrientationConfig, could_flip, judge_sample, rotate_image,
                          rotate_points, sample_crops, unrotate_points)
from .pages import Page
from .det_scale import merge_coarse, text_height
from .detect_ahead import DetectAhead
from .candidate_choice import CandidateReading, choose_reading
from .rectify import RectifyConfig, crop_candidates
from .result import PageResult, Word
from .space_split import (SpaceSplitConfig, colon_splits, group_pieces, kept_spaces,
                          space_candidates)
from .small_glyphs import (SmallGlyphConfig, accept_reading, is_faint_candidate,
                           without_faint_on_sparse_page)
from .trailing_marks import TrailingMarkConfig, extend_to_marks
from .split_numbers import (DIGIT_INK_GAP, joined_lexicon_word, joined_number, joined_word,
                            lexicon_word_pairs, split_number_pairs, touching_word_pairs,
                            union_quad)
from .windows import merge_readings, split_windows, window_bounds
from .word_split import WordSplitConfig, cut_region, split_words
from .polygon_edges import as_points, top_bottom_edges


@dataclass
class WindowConfig:
    max_aspect: float = 8.0   # crops wider than this many heights are split ...
    overlap: float = 1.0      # ... into windows overlapping by this many heights


@dataclass
class ScaleConfig:
    """Detection scale chosen from the page (see :meth:`OCREngine.detect`)."""
    enabled: bool = False
    max_upscale: float = 2.0     # small images are enlarged at most this much for detection
    text_height: float = 22.0    # text height (px) the detector reads best at, for a 2nd pass
    redetect_below: float = 12.0  # a 2nd pass when the first saw text smaller than this (px)
    # ... which aims at this height (px; 0: text_height). Small text's boxes measured at the
    # first pass are loose, and receipts read best at ~28 px (their median at the detector)
    small_text_height: float = 0.0
    redetect_above: float = 48.0  # text taller than this (px): a 2nd pass smaller, merged
    max_long_side: int = 4096    # the 2nd pass's input size at most
    coarse: float = 0.0          # also detect at this fraction of the scale (big text); 0: no
    big_text: float = 64.0       # ... and keep its regions this high (px) at the first scale


@dataclass
class EngineConfig:
    rectify: RectifyConfig = field(default_factory=RectifyConfig)
    windows: WindowConfig = field(default_factory=WindowConfig)
    layout: LayoutConfig = field(default_factory=LayoutConfig)
    word_split: WordSplitConfig = field(default_factory=WordSplitConfig)
    orientation: OrientationConfig = field(default_factory=OrientationConfig)
    scale: ScaleConfig = field(default_factory=ScaleConfig)
    small_glyphs: SmallGlyphConfig = field(default_factory=SmallGlyphConfig)
    space_split: SpaceSplitConfig = field(default_factory=SpaceSplitConfig)
    trailing_marks: TrailingMarkConfig = field(default_factory=TrailingMarkConfig)
    neighbour_trim: NeighbourTrimConfig = field(default_factory=NeighbourTrimConfig)
    gap_glyphs: GapGlyphConfig = field(default_factory=GapGlyphConfig)
    margin_vote: MarginVoteConfig = field(default_factory=MarginVoteConfig)
    det_max_side: int = 4096   # larger pages are shrunk for detection (crops use full pixels)
    page_batch: int = 1        # pages detected together
    min_det_score: float = 0.0
    join_split_numbers: bool = False  # re-read "12" "00" as one region: "12.00"?
    join_touching_words: bool = False  # re-read "adjus" "tments" (no space of ink between)
    # ... and pieces a space apart whose letters make a word of this lexicon ('': none)
    join_lexicon: str = ''
    detect_ahead: bool = False  # detect the next pages in a thread while these are read
    # words whose characters average under this probability once read (junk from stamps,
    # logos, handwriting) are left out of the page, as PaddleOCR's drop_score does; 0: kept
    min_text_score: float = 0.0


class OCREngine:
    def __init__(self, detector: Callable, recognizer: Callable,
                 cfg: EngineConfig = EngineConfig()):
        self.detector = detector
        self.recognizer = recognizer
        self.cfg = cfg

    # ------------------------------------------------------------------ detection
    def detect(self, images: Sequence[np.ndarray]):
        """Polygons and scores per image; big pages are detected shrunk, mapped back. With
        ``scale.enabled`` (and a detector that takes ``long_side``) the scale also follows the
        text: small images are enlarged at most ``max_upscale`` times, pages whose text came out
        small are detected again larger on their text, big text is found at a coarser scale."""
        scfg = self.cfg.scale
        long_side = getattr(self.detector, 'long_side', None) if scfg.enabled else None
        if not long_side:
            return [self._keep_confident(d) for d in self._detect_shrunk(images)]
        out = []
        for img in images:  # one at a time: each may get its own scale
            h, w = img.shape[:2]
            f = min(1.0, self.cfg.det_max_side / max(h, w)) * long_side / max(h, w)
            if f > scfg.max_upscale:
                f = scfg.max_upscale
                polys, scores = self._detect_at(img, f)
            else:
                (polys, scores), = self._detect_shrunk([img])
            polys, scores = self._keep_confident((polys, scores))
            out.append(self._rescale(img, polys, scores, f))
        return out

    def _detect_shrunk(self, images):
        """The detector at its own input size, pages over ``det_max_side`` shrunk first."""
        small, factors = [], []
        for img in images:
            h, w = img.shape[:2]
            f = min(1.0, self.cfg.det_max_side / max(h, w))
            small.append(img if f == 1.0 else cv2.resize(
                img, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA))
            factors.append(f)
        return [([np.asarray(p, float).reshape(-1, 2) / f for p in polys], np.asarray(scores, float))
                for (polys, scores), f in zip(self.detector(small), factors)]

    def _detect_at(self, img: np.ndarray, f: float, origin=(0, 0)):
        """Detections of ``img`` resized by ``f`` (page coordinates, shifted by ``origin``)."""
        h, w = img.shape[:2]
        size = (max(1, round(w * f)), max(1, round(h * f)))
        resized = cv2.resize(img, size, interpolation=cv2.INTER_AREA if f < 1 else
                             cv2.INTER_LINEAR)
        (polys, scores), = self.detector([resized], long_side=max(size))
        return self._keep_confident(([np.asarray(p, float).reshape(-1, 2) / f + origin
                                      for p in polys], np.asarray(scores, float)))

    def _rescale(self, img, polys, scores, f):
        """Second looks where the first pass (at scale ``f``) saw text too small or too big."""
        scfg = self.cfg.scale
        if len(polys):
            # faint single-glyph candidates (see .small_glyphs) do not set the text height
            sure = [p for p, s in zip(polys, scores) if s >= self.cfg.min_det_score] or polys
            height = float(np.median([text_height(p) for p in sure]))
            if height * f < scfg.redetect_below:
                polys, scores = self._detect_text_area(img, polys, scores, height, f)
            elif height * f > scfg.redetect_above:  # mostly big text (a word image, a sign)
                g = scfg.text_height / height
                polys, scores = merge_coarse(polys, scores, *self._detect_at(img, g),
                                             min_height=scfg.redetect_above / f,
                                             sure_score=self.cfg.min_det_score)
        if scfg.coarse:  # text too big for the first pass: at least big_text px there
            polys, scores = merge_coarse(polys, scores, *self._detect_at(img, f * scfg.coarse),
                                         min_height=scfg.big_text / f,
                                         sure_score=self.cfg.min_det_score)
        return polys, scores

    def _detect_text_area(self, img, polys, scores, height, f):
        """Detect again on the text's bounding box, at the scale that makes it
        ``small_text_height`` high (a narrow receipt on a big scan detects like a small scan of
        it)."""
        scfg = self.cfg.scale
        h, w = img.shape[:2]
        pts = np.concatenate(polys)
        x0, y0 = np.maximum(0, pts.min(0) - 3 * height).astype(int)
        x1, y1 = np.minimum([w, h], pts.max(0) + 3 * height).astype(int)
        target = scfg.small_text_height or scfg.text_height
        g = min(target / height, scfg.max_long_side / max(x1 - x0, y1 - y0), scfg.max_upscale)
        if g < 1.25 * f:
            return polys, scores
        return self._detect_at(img[y0:y1, x0:x1], g, origin=(x0, y0))

    def _keep_confident(self, det):
        polys, scores = det
        keep = [i for i, s in enumerate(scores) if s >= self.cfg.min_det_score or
                is_faint_candidate(polys[i], s, self.cfg.min_det_score, self.cfg.small_glyphs)]
        return [polys[i] for i in keep], np.asarray(scores, float)[keep]

    # ---------------------------------------------------------------- recognition
    def read_regions(self, image: np.ndarray, polygons: Sequence[np.ndarray]) -> List[Word]:
        """Rectify, window, recognise and pick the best reading of each region."""
        return self.read_pages([(image, polygons)])[0]

    def read_pages(self, items) -> List[List[Word]]:
        """``items``: (image, polygons) pairs. One recognizer pass over all their crops."""
        pages = []
        for (image, polygons), page_cands in zip(items, self.read_candidates(items)):
            words = []
            for poly, cands in zip(polygons, page_cands):
                best = choose_reading(cands, self.cfg.rectify)
                words.append(Word(np.asarray(poly, float).reshape(-1, 2), 0.0, best.text,
                                  list(best.scores), best.name))
            pages.append(words)
        return pages

    def read_candidates(self, items) -> List[List[List[CandidateReading]]]:
        """Every candidate reading (see :func:`.rectify.crop_candidates`) of each region of
        each (image, polygons) item, in one recognizer pass over all their crops."""
        wcfg = self.cfg.windows
        crops, plan = [], []  # plan[page][word] = [(candidate, [crop idx], bounds), ...]
        for image, polygons in items:
            page_plan = []
            for poly in polygons:
                cands = []
                for cand in crop_candidates(image, poly, self.cfg.rectify):
                    h, w = cand.image.shape[:2]
                    bounds = window_bounds(w, h, wcfg.max_aspect, wcfg.overlap)
                    ids = list(range(len(crops), len(crops) + len(bounds)))
                    crops += split_windows(cand.image, wcfg.max_aspect, wcfg.overlap)
                    cands.append((cand, ids, bounds))
                page_plan.append(cands)
            plan.append(page_plan)
        readings = self.recognizer(crops) if crops else []
        return [[[CandidateReading(cand.name, cand.prior,
                                   *merge_readings([readings[i] for i in ids], bounds),
                                   cand.turned_from)
                  for cand, ids, bounds in cands] for cands in page_plan]
                for page_plan in plan]

    # ------------------------------------------------------------------ pages
    def process(self, pages: Iterable[Page]) -> Iterator[PageResult]:
        """OCR a stream of pages, ``page_batch`` at a time; yields one result per page. With
        ``detect_ahead`` the next batch is detected in a background thread while this one is
        read (see :mod:`.detect_ahead`); the results are the same."""
        batches = _batches(pages, max(1, self.cfg.page_batch))
        if not self.cfg.detect_ahead:
            for batch in batches:
                yield from self._process_batch(batch)
            return
        with DetectAhead(self.detect_pages) as ahead:
            for batch, dets in ahead.stream(batches):
                yield from self._process_batch(batch, dets)

    def detect_pages(self, pages: Sequence[Page]):
        """Detections of each page: those done ahead (``page.detection``), the rest now."""
        todo = [p for p in pages if p.detection is None]
        found = iter(self.detect([p.image for p in todo]) if todo else [])
        return [p.detection if p.detection is not None else next(found) for p in pages]

    def ocr_image(self, image: np.ndarray, source: str = '<array>', dpi: float = 72.0
                  ) -> PageResult:
        """OCR one BGR image array (in this thread: one page has nothing to detect ahead)."""
        return self._process_batch([Page(image=image, index=0, source=source, dpi=dpi)])[0]

    def _split_spaced_words(self, image: np.ndarray, words: List[Word]) -> List[Word]:
        """Words holding a space the page-wide split missed, cut there (see :mod:`.space_split`):
        the pieces are read, and a cut stays where they read as the word did and print puts a
        space between them."""
        cands = space_candidates(image, [w.polygon for w in words], [w.text for w in words],
                                 self.cfg.space_split)
        if not cands:
            return words
        readings = iter(self.read_regions(image, [p for c in cands for p in c.pieces()]))
        replaced = {}
        for cand in cands:
            word = words[cand.index]
            pieces = [next(readings) for _ in range(len(cand.cuts) + 1)]
            keep = kept_spaces(word.text, [p.text for p in pieces], cand.widths,
                               self.cfg.space_split, cand.loose, cand.lexical)
            if not keep or not any(keep):
                continue
            replaced[cand.index] = [
                Word(poly, word.det_score, ''.join(p.text for p in pieces[a:b]),
                     [s for p in pieces[a:b] for s in p.char_scores], word.reading)
                for poly, (a, b) in zip(cand.pieces(keep), group_pieces(keep))]
        return [new for k, w in enumerate(words) for new in replaced.get(k, [w])]

    def _split_colons(self, image: np.ndarray, words: List[Word]) -> List[Word]:
        """Words read "X:" whose colon stands a space apart in print, as "X" and ":" (see
        :func:`.space_split.colon_splits`)."""
        cuts = dict(colon_splits(image, [w.polygon for w in words], [w.text for w in words],
                                 self.cfg.space_split))
        out = []
        for k, w in enumerate(words):
            if k not in cuts:
                out.append(w)
                continue
            top, bottom = top_bottom_edges(as_points(w.polygon))
            left, right = cut_region(top, bottom, [cuts[k]])
            out += [Word(left, w.det_score, w.text[:-1], list(w.char_scores[:-1]), w.reading),
                    Word(right, w.det_score, ':', list(w.char_scores[-1:]), w.reading)]
        return out

    def _join_split_words(self, image: np.ndarray, words: List[Word], layout):
        """Numbers the detector cut at the decimal point and words it cut between two letters,
        read again whole (see :mod:`.split_numbers`); the layout is redone if any were
        joined."""
        texts, polys = [w.text for w in words], [w.polygon for w in words]
        pairs = []  # (i, j, accept)
        if self.cfg.join_split_numbers:
            pairs += [(i, j, joined_number)
                      for i, j in split_number_pairs(texts, polys, layout.lines)]
        if self.cfg.join_touching_words:
            gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
            pairs += [(i, j, joined_word)
                      for i, j in touching_word_pairs(gray, texts, polys, layout.lines,
                                                      digit_ink_gap=DIGIT_INK_GAP)]
        if self.cfg.join_lexicon:
            lexicon = load_lexicon(self.cfg.join_lexicon)
            taken = {k for i, j, _ in pairs for k in (i, j)}
            pairs += [(i, j, joined_lexicon_word(lexicon))
                      for i, j in lexicon_word_pairs(texts, polys, layout.lines, lexicon)
                      if i not in taken and j not in taken]
        if not pairs:
            return words, layout
        quads = [union_quad(words[i].polygon, words[j].polygon) for i, j, _ in pairs]
        joined = {}
        for (i, j, accept), new in zip(pairs, self.read_regions(image, quads)):
            if i not in joined and j not in joined and \
                    accept(new.text, texts[i], texts[j], new.char_scores):
                new.det_score = min(words[i].det_score, words[j].det_score)
                joined[i], joined[j] = new, None
        if not joined:
            return words, layout
        words = [joined.get(k, w) for k, w in enumerate(words) if joined.get(k, w) is not None]
        return words, analyse_layout([w.polygon for w in words], self.cfg.layout)

    def _read_gap_glyphs(self, image: np.ndarray, words: List[Word], layout):
        """Lone glyphs in the blanks between a line's words, which no region covers, read and
        kept when sure (see :mod:`.gap_glyphs`); the layout is redone if any were found."""
        cfg = self.cfg.gap_glyphs
        polygons = [w.polygon for w in words]
        quads, ends = glyph_regions(image, polygons, layout.lines, cfg)
        if not quads and not ends:
            return words, layout
        accept = [accept_gap_reading] * len(quads) + [accept_line_end_reading] * len(ends)
        found = [Word(q, self.cfg.min_det_score, text, list(scores))
                 for q, (text, scores), ok in zip(quads + ends, self.recognizer(
                     glyph_crops(image, quads + ends)), accept) if ok(text, scores, cfg)]
        if not found:
            return words, layout
        words = words + found
        return words, analyse_layout([w.polygon for w in words], self.cfg.layout)

    def _drop_unsure(self, words: List[Word], layout):
        """The page without its words read under ``min_text_score`` (mean character
        probability); the layout is redone if any went."""
        floor = self.cfg.min_text_score
        if floor <= 0:
            return words, layout
        kept = [w for w in words if w.char_scores and float(np.mean(w.char_scores)) >= floor]
        if len(kept) == len(words):
            return words, layout
        return kept, analyse_layout([w.polygon for w in kept], self.cfg.layout)

    # --------------------------------------------------------------- orientation
    def _judge(self, image: np.ndarray, polygons):
        """Read a sample of the page's regions as cut and turned 180 degrees."""
        crops = sample_crops(image, polygons, self.cfg.orientation.sample)
        upright = self.recognizer(crops) if crops else []
        turned = None  # a sample read surely upright needs no turned reading
        if could_flip(upright, self.cfg.orientation):
            turned = self.recognizer([np.ascontiguousarray(c[::-1, ::-1]) for c in crops])
        return judge_sample(upright, turned, self.cfg.orientation)

    def orient(self, image: np.ndarray, det):
        """(degrees the page is turned clockwise to read it, its detections in that frame)."""
        cfg = self.cfg.orientation
        polys, scores = det
        if not cfg.enabled:
            return 0, det
        h, w = image.shape[:2]
        upright = self._judge(image, polys)
        if cfg.sideways and polys and upright.good_share < cfg.sideways_below:
            side = rotate_image(image, 90)
            side_det = self.detect([side])[0]
            turned = self._judge(side, side_det[0])
            # a scene that reads poorly either way stays as it is
            if turned.good >= cfg.sideways_min_good and turned.good_share >= max(
                    cfg.sideways_below, upright.good_share + cfg.sideways_gain):
                if not turned.flip:
                    return 90, side_det
                return 270, ([rotate_points(p, 180, h, w) for p in side_det[0]], side_det[1])
        if upright.flip:
            return 180, ([rotate_points(p, 180, w, h) for p in polys], scores)
        return 0, det

    def _process_batch(self, batch: List[Page], dets=None) -> List[PageResult]:
        if dets is None:
            dets = self.detect_pages(batch)
        turns = [self.orient(p.image, det) for p, det in zip(batch, dets)]
        images = [rotate_image(p.image, deg) for p, (deg, _) in zip(batch, turns)]
        # multi-word boxes cut at their spaces, in the frame the page is read in; faint glyph
        # candidates of scenes dropped unread
        turns = [(deg, without_faint_on_sparse_page(*split_words(img, *det, self.cfg.word_split),
                                                    self.cfg.min_det_score, self.cfg.small_glyphs))
                 for img, (deg, det) in zip(images, turns)]
        # neighbours' overlapping ends cut apart in the space between them, then a word's
        # trailing full stop or comma taken into its box, before they are read
        words_per_page = self.read_pages([
            (img, extend_to_marks(img, trim_neighbours(img, polys, self.cfg.neighbour_trim),
                                  self.cfg.trailing_marks))
            for img, (_, (polys, _)) in zip(images, turns)])
        results = []
        for page, image, (deg, (polys, scores)), words in zip(batch, images, turns,
                                                              words_per_page):
            for word, score in zip(words, scores):
                word.det_score = float(score)
            words = [w for w in words if w.det_score >= self.cfg.min_det_score or
                     accept_reading(w.text, w.char_scores, self.cfg.small_glyphs)]
            words = self._split_spaced_words(image, self._split_colons(image, words))
            layout = analyse_layout([w.polygon for w in words], self.cfg.layout)
            if (self.cfg.join_split_numbers or self.cfg.join_touching_words
                    or self.cfg.join_lexicon):
                words, layout = self._join_split_words(image, words, layout)
            words, layout = self._read_gap_glyphs(image, words, layout)
            # doubtful words read again with other margins (texts only: the layout stands)
            words = revote_words(image, words, self.recognizer, self.cfg.margin_vote)
            words, layout = self._drop_unsure(words, layout)
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


def _batches(pages: Iterable[Page], size: int) -> Iterator[List[Page]]:
    batch: List[Page] = []
    for page in pages:
        batch.append(page)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
