"""Page loading: EXIF orientation, multi-page TIFF, other formats, PDF page ranges, passwords."""
import io

import numpy as np
import pytest
from PIL import Image

from clip4str.ocr.errors import OCRInputError
from clip4str.ocr.pages import count_pages, load_pages, parse_page_range, select_pages


def _pdf(path, n_pages, password=None, size=(200, 100)):
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size)
    for i in range(n_pages):
        c.setFont('Helvetica', 40)
        c.drawString(20, 30, f'P{i + 1}')
        c.showPage()
    c.save()
    if password is None:
        path.write_bytes(buf.getvalue())
    else:
        w = PdfWriter(clone_from=PdfReader(io.BytesIO(buf.getvalue())))
        w.encrypt(password)
        with open(path, 'wb') as f:
            w.write(f)
    return path


def test_parse_page_range():
    assert parse_page_range(None) is None and parse_page_range(' ') is None
    ranges = parse_page_range('1-3,7,10-')
    assert select_pages(ranges, 12) == [0, 1, 2, 6, 9, 10, 11]
    assert select_pages(ranges, 5) == [0, 1, 2]
    for bad in ('0', '3-1', 'a', '1-x'):
        with pytest.raises(ValueError, match='page range'):
            parse_page_range(bad)


def test_exif_orientation_is_applied(tmp_path):
    img = np.zeros((20, 40, 3), np.uint8)
    img[:, :20] = (255, 0, 0)  # left half red (RGB)
    im = Image.fromarray(img)
    exif = im.getexif()
    exif[0x0112] = 6  # stored rotated: viewers turn it 90 degrees clockwise
    path = tmp_path / 'exif.jpg'
    im.save(path, exif=exif, quality=95)
    (page,) = list(load_pages(str(path)))
    assert page.image.shape[:2] == (40, 20)  # upright: taller than wide
    # red (BGR: channel 2) was on the left; turned clockwise it is on top
    assert page.image[:15, :, 2].mean() > 200 and page.image[25:, :, 2].mean() < 50


def test_multipage_tiff_and_page_selection(tmp_path):
    frames = [Image.new('RGB', (30, 20), (v, v, v)) for v in (10, 120, 240)]
    path = tmp_path / 'multi.tif'
    frames[0].save(path, save_all=True, append_images=frames[1:])
    pages = list(load_pages(str(path)))
    assert [p.index for p in pages] == [0, 1, 2]
    assert [int(p.image.mean()) for p in pages] == [10, 120, 240]
    assert count_pages(str(path)) == 3
    (second,) = list(load_pages(str(path), parse_page_range('2')))
    assert second.index == 1 and int(second.image.mean()) == 120


@pytest.mark.parametrize('ext', ['png', 'bmp', 'webp', 'gif', 'jpg'])
def test_formats_load_as_bgr(tmp_path, ext):
    path = tmp_path / f'x.{ext}'
    Image.new('RGB', (32, 16), (0, 0, 255)).save(path)  # blue in RGB
    (page,) = list(load_pages(str(path)))
    assert page.image.shape == (16, 32, 3) and page.image.dtype == np.uint8
    assert page.image[..., 0].mean() > 200 and page.image[..., 2].mean() < 50  # BGR order


def test_transparency_becomes_white(tmp_path):
    path = tmp_path / 'alpha.png'
    Image.new('RGBA', (16, 16), (0, 0, 0, 0)).save(path)
    (page,) = list(load_pages(str(path)))
    assert page.image.min() == 255


def test_pdf_page_range_and_dpi(tmp_path):
    path = _pdf(tmp_path / 'three.pdf', 3)
    pages = list(load_pages(str(path), parse_page_range('1,3'), dpi=72))
    assert [p.index for p in pages] == [0, 2]
    assert pages[0].size == (200, 100) and pages[0].dpi == 72
    (hi,) = list(load_pages(str(path), parse_page_range('2'), dpi=144))
    assert hi.size == (400, 200)
    # the page has dark text on white
    assert hi.image.min() < 100 and np.median(hi.image) == 255


def test_pdf_is_streamed_page_by_page(tmp_path):
    path = _pdf(tmp_path / 'three.pdf', 3)
    gen = load_pages(str(path), dpi=36)
    first = next(gen)  # only one page rendered so far
    assert first.index == 0


def test_pdf_password(tmp_path):
    path = _pdf(tmp_path / 'locked.pdf', 2, password='s3cret')
    with pytest.raises(OCRInputError, match='--password') as e:
        list(load_pages(str(path), dpi=36))
    assert 'locked.pdf' in str(e.value)
    with pytest.raises(OCRInputError, match='wrong password'):
        list(load_pages(str(path), dpi=36, password='nope'))
    pages = list(load_pages(str(path), dpi=36, password='s3cret'))
    assert len(pages) == 2


def test_size_guard_and_huge_pdf_pages(tmp_path):
    path = tmp_path / 'big.png'
    Image.new('L', (300, 300), 255).save(path)
    with pytest.raises(OCRInputError, match='decompression bomb'):
        list(load_pages(str(path), max_pixels=50_000))
    # a PDF page that would be too large at the asked dpi is rendered at a lower one
    pdf = _pdf(tmp_path / 'poster.pdf', 1, size=(720, 720))  # 10 x 10 inch
    (page,) = list(load_pages(str(pdf), dpi=300, max_pixels=1_000_000))
    assert page.size[0] * page.size[1] <= 1_000_000 and page.dpi < 300
