"""Searchable PDF: each page image with an invisible, selectable text layer over the words.

Pages are added one at a time (reportlab keeps only compressed JPEG data per page). Each line of
the layout is one invisible text run (render mode 3) in reading order: its words, each stretched
to its polygon, joined by real space characters whose width reaches the next word. Selecting or
searching in a viewer highlights the right place, a phrase search ("your order") finds words
across the spaces, and ``pdftotext`` gets the page's text with its word breaks.
"""
import io
import os

import cv2
import numpy as np

from ..result import PageResult
from .atomic import atomic_path

FONT = 'Helvetica'


def _word_geometry(polygon: np.ndarray):
    """Bottom-left corner, reading direction angle (radians, image coords), length and height."""
    from ..polygon_edges import region_size, top_bottom_edges
    top, bottom = top_bottom_edges(polygon)
    length, height = region_size(top, bottom)
    d = top[-1] - top[0]
    return bottom[0], float(np.arctan2(d[1], d[0])), length, height


def _pdf_text(text: str) -> str:
    """The word in Helvetica's encoding (latin-1)."""
    return text.strip().encode('latin-1', 'replace').decode('latin-1')


def _lines_in_reading_order(page: PageResult):
    """Words per layout line in reading order; words no line holds come last, one per line."""
    lines = [[page.words[i] for i in ids] for ids in page.layout.lines]
    placed = {i for ids in page.layout.lines for i in ids}
    return lines + [[w] for i, w in enumerate(page.words) if i not in placed]


class SearchablePdfWriter:
    """``add_page(image, page)`` for each page, then ``close()``; the file appears atomically."""

    def __init__(self, path: str, jpeg_quality: int = 75):
        from reportlab.pdfgen import canvas
        self.path = path
        self.quality = jpeg_quality
        self._ctx = atomic_path(path)
        self._tmp = self._ctx.__enter__()
        self._canvas = canvas.Canvas(self._tmp, pageCompression=1)
        self._canvas.setTitle(os.path.basename(path))
        self._canvas.setCreator('clip4str-ocr')
        self.pages = 0

    def add_page(self, image: np.ndarray, page: PageResult) -> None:
        from reportlab.lib.utils import ImageReader
        c = self._canvas
        s = 72.0 / (page.dpi or 72.0)  # pixels -> points
        pw, ph = page.width * s, page.height * s
        c.setPageSize((pw, ph))
        ok, buf = cv2.imencode('.jpg', image, [cv2.IMWRITE_JPEG_QUALITY, self.quality])
        if not ok:
            raise RuntimeError(f'could not encode page {page.page_index + 1} for {self.path}')
        c.drawImage(ImageReader(io.BytesIO(buf.tobytes())), 0, 0, width=pw, height=ph)
        for line in _lines_in_reading_order(page):
            self._draw_line(line, s, ph)
        c.showPage()
        self.pages += 1

    def _draw_line(self, words, s: float, ph: float) -> None:
        """One text run from the first word's baseline corner at the words' median angle; words
        are placed by their polygons (PDF y points up: image geometry is flipped) and separated
        by space characters."""
        from reportlab.pdfbase.pdfmetrics import stringWidth
        geoms = [_word_geometry(w.polygon) for w in words]
        texts = [_pdf_text(w.text) for w in words]
        pairs = [(t, g) for t, g in zip(texts, geoms) if t]
        if not pairs:
            return
        origin, angle = pairs[0][1][0], float(np.median([g[1] for _, g in pairs]))
        size = max(1.0, 0.8 * s * float(np.median([g[3] for _, g in pairs])))
        d = np.array([np.cos(angle), np.sin(angle)])  # reading direction, image coords
        up = np.array([d[1], -d[0]])                  # towards the tops of the letters
        space = stringWidth(' ', FONT, size)
        t = self._canvas.beginText()
        t.setTextRenderMode(3)  # invisible: selectable and searchable, not painted
        t.setFont(FONT, size)
        cos, sin = np.cos(-angle), np.sin(-angle)
        # baseline a little above the polygon's bottom edge (room for descenders)
        lift = 0.15 * pairs[0][1][3] * s
        t.setTextTransform(cos, sin, -sin, cos, origin[0] * s - sin * lift,
                           ph - origin[1] * s + cos * lift)
        rel = [(np.asarray(g[0]) - origin) * s for _, g in pairs]
        starts = [float(r @ d) for r in rel] + [np.inf]
        pen = 0.0  # along the baseline, in points
        for k, (text, (_, _, length, _)) in enumerate(pairs):
            # the word keeps its polygon's length unless that leaves no room for a full-width
            # space before the next word (extractors break words at gaps, not at space codes)
            width = max(min(length * s, starts[k + 1] - starts[k] - space), 0.5 * length * s)
            natural = stringWidth(text, FONT, size)
            scale = width / natural if natural > 0 else 1.0
            t.setHorizScale(100.0 * scale)
            t.setRise(float(rel[k] @ up))
            t.textOut(text)
            pen += width
            if k + 1 < len(pairs):  # a space whose advance reaches the next word's start
                advance = max(space, starts[k + 1] - pen)
                t.setWordSpace(advance / scale - space)
                t.textOut(' ')
                pen += advance
        self._canvas.drawText(t)

    def close(self) -> None:
        self._canvas.save()
        self._ctx.__exit__(None, None, None)

    def abort(self) -> None:
        """Drop the partial file (used when the input fails half-way)."""
        try:
            self._ctx.__exit__(RuntimeError, RuntimeError('aborted'), None)
        except RuntimeError:
            pass
