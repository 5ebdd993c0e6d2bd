"""End-to-end OCR: pages -> detector -> rectified crops -> recognizer -> layout -> writers.

Modules, one role each: ``pages`` (PDF/image loading), ``models`` (MMOCR detector/recognizer
adapters), ``polygon_edges`` + ``rectify`` (upright crops), ``windows`` (long crops), ``layout``
(lines, blocks, reading order), ``result`` (page results), ``engine`` (the pipeline),
``writers`` (JSON, text, visualisation, searchable PDF), ``inputs`` + ``runner`` (batch work),
``preset`` (pipelines/*.py). The command line is ``clip4str.cli.ocr``.

    from clip4str.ocr import build_engine, load_preset
    engine = build_engine(load_preset('document'), device='cpu')
    print(engine.ocr_image(cv2.imread('page.png')).text)
"""
from .engine import EngineConfig, OCREngine, WindowConfig
from .errors import ModelLoadError, OCRInputError
from .layout import LayoutConfig, analyse_layout
from .pages import Page, load_pages, parse_page_range
from .preset import build_engine, load_preset
from .rectify import RectifyConfig, crop_candidates
from .result import PageResult, Word

__all__ = ['EngineConfig', 'OCREngine', 'WindowConfig', 'ModelLoadError', 'OCRInputError',
           'LayoutConfig', 'analyse_layout', 'Page', 'load_pages', 'parse_page_range',
           'build_engine', 'load_preset', 'RectifyConfig', 'crop_candidates', 'PageResult',
           'Word']
