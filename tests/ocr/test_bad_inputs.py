"""Every kind of bad input: one line naming the file, the batch goes on, nothing half-written."""
import io
import os

import numpy as np
from PIL import Image

from clip4str.ocr.inputs import collect_inputs
from clip4str.ocr.runner import BatchRunner
from .ocr_fakes import fake_engine  # noqa: F401  (fixture)


def _pdf_bytes(n_pages=1):
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(200, 100))
    for i in range(n_pages):
        c.drawString(20, 40, f'page {i + 1}')
        c.showPage()
    c.save()
    return buf.getvalue()


def _png_bytes(size=(120, 60)):
    buf = io.BytesIO()
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)).save(buf, 'PNG')
    return buf.getvalue()


def _jpg_bytes():
    buf = io.BytesIO()
    Image.new('RGB', (200, 100), 'white').save(buf, 'JPEG')
    return buf.getvalue()


def make_bad_files(d):
    """{file name: words expected in its error line}"""
    from pypdf import PdfReader, PdfWriter
    (d / 'corrupt.png').write_bytes(b'\x89PNG\r\n\x1a\n' + os.urandom(300))
    png = _png_bytes()
    (d / 'truncated.png').write_bytes(png[:len(png) // 2])
    jpg = _jpg_bytes()
    (d / 'truncated.jpg').write_bytes(jpg[:len(jpg) // 2])
    pdf = _pdf_bytes(2)
    (d / 'truncated.pdf').write_bytes(pdf[:len(pdf) // 3])
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    w.encrypt('pw')
    with open(d / 'encrypted.pdf', 'wb') as f:
        w.write(f)
    with open(d / 'zero_pages.pdf', 'wb') as f:
        PdfWriter().write(f)
    Image.new('RGB', (1, 1), 'white').save(d / 'tiny.png')
    Image.new('1', (10000, 10000)).save(d / 'bomb.png')  # 100 Mpixels in a few KB
    (d / 'notes.jpg').write_text('this is not a picture\n')
    (d / 'empty.png').write_bytes(b'')
    return {
        'corrupt.png': 'not an image',
        'truncated.png': 'truncated',
        'truncated.jpg': 'truncated',
        'truncated.pdf': 'PDF',
        'encrypted.pdf': '--password',
        'zero_pages.pdf': 'no pages',
        'tiny.png': '1x1',
        'bomb.png': 'decompression bomb',
        'notes.jpg': 'not an image',
        'empty.png': 'empty',
        'missing.png': 'not found',
    }


def test_each_bad_input_gets_one_line_and_the_batch_goes_on(tmp_path, fake_engine):
    bad = tmp_path / 'bad'
    bad.mkdir()
    expected = make_bad_files(bad)
    Image.new('RGB', (200, 100), 'white').save(bad / 'blank.png')  # empty page: not an error
    good = bad / 'zz_good.png'
    img = np.full((100, 240, 3), 255, np.uint8)
    img[20:40, 20:100] = 20
    Image.fromarray(img).save(good)

    errors = []
    out = tmp_path / 'out'
    specs = [str(bad), str(bad / 'missing.png'), str(tmp_path / 'nothing-*.png')]
    runner = BatchRunner(fake_engine, str(out), on_error=errors.append)
    summary = runner.run(collect_inputs(specs))

    by_file = {}
    for line in errors:
        assert '\n' not in line and line.startswith('error: ')
        name = next((n for n in list(expected) + ['nothing-*.png'] if n in line), None)
        assert name is not None, line
        by_file.setdefault(name, []).append(line)
    for name, words in expected.items():
        assert len(by_file.get(name, [])) == 1, (name, errors)
        assert words in by_file[name][0], by_file[name][0]
    assert 'no files match' in by_file['nothing-*.png'][0]
    assert len(errors) == len(expected) + 1

    status = {os.path.basename(o.item.path): o.status for o in summary.outcomes}
    assert status['blank.png'] == 'ok' and status['zz_good.png'] == 'ok'
    assert summary.count('failed') == len(expected) + 1 and summary.exit_code == 1
    # only the good inputs have result folders, and no temporary leftovers exist
    assert sorted(os.listdir(out)) == ['blank_png', 'zz_good_png']
    assert (out / 'blank_png' / 'text.txt').read_text() == '\n\f'
    assert (out / 'zz_good_png' / 'text.txt').read_text() == 'w0\n\f'


def test_wrong_password_and_page_range_past_the_end(tmp_path, fake_engine):
    from pypdf import PdfReader, PdfWriter
    from clip4str.ocr.pages import parse_page_range
    from clip4str.ocr.runner import LoadOptions
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_bytes(1))))
    w.encrypt('right')
    with open(tmp_path / 'locked.pdf', 'wb') as f:
        w.write(f)
    (tmp_path / 'short.pdf').write_bytes(_pdf_bytes(1))
    errors = []
    load = LoadOptions(dpi=50, pages=parse_page_range('3-5'), password='wrong')
    summary = BatchRunner(fake_engine, str(tmp_path / 'out'), load=load,
                          on_error=errors.append).run(
        collect_inputs([str(tmp_path / 'locked.pdf'), str(tmp_path / 'short.pdf')]))
    assert summary.count('failed') == 2
    assert any('locked.pdf' in e and 'wrong password' in e for e in errors)
    assert any('short.pdf' in e and '--pages' in e for e in errors)


def test_empty_folder_is_reported(tmp_path, fake_engine):
    (tmp_path / 'empty').mkdir()
    errors = []
    summary = BatchRunner(fake_engine, str(tmp_path / 'out'), on_error=errors.append).run(
        collect_inputs([str(tmp_path / 'empty')]))
    assert summary.exit_code == 1 and 'no images or PDFs' in errors[0]


def test_aes256_pdf_needs_its_password_and_opens_with_it(tmp_path, fake_engine):
    from clip4str.ocr.runner import LoadOptions
    from .fuzz_set import encrypted_pdf
    (tmp_path / 'aes.pdf').write_bytes(encrypted_pdf('right', 'AES-256'))
    items = collect_inputs([str(tmp_path / 'aes.pdf')])
    errors = []
    summary = BatchRunner(fake_engine, str(tmp_path / 'out'), on_error=errors.append).run(items)
    assert summary.count('failed') == 1
    assert errors == [f'error: {tmp_path}/aes.pdf: PDF is encrypted: give its password with '
                      '--password']
    summary = BatchRunner(fake_engine, str(tmp_path / 'out'), on_error=errors.append,
                          load=LoadOptions(dpi=72, password='right')).run(items)
    assert summary.count('ok') == 1 and len(errors) == 1


def test_a_pipe_named_as_a_file_is_refused_not_opened(tmp_path, fake_engine):
    os.mkfifo(tmp_path / 'fifo.jpg')
    errors = []
    BatchRunner(fake_engine, str(tmp_path / 'out'), on_error=errors.append).run(
        collect_inputs([str(tmp_path / 'fifo.jpg')]))
    assert errors == [f'error: {tmp_path}/fifo.jpg: is a named pipe, not a regular file; '
                      'not read']
