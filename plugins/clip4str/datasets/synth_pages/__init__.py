"""Synthetic document pages (and photo-like scenes) with word-level polygons, for training the
text detector. ``render_page(seed, i)`` draws one page; ``generate`` writes an MMOCR dataset.

Modules: fonts (which fonts), text_source (what text), canvas (drawing + word boxes), layouts/
(documents, tables, forms, receipts, scenes), backgrounds, geometry (scan skew, photographed
pages), degrade (scan/photo damage), page (one page end to end), writer (datasets on disk).
"""
from .page import DEFAULT_MIX, PageSample, render_page
from .writer import generate

__all__ = ['DEFAULT_MIX', 'PageSample', 'render_page', 'generate']
