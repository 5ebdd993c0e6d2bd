"""Page loading: PDFs (pdf2image, one page at a time) and images (PIL, EXIF orientation, frames).

Every page comes out as a :class:`Page` holding a BGR uint8 array (MMOCR's convention). Problems
with a file raise :class:`OCRInputError` naming the file; pages are generated lazily so a 500-page
PDF never sits in memory whole.
"""
import logging
import os
import re
import stat
import warnings
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Iterator, List, Optional, Sequence, Tuple

import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from .deadline import InputTimeout
from .errors import OCRInputError
from .jpeg_check import libjpeg_warnings

IMAGE_EXTS = ('.jpg', '.jpeg', '.png', '.tif', '.tiff', '.bmp', '.webp', '.gif')
PDF_EXTS = ('.pdf',)
DEFAULT_MAX_PIXELS = Image.MAX_IMAGE_PIXELS or 89_478_485  # PIL's decompression-bomb limit
MIN_SIDE = 8  # smaller than this cannot hold a readable character
# first bytes of the image formats PIL reads for us; a file starting so is an image even when
# "%PDF-" appears later in its first KB (PDF readers accept a header anywhere in it)
IMAGE_MAGIC = (b'\x89PNG\r\n\x1a\n', b'\xff\xd8\xff', b'GIF87a', b'GIF89a', b'II*\x00',
               b'MM\x00*', b'BM', b'RIFF')
# PIL warnings that mean the pixels are partly made up (not EXIF or metadata notes)
DAMAGE_WARNING = re.compile(r'truncat|corrupt|broken|premature|incomplete|invalid', re.I)


@dataclass
class Page:
    """One page of an input, ready for detection."""
    image: np.ndarray          # H x W x 3, BGR, uint8
    index: int                 # 0-based index of the page (or frame) in its source file
    source: str                # the input file
    dpi: float = 72.0          # pixels per inch, used to size the searchable PDF page
    meta: dict = field(default_factory=dict)
    # (polygons, scores) when the page was detected ahead of its turn (.detect_ahead)
    detection: Optional[tuple] = None

    @property
    def size(self):
        """(width, height) in pixels."""
        return self.image.shape[1], self.image.shape[0]


def parse_page_range(spec: Optional[str]) -> Optional[List[Tuple[int, Optional[int]]]]:
    """'1-3,7,10-' -> [(0, 2), (6, 6), (9, None)]: 0-based inclusive ranges, None = to the end.

    None or '' means all pages (returns None).
    """
    if spec is None or not str(spec).strip():
        return None
    ranges = []
    for part in str(spec).split(','):
        part = part.strip()
        try:
            if '-' in part:
                lo, hi = part.split('-', 1)
                lo, hi = int(lo), (int(hi) if hi.strip() else None)
            else:
                lo = hi = int(part)
        except ValueError:
            raise ValueError(f'bad page range {spec!r}: use 1-based numbers like "1-3,7" or "5-"')
        if lo < 1 or (hi is not None and hi < lo):
            raise ValueError(f'bad page range {spec!r}: pages start at 1 and ranges go up')
        ranges.append((lo - 1, None if hi is None else hi - 1))
    return ranges


def select_pages(ranges: Optional[Sequence[Tuple[int, Optional[int]]]], count: int) -> List[int]:
    """The sorted 0-based page indices to process out of ``count`` pages."""
    if ranges is None:
        return list(range(count))
    wanted = set()
    for lo, hi in ranges:
        wanted.update(range(lo, count if hi is None else min(hi + 1, count)))
    return sorted(wanted)


def file_kind(mode: int) -> str:
    """What a non-regular file is, for messages ('a named pipe', ...)."""
    for test, kind in ((stat.S_ISFIFO, 'a named pipe'), (stat.S_ISSOCK, 'a socket'),
                       (stat.S_ISCHR, 'a character device'), (stat.S_ISBLK, 'a block device')):
        if test(mode):
            return kind
    return 'not a regular file'


