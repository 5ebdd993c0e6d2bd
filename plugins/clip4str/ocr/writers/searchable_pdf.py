"""Searchable PDF: each page image with an invisible, selectable text layer over the words.

Pages are added one at a time (reportlab keeps only compressed JPEG data per page). Each word is
drawn in text render mode 3 (invisible) along its reading direction, sized to its polygon, so
selecting or searching in a viewer highlights the right place and ``pdftotext`` gets the text.
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
        from reportlab.pdfbase.pdfmetrics import stringWidth
        c = self._canvas
        s = 72.0 / (page.dpi or 72.0)  # pixels -> points
        pw, ph = page.width * s, page.height * s
        c.setPageSize((pw, ph))
        ok, buf = cv2.imencode('.jpg', image, [cv2.IMWRITE_JPEG_QUALITY, self.quality])
        if not ok:
            raise RuntimeError(f'could not encode page {page.page_index + 1} for {self.path}')
        c.drawImage(ImageReader(io.BytesIO(buf.tobytes())), 0, 0, width=pw, height=ph)
        for word in page.words:
            text = word.text.strip()
            if not text:
                continue
            text = text.encode('latin-1', 'replace').decode('latin-1')  # Helvetica's encoding
            (x, y), angle, length, height = _word_geometry(word.polygon)
            size = max(1.0, 0.8 * height * s)
            natural = stringWidth(text, FONT, size)
            t = c.beginText()
            t.setTextRenderMode(3)  # invisible: selectable and searchable, not painted
            t.setFont(FONT, size)
            t.setHorizScale(100.0 * length * s / natural if natural > 0 else 100.0)
            cos, sin = np.cos(-angle), np.sin(-angle)  # PDF y axis points up
            # baseline a little above the polygon's bottom edge (room for descenders),
            # moved along the text's up direction (-sin, cos)
            lift = 0.15 * height * s
            bx, by = x * s - sin * lift, ph - y * s + cos * lift
            t.setTextTransform(cos, sin, -sin, cos, bx, by)
            t.textOut(text)
            c.drawText(t)
        c.showPage()
        self.pages += 1

    def close(self) -> None:
        self._canvas.save()
        self._ctx.__exit__(None, None, None)

    def abort(self) -> None:
        """Drop the partial file (used when the input fails half-way)."""
        try:
            self._ctx.__exit__(RuntimeError, RuntimeError('aborted'), None)
        except RuntimeError:
            pass
