"""Writers: JSON schema, plain text, visualisation, searchable PDF (pdftotext reads it back)."""
import json
import os
import shutil
import subprocess

import cv2
import numpy as np
import pytest

from clip4str.ocr.layout import analyse_layout
from clip4str.ocr.result import PageResult, Word
from clip4str.ocr.writers import (SearchablePdfWriter, atomic_path, publish_dir,
                                  write_page_json, write_plain_text, write_visualisation)

WORDS = [('Invoice', 40, 30), ('2024-0317', 260, 30), ('Total', 40, 120), ('117.05', 260, 120)]


def make_page(angle=0.0):
    img = np.full((240, 480, 3), 255, np.uint8)
    words = []
    for text, x, y in WORDS:
        cv2.putText(img, text, (x, y + 32), cv2.FONT_HERSHEY_SIMPLEX, 1.1, (0, 0, 0), 2)
        poly = np.array([[x, y], [x + 180, y], [x + 180, y + 40], [x, y + 40]], float)
        if angle:
            m = cv2.getRotationMatrix2D((240, 120), angle, 1.0)
            poly = poly @ m[:, :2].T + m[:, 2]
        words.append(Word(poly, 0.9, text, [0.8] * len(text)))
    layout = analyse_layout([w.polygon for w in words])
    return img, PageResult('scan.png', 0, 480, 240, 100.0, words, layout)


def test_json_has_mmocr_keys_and_extras(tmp_path):
    _, page = make_page()
    path = tmp_path / 'p.json'
    write_page_json(str(path), page)
    data = json.loads(path.read_text())
    n = len(WORDS)
    for key in ('det_polygons', 'det_scores', 'rec_texts', 'rec_scores', 'rec_char_scores'):
        assert len(data[key]) == n, key
    assert all(len(p) == 8 for p in data['det_polygons'])
    assert data['rec_texts'] == [w[0] for w in WORDS]
    assert data['rec_char_scores'][0] == [0.8] * len('Invoice')
    assert data['rec_scores'][0] == pytest.approx(0.8)
    assert [l['text'] for l in data['lines']] == ['Invoice 2024-0317', 'Total 117.05']
    assert [b['lines'] for b in data['blocks']] == [[0], [1]]  # 50 px apart: two blocks
    assert data['text'] == 'Invoice 2024-0317\n\nTotal 117.05'
    assert data['page'] == dict(source='scan.png', index=0, number=1, width=480, height=240,
                                dpi=100.0, skew=0.0, rotation=0)


def test_plain_text_pages_end_with_form_feed(tmp_path):
    path = tmp_path / 't.txt'
    write_plain_text(str(path), ['page one', '', 'page three\n'])
    assert path.read_text() == 'page one\n\f\n\fpage three\n\f'


def test_visualisation_is_a_picture_of_page_and_text(tmp_path):
    img, page = make_page()
    path = tmp_path / 'vis' / 'v.jpg'
    write_visualisation(str(path), img, page)
    vis = cv2.imread(str(path))
    assert vis.shape[:2] == (240, 960)
    assert vis[:, 480:].mean() > 200 and vis[:, 480:].min() < 100  # text drawn on white


@pytest.mark.skipif(shutil.which('pdftotext') is None, reason='needs poppler-utils')
@pytest.mark.parametrize('angle', [0.0, 8.0])
def test_searchable_pdf_text_is_extractable(tmp_path, angle):
    img, page = make_page(angle)
    path = tmp_path / 'out.pdf'
    writer = SearchablePdfWriter(str(path))
    writer.add_page(img, page)
    writer.add_page(img, page)
    writer.close()
    assert writer.pages == 2
    # -raw: content-stream order (pdftotext's layout mode splits diagonal text into letters)
    text = subprocess.run(['pdftotext', '-raw', str(path), '-'], capture_output=True,
                          text=True, check=True).stdout
    for word, _, _ in WORDS:
        assert text.count(word) == 2, (word, text)
    # the text layer sits on the words: pdftotext's bounding boxes match the polygons
    html = subprocess.run(['pdftotext', '-bbox', '-f', '1', '-l', '1', str(path), '-'],
                          capture_output=True, text=True, check=True).stdout
    if angle == 0:
        line = next(l for l in html.splitlines() if '>Total<' in l)
        xmin = float(line.split('xMin="')[1].split('"')[0])
        assert xmin == pytest.approx(40 * 72 / 100, abs=2)
    # the page keeps the image's physical size: 480 px at 100 dpi = 345.6 pt
    info = subprocess.run(['pdfinfo', str(path)], capture_output=True, text=True).stdout
    assert '345.6 x 172.8' in info


