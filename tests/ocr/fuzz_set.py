"""A generated fuzz set for the batch OCR tool: good inputs plus 200+ hostile ones.

Built at run time (nothing binary is committed): truncated and garbled files of every format,
corrupt JPEG data, empty files, wrong contents, link loops, broken links, named pipes, a socket,
a PDF that renders for minutes, encrypted PDFs, pages too small to hold text, decompression
bombs, damaged page trees, long and odd file names... Each bad input is named ``bNNN-...``
(unique, so no name is part of another) and is expected to get exactly one error line.

    python tests/ocr/fuzz_set.py DIR     # write a set to DIR/in for a manual run, e.g.
    clip4str-ocr DIR/in --out DIR/out --password secret --timeout 5
"""
import io
import os
import socket
import zlib
from dataclasses import dataclass, field
from typing import Dict, List

import numpy as np
from PIL import Image

PASSWORD = 'secret'        # the batch's --password: 'good-aes256.pdf' opens with it
HANG_SIZE = (123, 45)      # an image of this size makes ocr_fakes-style engines spin (OCR hang)
LONG = 236                 # characters of a long (but legal, < 255 bytes) file name


@dataclass
class FuzzSet:
    root: str
    good: List[str] = field(default_factory=list)          # paths that must give results
    bad: Dict[str, str] = field(default_factory=dict)      # path -> what the case is
    sockets: List[socket.socket] = field(default_factory=list)

    def close(self):
        for s in self.sockets:
            s.close()


# ------------------------------------------------------------------------------ file bytes
def page_image(seed: int, size=(160, 320)) -> np.ndarray:
    """A white page with a few dark word boxes (what the fake detector finds)."""
    rng = np.random.default_rng(seed)
    img = np.full((*size, 3), 255, np.uint8)
    for k in range(3):
        y, x = 20 + 40 * k, int(rng.integers(10, 60))
        img[y:y + 16, x:x + int(rng.integers(40, 120))] = 20 + 7 * k
    return img


def image_bytes(fmt: str, seed: int = 0, size=(160, 320), **kw) -> bytes:
    buf = io.BytesIO()
    img = Image.fromarray(page_image(seed, size))
    if fmt == 'GIF':
        img = img.convert('P')
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def pdf_bytes(pages: int = 1, size=(200, 120)) -> bytes:
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size)
    for i in range(pages):
        c.rect(20, 40, 80, 20, fill=1)
        c.drawString(20, 80, f'page {i + 1}')
        c.showPage()
    c.save()
    return buf.getvalue()


def encrypted_pdf(password: str, algorithm: str) -> bytes:
    from pypdf import PdfReader, PdfWriter
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    w.encrypt(password, algorithm=algorithm)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def raw_pdf(objects: List[bytes]) -> bytes:
    """A PDF from object bodies (object i+1 = objects[i]) with a correct xref table."""
    out, offsets = b'%PDF-1.4\n', []
    for i, body in enumerate(objects):
        offsets.append(len(out))
        out += b'%d 0 obj\n' % (i + 1) + body + b'\nendobj\n'
    xref = len(out)
    out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objects) + 1)
    out += b''.join(b'%010d 00000 n \n' % o for o in offsets)
    out += b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (
        len(objects) + 1, xref)
    return out


def one_page_pdf(content: bytes, box=(200, 200), compress=False) -> bytes:
    extra = b' /Filter /FlateDecode' if compress else b''
    data = zlib.compress(content, 6) if compress else content
    return raw_pdf([
        b'<< /Type /Catalog /Pages 2 0 R >>',
        b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R >>' % box,
        b'<< /Length %d%s >>\nstream\n' % (len(data), extra) + data + b'\nendstream'])


def slow_pdf(ops: int = 2_000_000) -> bytes:
    """~120 KB that pdftoppm renders for minutes (millions of path operations)."""
    return one_page_pdf(b'0 0 m 100 100 l 50 0 l S\n' * ops, compress=True)


