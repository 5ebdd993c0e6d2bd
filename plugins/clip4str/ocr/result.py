"""What the engine returns for a page: words (polygon, text, scores) in reading order + layout."""
from dataclasses import dataclass, field
from typing import List

import numpy as np

from .layout import Layout, layout_text


@dataclass
class Word:
    polygon: np.ndarray            # (N, 2) float, page pixel coordinates
    det_score: float
    text: str = ''
    char_scores: List[float] = field(default_factory=list)
    reading: str = 'horizontal'    # how the crop was turned to read it (see rectify.Candidate)

    @property
    def score(self) -> float:
        """Word confidence: mean of the character scores (0 for an empty reading)."""
        return float(np.mean(self.char_scores)) if self.char_scores else 0.0


def _bbox(polygons) -> List[float]:
    pts = np.concatenate([np.asarray(p).reshape(-1, 2) for p in polygons])
    return [round(float(v), 1) for v in (*pts.min(0), *pts.max(0))]


@dataclass
class PageResult:
    source: str
    page_index: int                # 0-based page (or frame) of the source file
    width: int
    height: int
    dpi: float = 72.0
    words: List[Word] = field(default_factory=list)
    layout: Layout = field(default_factory=Layout)
    rotation: int = 0              # degrees the page was turned clockwise to read it upright

    @property
    def text(self) -> str:
        return layout_text([w.text for w in self.words], self.layout)

    def to_dict(self) -> dict:
        """MMOCRInferencer's result keys (det_polygons, det_scores, rec_texts, rec_scores) plus
        per-character scores, lines, blocks, the page text and where the page came from."""
        words = self.words
        lines = [dict(words=ids, text=' '.join(words[i].text for i in ids if words[i].text),
                      bbox=_bbox([words[i].polygon for i in ids])) for ids in self.layout.lines]
        blocks = [dict(lines=ids, bbox=_bbox([words[w].polygon for li in ids
                                               for w in self.layout.lines[li]]))
                  for ids in self.layout.blocks]
        return dict(
            det_polygons=[[round(float(v), 1) for v in w.polygon.reshape(-1)] for w in words],
            det_scores=[round(float(w.det_score), 4) for w in words],
            rec_texts=[w.text for w in words],
            rec_scores=[round(w.score, 4) for w in words],
            rec_char_scores=[[round(float(s), 4) for s in w.char_scores] for w in words],
            readings=[w.reading for w in words],
            lines=lines,
            blocks=blocks,
            text=self.text,
            page=dict(source=self.source, index=self.page_index, number=self.page_index + 1,
                      width=self.width, height=self.height, dpi=round(float(self.dpi), 2),
                      skew=round(float(self.layout.skew), 2), rotation=self.rotation),
        )