def paragraph_page(angle=0.0):
    """Two lines of prose whose word boxes touch, as a detector's padded polygons do."""
    lines = ['Thank you for your order.', 'This invoice lists the items shipped.']
    img = np.full((200, 900, 3), 255, np.uint8)
    words, m = [], cv2.getRotationMatrix2D((450, 100), angle, 1.0)
    for r, line in enumerate(lines):
        x, y = 30, 40 + 60 * r
        for text in line.split():
            w = 22 * len(text)
            cv2.putText(img, text, (x, y + 30), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
            poly = np.array([[x, y], [x + w, y], [x + w, y + 40], [x, y + 40]], float)
            words.append(Word(poly @ m[:, :2].T + m[:, 2], 0.9, text, [0.9] * len(text)))
            x += w  # no gap: the padded boxes of neighbouring words meet
    img = cv2.warpAffine(img, m, (900, 200), borderValue=(255, 255, 255))
    page = PageResult('letter.png', 0, 900, 200, 150.0, words,
                      analyse_layout([w.polygon for w in words]))
    return img, page


@pytest.mark.skipif(shutil.which('pdftotext') is None, reason='needs poppler-utils')
# pdftotext's default mode splits text tilted by more than about a degree into letters (a
# poppler limit); -raw (content-stream order) reads any angle
@pytest.mark.parametrize('angle, modes', [(0.0, ([], ['-raw'])), (0.8, ([], ['-raw'])),
                                          (8.0, (['-raw'],))])
def test_searchable_pdf_has_the_text_files_words_and_finds_phrases(tmp_path, angle, modes):
    from pypdf import PdfReader
    img, page = paragraph_page(angle)
    path = tmp_path / 'searchable.pdf'
    writer = SearchablePdfWriter(str(path))
    writer.add_page(img, page)
    writer.close()
    write_plain_text(str(tmp_path / 'text.txt'), [page.text])
    expected = (tmp_path / 'text.txt').read_text().split()
    for mode in modes:
        text = subprocess.run(['pdftotext', *mode, str(path), '-'], capture_output=True,
                              text=True, check=True).stdout
        assert text.split() == expected, (mode, text)
        assert 'your order' in ' '.join(text.split())  # a phrase search across a word break
    # a second extractor (what many viewers and indexers use) sees the same words
    assert PdfReader(str(path)).pages[0].extract_text().split() == expected


def test_atomic_writes_leave_nothing_on_failure(tmp_path):
    target = tmp_path / 'a.txt'
    target.write_text('old')
    with pytest.raises(RuntimeError):
        with atomic_path(str(target)) as tmp:
            open(tmp, 'w').write('half')
            raise RuntimeError('crash')
    assert target.read_text() == 'old' and os.listdir(tmp_path) == ['a.txt']
    _, page = make_page()
    writer = SearchablePdfWriter(str(tmp_path / 'b.pdf'))
    writer.abort()
    assert os.listdir(tmp_path) == ['a.txt']


def test_publish_dir_replaces_whole_folders(tmp_path):
    final = tmp_path / 'res'
    for content in ('one', 'two'):
        tmp = tmp_path / f'.tmp-{content}'
        tmp.mkdir()
        (tmp / 'f.txt').write_text(content)
        if content == 'two':
            with pytest.raises(FileExistsError):
                publish_dir(str(tmp), str(final))
        publish_dir(str(tmp), str(final), overwrite=True)
        assert (final / 'f.txt').read_text() == content
    assert sorted(os.listdir(tmp_path)) == ['res']
