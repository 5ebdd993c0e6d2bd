"""Peer OCR engines for side-by-side figures (tools/eval_ocr.py, tools/benchmark.py).

Two interfaces, the ones our own engine and recognizer have:

* page readers: ``reader(path) -> (polygons, texts, page_text)``, polygons (N, 2) float arrays in
  the image's pixels, ``page_text`` lines in the engine's reading order;
* crop recognizers: ``reader(crops) -> [(text, char_scores), ...]`` on BGR uint8 word crops.

Peers: Tesseract 5 (command line), RapidOCR 3.x (PyPI ``rapidocr``: PP-OCRv6 small detector and
recognizer inside the wheel, onnxruntime, offline) and RapidOCR 1.4.4 (``rapidocr-onnxruntime``:
PP-OCRv4 mobile). RapidOCR runs its full default pipeline (detector, 0/180 classifier,
recognizer), as a new user gets it.
"""
import subprocess
from pathlib import Path
from typing import List, Sequence, Tuple

import numpy as np

PAGE_PEERS = ('tesseract', 'rapidocr', 'rapidocr-v1.4')
RAPIDOCR_LABELS = {'rapidocr': 'RapidOCR 3 (PP-OCRv6 small)',
                   'rapidocr-v1.4': 'RapidOCR 1.4 (PP-OCRv4 mobile)'}

PageReading = Tuple[List[np.ndarray], List[str], str]


class TesseractPage:
    """Tesseract 5 through its command line: word boxes (TSV) and page text."""

    def __init__(self, psm: int = 3, lang: str = 'eng'):
        self.args = ['--psm', str(psm), '-l', lang]

    def __call__(self, path: Path) -> PageReading:
        tsv = subprocess.run(['tesseract', str(path), 'stdout', *self.args, 'tsv'],
                             capture_output=True, text=True, check=True).stdout
        polys, texts = [], []
        for row in tsv.splitlines()[1:]:
            cols = row.split('\t')
            if len(cols) == 12 and cols[0] == '5' and cols[11].strip():
                x, y, w, h = map(int, cols[6:10])
                polys.append(np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], float))
                texts.append(cols[11].strip())
        page = subprocess.run(['tesseract', str(path), 'stdout', *self.args],
                              capture_output=True, text=True, check=True).stdout
        return polys, texts, page


class TesseractCrops:
    """Tesseract 5 on one word per call (--psm 8: a single word), PNG through stdin."""

    def __call__(self, crops: Sequence[np.ndarray]) -> List[Tuple[str, List[float]]]:
        import cv2
        out = []
        for crop in crops:
            png = cv2.imencode('.png', crop)[1].tobytes()
            r = subprocess.run(['tesseract', 'stdin', 'stdout', '--psm', '8', '-l', 'eng'],
                               input=png, capture_output=True)
            out.append((r.stdout.decode('utf-8', 'replace').strip(), []))
        return out


def _rapidocr(version: str, threads: int, rec_batch: int = 6):
    """A RapidOCR engine; v3 reads its settings from dotted ``params``, 1.4 from keywords."""
    if version == 'rapidocr':
        try:
            from rapidocr import RapidOCR
        except ImportError as e:
            raise SystemExit(f'RapidOCR 3 is not installed ({e}): pip install "rapidocr>=3,<4"')
        return RapidOCR(params={
            'Global.log_level': 'warning',
            'EngineConfig.onnxruntime.intra_op_num_threads': threads,
            'EngineConfig.onnxruntime.inter_op_num_threads': 1,
            'Rec.rec_batch_num': rec_batch})
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as e:
        raise SystemExit(f'RapidOCR 1.4 is not installed ({e}): pip install rapidocr-onnxruntime')
    return RapidOCR(rec_batch_num=rec_batch, intra_op_num_threads=threads,
                    inter_op_num_threads=1)


class RapidOCRPage:
    """RapidOCR's full pipeline on one image file: its text lines are the "words"."""

    def __init__(self, version: str = 'rapidocr', threads: int = 1):
        self.version = version
        self.engine = _rapidocr(version, threads)

    def __call__(self, path: Path) -> PageReading:
        import cv2

        image = cv2.imread(str(path))
        if self.version == 'rapidocr':
            out = self.engine(image)
            boxes = [] if out.boxes is None else list(out.boxes)
            texts = list(out.txts or ())
        else:
            result, _ = self.engine(image)
            boxes = [r[0] for r in result or ()]
            texts = [r[1] for r in result or ()]
        polys = [np.asarray(b, float).reshape(-1, 2) for b in boxes]
        # its lines in the order it returns them (top to bottom, a row's boxes left to right
        # when their tops lie within 10 px), as a user gets them
        return polys, texts, '\n'.join(texts)


class RapidOCRCrops:
    """RapidOCR's recognizer alone on word crops (batched by width inside RapidOCR)."""

    def __init__(self, version: str = 'rapidocr', batch_size: int = 6, threads: int = 1):
        self.version = version
        self.engine = _rapidocr(version, threads, batch_size)

    def __call__(self, crops: Sequence[np.ndarray]) -> List[Tuple[str, List[float]]]:
        if self.version == 'rapidocr':
            from rapidocr.ch_ppocr_rec import TextRecInput
            recognizer = self.engine._load_rec_model()  # v3 loads it on first use
            out = recognizer(TextRecInput(img=list(crops)))
            return [(t, [s]) for t, s in zip(out.txts, out.scores)]
        results, _ = self.engine.text_rec(list(crops))
        return [(text, [score]) for text, score in results]


def page_reader(name: str, threads: int = 1, photo: bool = False):
    """A peer page reader by name (one of PAGE_PEERS); Tesseract reads photos as sparse text."""
    if name == 'tesseract':
        return TesseractPage(psm=11 if photo else 3)
    if name in RAPIDOCR_LABELS:
        return RapidOCRPage(name, threads)
    raise ValueError(f'unknown peer engine {name!r}; choose from {PAGE_PEERS}')


def crop_reader(name: str, batch_size: int, threads: int):
    """A peer crop recognizer by name (one of PAGE_PEERS)."""
    if name == 'tesseract':
        return TesseractCrops()
    if name in RAPIDOCR_LABELS:
        return RapidOCRCrops(name, batch_size, threads)
    raise ValueError(f'unknown peer engine {name!r}; choose from {PAGE_PEERS}')