def sniff_kind(path: str) -> str:
    """'pdf' or 'image' from the file's first bytes (extensions lie); raises if unreadable."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise OCRInputError(path, 'file not found' if not os.path.islink(path)
                            else 'broken symbolic link (its target does not exist)')
    except OSError as e:
        raise OCRInputError(path, f'cannot read file: {e.strerror or e}')
    if stat.S_ISDIR(mode):
        raise OCRInputError(path, 'is a folder, not a file')
    if not stat.S_ISREG(mode):  # a named pipe would block the batch forever
        raise OCRInputError(path, f'is {file_kind(mode)}, not a regular file; not read')
    try:
        with open(path, 'rb') as f:
            head = f.read(1024)
    except OSError as e:
        raise OCRInputError(path, f'cannot read file: {e.strerror or e}')
    if not head:
        raise OCRInputError(path, 'file is empty (0 bytes)')
    if not head.startswith(IMAGE_MAGIC) and b'%PDF-' in head:
        return 'pdf'
    return 'image'


def load_pages(path: str, pages: Optional[Sequence[int]] = None, dpi: float = 200,
               password: Optional[str] = None, max_pixels: int = DEFAULT_MAX_PIXELS,
               deadline=None) -> Iterator[Page]:
    """Pages of an image or PDF file, lazily. ``pages``: ranges from :func:`parse_page_range`;
    ``deadline``: a :class:`~.deadline.Deadline` whose time left limits PDF rendering."""
    path = str(path)
    kind = sniff_kind(path)
    if kind == 'pdf':
        yield from _pdf_pages(path, pages, dpi, password, max_pixels, deadline)
    else:
        yield from _image_pages(path, pages, max_pixels)


def count_pages(path: str, password: Optional[str] = None) -> int:
    """Number of pages (frames for images) without decoding pixels."""
    if sniff_kind(path) == 'pdf':
        return len(_open_pdf(path, password).pages)
    with _open_image(path, DEFAULT_MAX_PIXELS) as im:
        return getattr(im, 'n_frames', 1)


# ------------------------------------------------------------------------------------ images
def _open_image(path: str, max_pixels: int) -> Image.Image:
    limit = Image.MAX_IMAGE_PIXELS
    try:
        Image.MAX_IMAGE_PIXELS = None  # PIL's own check would warn or raise; ours says more
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')  # "Corrupt EXIF data": damage shows when decoding
            im = Image.open(path)  # reads the header only
    except UnidentifiedImageError:
        raise OCRInputError(path, 'not an image or PDF (unrecognised file format)')
    except OSError as e:
        raise OCRInputError(path, f'cannot open image: {" ".join(str(e).split())}')
    finally:
        Image.MAX_IMAGE_PIXELS = limit
    w, h = im.size
    if max_pixels and w * h > max_pixels:
        im.close()
        raise OCRInputError(path, f'image is {w}x{h} = {w * h / 1e6:.0f} Mpixels, over the '
                            f'{max_pixels / 1e6:.0f} Mpixel limit (possible decompression '
                            'bomb; raise it with --max-pixels if the file is trusted)')
    return im


def _to_bgr(frame: Image.Image) -> np.ndarray:
    """Any PIL mode -> BGR uint8; transparency is flattened onto white (like paper)."""
    if frame.mode in ('I;16', 'I;16B', 'I;16L', 'I'):
        arr = np.asarray(frame, dtype=np.float64)
        arr = (255 * (arr - arr.min()) / max(arr.max() - arr.min(), 1)).astype(np.uint8)
        frame = Image.fromarray(arr)
    if frame.mode in ('RGBA', 'LA', 'PA') or (frame.mode == 'P' and 'transparency' in frame.info):
        rgba = frame.convert('RGBA')
        white = Image.new('RGBA', rgba.size, (255, 255, 255, 255))
        frame = Image.alpha_composite(white, rgba)
    rgb = np.asarray(frame.convert('RGB'))
    return np.ascontiguousarray(rgb[:, :, ::-1])


def _image_pages(path: str, pages, max_pixels: int) -> Iterator[Page]:
    im = _open_image(path, max_pixels)
    with im:
        n_frames = getattr(im, 'n_frames', 1)
        dpi = im.info.get('dpi', (72, 72))
        try:
            dpi = float(dpi[0]) if dpi and float(dpi[0]) > 1 else 72.0
        except (TypeError, ValueError):
            dpi = 72.0
        wanted = set(select_pages(pages, n_frames))
        for i, frame in enumerate(ImageSequence.Iterator(im)):
            if i not in wanted:
                continue
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter('always')  # EXIF notes are dropped, damage is not
                    frame = ImageOps.exif_transpose(frame.copy())
                    image = _to_bgr(frame)
            except (OSError, ValueError, SyntaxError) as e:
                # truncated / corrupt data shows up only when pixels are decoded
                raise OCRInputError(path, f'corrupt or truncated image data ({e})')
            damage = [str(w.message) for w in caught if DAMAGE_WARNING.search(str(w.message))
                      and 'exif' not in str(w.message).lower()]
            if im.format == 'JPEG' and i == 0:  # PIL hides libjpeg's warnings
                damage += libjpeg_warnings(path)
            if damage:
                raise OCRInputError(path, 'corrupt image data, the picture is partly made up '
                                    f'({" ".join(damage[0].split())})')
            h, w = image.shape[:2]
            if min(h, w) < MIN_SIDE:
                raise OCRInputError(path, f'image is only {w}x{h} pixels; at least '
                                    f'{MIN_SIDE}x{MIN_SIDE} is needed to hold text')
            yield Page(image=image, index=i, source=path, dpi=dpi, meta={'frames': n_frames})


# -------------------------------------------------------------------------------------- PDFs
def _open_pdf(path: str, password: Optional[str]):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    logging.getLogger('pypdf').setLevel(logging.ERROR)  # its repair notes are not our errors
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            ok = reader.decrypt(password or '')
            if not ok:
                if password:
                    raise OCRInputError(path, 'wrong password for encrypted PDF (--password)')
                raise OCRInputError(path, 'PDF is encrypted: give its password with --password')
        n = len(reader.pages)
    except OCRInputError:
        raise
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise OCRInputError(path, f'not a readable PDF (corrupt or truncated): {e}')
    except Exception as e:  # pypdf raises assorted types on damaged files
        raise OCRInputError(path, f'not a readable PDF ({type(e).__name__}: {e})')
    if n == 0:
        raise OCRInputError(path, 'PDF has no pages')
    return reader


def _pdf_page_inches(reader, index: int) -> Optional[Tuple[float, float]]:
    try:
        box = reader.pages[index].mediabox
        return abs(float(box.width)) / 72, abs(float(box.height)) / 72
    except Exception:  # a damaged page tree: pdftoppm may still render it
        return None


def _pdf_page_dpi(reader, index: int, dpi: float, max_pixels: int) -> float:
    """The render dpi, lowered for this page when its pixel count would pass ``max_pixels``."""
    inches = _pdf_page_inches(reader, index)
    if not inches or min(inches) <= 0:
        return dpi
    w_in, h_in = inches
    pixels = w_in * h_in * dpi * dpi
    if max_pixels and pixels > max_pixels:
        return max(36.0, (max_pixels / (w_in * h_in)) ** 0.5 * 0.99)
    return dpi


def _pdf_pages(path: str, pages, dpi: float, password: Optional[str],
               max_pixels: int, deadline=None) -> Iterator[Page]:
    from pdf2image import convert_from_path
    from pdf2image.exceptions import PDFInfoNotInstalledError, PDFPageCountError, \
        PDFPopplerTimeoutError, PDFSyntaxError
    reader = _open_pdf(path, password)
    n = len(reader.pages)
    for i in select_pages(pages, n):
        page_dpi = _pdf_page_dpi(reader, i, dpi, max_pixels)
        inches = _pdf_page_inches(reader, i)
        if inches and min(inches) * page_dpi < MIN_SIDE:
            raise OCRInputError(path, f'PDF page {i + 1} is only {inches[0] * 72:.4g}x'
                                f'{inches[1] * 72:.4g} pt, too small to hold text')
        try:  # one page per call: pages stream, memory stays flat
            with deadline.external() if deadline else nullcontext() as left:
                images = convert_from_path(path, dpi=page_dpi, first_page=i + 1,
                                           last_page=i + 1, userpw=password, fmt='ppm',
                                           timeout=None if left is None else max(0.1, left))
        except PDFPopplerTimeoutError:
            raise InputTimeout(f'rendering PDF page {i + 1}: ' + deadline.message())
        except PDFInfoNotInstalledError:
            raise OCRInputError(path, 'PDF input needs poppler-utils (pdftoppm); '
                                'install it with: apt-get install poppler-utils')
        except (PDFPageCountError, PDFSyntaxError) as e:
            raise OCRInputError(path, f'cannot render PDF page {i + 1}: {str(e).strip()}')
        if not images:
            raise OCRInputError(path, f'cannot render PDF page {i + 1} (damaged PDF)')
        image = _to_bgr(images[0])
        if min(image.shape[:2]) < MIN_SIDE:
            raise OCRInputError(path, f'PDF page {i + 1} renders to only {image.shape[1]}x'
                                f'{image.shape[0]} pixels, too small to hold text')
        yield Page(image=image, index=i, source=path, dpi=page_dpi, meta={'pages': n})