def page_tree_loop_pdf() -> bytes:
    return raw_pdf([b'<< /Type /Catalog /Pages 2 0 R >>',
                    b'<< /Type /Pages /Kids [2 0 R] /Count 1 >>'])


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width`` x ``height`` with almost no data (a bomb claim)."""
    def chunk(kind, data):
        return (len(data).to_bytes(4, 'big') + kind + data
                + zlib.crc32(kind + data).to_bytes(4, 'big'))
    ihdr = width.to_bytes(4, 'big') + height.to_bytes(4, 'big') + bytes([8, 2, 0, 0, 0])
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr)
            + chunk(b'IDAT', zlib.compress(b'\x00' * 64)) + chunk(b'IEND', b''))


def png_with_pdf_marker() -> bytes:
    """A valid PNG whose first KB holds '%PDF-' (in a text chunk): an image, not a PDF."""
    from PIL import PngImagePlugin
    info = PngImagePlugin.PngInfo()
    info.add_text('Comment', 'converted from %PDF-1.4 by a scanner')
    buf = io.BytesIO()
    Image.fromarray(page_image(7)).save(buf, 'PNG', pnginfo=info)
    return buf.getvalue()


def corrupt_jpeg(seed: int) -> bytes:
    """Flipped bytes inside the entropy-coded data: decodes, partly as garbage."""
    data = bytearray(image_bytes('JPEG', seed, (240, 400), quality=90))
    rng = np.random.default_rng(seed)
    start = len(data) // 3 + int(rng.integers(0, len(data) // 3))
    for k in range(start, start + 400):
        data[k] = 0xAA  # long runs of one bit pattern are no valid Huffman sequence
    return bytes(data)


def early_end_jpeg(seed: int) -> bytes:
    """Entropy-coded data cut short, then a proper end marker (no 'truncated' from PIL)."""
    data = image_bytes('JPEG', seed, (240, 400), quality=90)
    return data[:len(data) * (30 + 7 * seed) // 100] + b'\xff\xd9'


# ------------------------------------------------------------------------------- the set
FORMATS = {'png': 'PNG', 'jpg': 'JPEG', 'tif': 'TIFF', 'gif': 'GIF', 'bmp': 'BMP',
           'webp': 'WEBP'}
CUTS = (0.01, 0.03, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
MAGIC = {'png': b'\x89PNG\r\n\x1a\n', 'jpg': b'\xff\xd8\xff\xe0', 'tif': b'II*\x00',
         'tiff': b'MM\x00*', 'gif': b'GIF89a', 'bmp': b'BM', 'webp': b'RIFF\x00\x10\x00\x00WEBP',
         'pdf': b'%PDF-1.7\n'}


def build(root: str, seed: int = 0) -> FuzzSet:
    """Write the set under ``root`` (folder ``root/in``) and say which inputs are which."""
    top = os.path.join(root, 'in')
    os.makedirs(os.path.join(top, 'sub', 'deeper'))
    fz = FuzzSet(root=top)
    counter = iter(range(1000))

    def bad(name: str, data: bytes = None, folder: str = '') -> str:
        path = os.path.join(top, folder, f'b{next(counter):03d}-{name}')
        if data is not None:
            with open(path, 'wb') as f:
                f.write(data)
        fz.bad[path] = name
        return path

    def good(name: str, data: bytes, folder: str = '') -> None:
        path = os.path.join(top, folder, name)
        with open(path, 'wb') as f:
            f.write(data)
        fz.good.append(path)

    # ---- good inputs, some unusual
    good('good-page.png', image_bytes('PNG', 1))
    good('good-photo.jpg', image_bytes('JPEG', 2, quality=92))
    good('good-two-pages.pdf', pdf_bytes(2))
    good('good-aes256.pdf', encrypted_pdf(PASSWORD, 'AES-256'))
    good('good-pdf-marker.png', png_with_pdf_marker())
    good('g' * LONG + '.png', image_bytes('PNG', 3))
    good('good-ünïcødé-页.png', image_bytes('PNG', 4))
    good('good-wrong-extension.png', image_bytes('JPEG', 5))
    good(os.fsdecode(b'good-not-utf8-\xff.png'), image_bytes('PNG', 8))
    good('good-frames.tif', image_bytes('TIFF', 6), folder='sub/deeper')
    os.symlink(os.path.join(top, 'good-page.png'), os.path.join(top, 'sub', 'same-page.png'))

    # ---- truncated files of every format
    whole = {ext: image_bytes(fmt, 10) for ext, fmt in FORMATS.items()}
    whole['pdf'] = pdf_bytes(1)
    for ext, data in whole.items():
        for cut in CUTS:
            bad(f'truncated-{int(cut * 100):02d}.{ext}', data[:max(1, int(len(data) * cut))])
    # ---- the right first bytes, then garbage
    rng = np.random.default_rng(seed)
    for ext, magic in MAGIC.items():
        for k in range(6):
            bad(f'garbage-{k}.{ext}', magic + rng.integers(0, 256, 64 << k, np.uint8).tobytes())
    # ---- JPEGs that decode partly made up
    for k in range(10):
        bad(f'corrupt-data-{k}.jpg', corrupt_jpeg(k))
    for k in range(6):
        bad(f'early-end-{k}.jpg', early_end_jpeg(k))
    # ---- empty files and wrong contents
    for ext in ('jpg', 'jpeg', 'png', 'tif', 'tiff', 'bmp', 'webp', 'gif', 'pdf'):
        bad(f'empty.{ext}', b'')
    bad('text.jpg', b'this is not a picture\n')
    bad('html.pdf', b'<!doctype html><html><body>404</body></html>')
    bad('zip.png', b'PK\x03\x04' + bytes(200))
    bad('elf.tif', b'\x7fELF' + bytes(300))
    bad('script.webp', b'#!/bin/sh\necho hi\n')
    bad('nul.gif', bytes(4096))
    # ---- links: loops, a second way into a folder, broken ones
    os.symlink('.', bad('loop-self-dir'))
    os.symlink('..', bad('loop-up', folder='sub'))
    os.symlink('../..', bad('loop-up2', folder='sub/deeper'))
    looping = bad('loop-link.png')
    os.symlink(os.path.basename(looping), looping)
    os.symlink('no-such-file.png', bad('dangling.png'))
    os.symlink('../no-such-file.jpg', bad('dangling-up.jpg', folder='sub'))
    # ---- things that are not regular files (would block or fail on open)
    os.mkfifo(bad('fifo.jpg'))
    os.mkfifo(bad('fifo.pdf', folder='sub'))
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(bad('socket.png'))
    fz.sockets.append(sock)
    # ---- time bombs: a PDF that renders for minutes, an image the OCR engine hangs on
    bad('slow-render.pdf', slow_pdf())
    bad('ocr-hang.png', image_bytes('PNG', 11, size=HANG_SIZE[::-1]))
    # ---- encrypted PDFs with a password other than the batch's
    for algo in ('AES-256', 'AES-128', 'RC4-128', 'RC4-40'):
        bad(f'encrypted-{algo}.pdf', encrypted_pdf('other', algo))
    # ---- too small to hold text
    bad('one-pixel.png', image_bytes('PNG', 12, size=(1, 1)))
    bad('thin.png', image_bytes('PNG', 13, size=(3, 300)))
    bad('two-pixel.gif', image_bytes('GIF', 14, size=(2, 2)))
    bad('one-point-page.pdf', one_page_pdf(b'0 0 1 1 re f\n', box=(1, 1)))
    bad('thin-page.pdf', one_page_pdf(b'0 0 1 1 re f\n', box=(500, 1)))
    bad('zero-page.pdf', one_page_pdf(b'0 0 1 1 re f\n', box=(0, 0)))
    frames = io.BytesIO()
    Image.fromarray(page_image(15)).save(frames, 'TIFF', save_all=True,
                                         append_images=[Image.new('RGB', (2, 2))])
    bad('tiny-second-frame.tif', frames.getvalue())
    # ---- decompression bombs
    bad('bomb-header.png', png_header_only(60000, 60000))
    big = io.BytesIO()
    Image.new('1', (12000, 12000)).save(big, 'PNG')
    bad('bomb-bilevel.png', big.getvalue())
    bad('bomb-header.gif', b'GIF89a' + (65535).to_bytes(2, 'little') * 2 + bytes(3)
        + b',' + bytes(4) + (65535).to_bytes(2, 'little') * 2 + bytes(1) + b'\x08' + bytes(64))
    bad('bomb-header.bmp', b'BM' + bytes(12) + (40).to_bytes(4, 'little')
        + (50000).to_bytes(4, 'little') * 2 + (1).to_bytes(2, 'little')
        + (24).to_bytes(2, 'little') + bytes(24))
    # ---- damaged PDFs
    bad('page-tree-loop.pdf', page_tree_loop_pdf())
    bad('zero-pages.pdf', raw_pdf([b'<< /Type /Catalog /Pages 2 0 R >>',
                                   b'<< /Type /Pages /Kids [] /Count 0 >>']))
    bad('no-root.pdf', b'%PDF-1.4\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\n%%EOF\n')
    bad('xref-garbage.pdf', pdf_bytes(1).replace(b'xref', b'xref\n99999999 3\nzz', 1))
    # ---- long and odd names (bad contents, so each must be named in its error line)
    for k in range(6):
        stem = f'long-{k}-' + 'x' * (LONG - 14)
        bad(f'{stem}.png', b'\x89PNG\r\n\x1a\n' + bytes(k + 10), folder='sub' if k % 2 else '')
    bad('name with spaces.jpg', b'not a jpeg')
    bad('ünïcødé-名前.png', b'not a png')
    bad('tab\there.png', b'not a png')
    bad('-dash-first.pdf', b'%PDF-1.4\nnothing else')
    return fz


if __name__ == '__main__':
    import sys
    s = build(sys.argv[1] if len(sys.argv) > 1 else 'fuzz')
    print(f'{s.root}: {len(s.good)} good inputs, {len(s.bad)} bad ones')
    if sys.stdin.isatty():  # the socket input is bound while this runs
        input('press Enter to end ')
