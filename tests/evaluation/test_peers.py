"""Peer engines (cli/peers.py) read pages and crops through our interfaces."""
import shutil

import cv2
import numpy as np
import pytest

from tests.helpers import REPO

PHOTO = REPO / 'samples/sample_photo.jpg'


def needs(name):
    if name == 'tesseract':
        if shutil.which('tesseract') is None:
            pytest.skip('tesseract is not installed')
    else:
        pytest.importorskip('rapidocr' if name == 'rapidocr' else 'rapidocr_onnxruntime')


@pytest.mark.parametrize('name', ['rapidocr', 'rapidocr-v1.4', 'tesseract'])
def test_peer_reads_the_sample_sign(name):
    from clip4str.cli.peers import page_reader
    needs(name)
    polys, texts, page = page_reader(name, threads=1, photo=True)(PHOTO)
    assert len(polys) == len(texts) and all(p.shape[1] == 2 for p in polys)
    assert 'BAKERY' in page.upper()


@pytest.mark.parametrize('name', ['rapidocr', 'rapidocr-v1.4'])
def test_peer_recognizer_reads_crops_in_order(name):
    from clip4str.cli.peers import crop_reader
    needs(name)
    crops = []
    for word in ('OPEN', 'Bakery2024'):
        img = np.full((48, 40 * len(word), 3), 255, np.uint8)
        cv2.putText(img, word, (6, 36), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (0, 0, 0), 2)
        crops.append(img)
    out = crop_reader(name, batch_size=6, threads=1)(crops)
    assert [t for t, _ in out] == ['OPEN', 'Bakery2024']
    assert all(0 < s[0] <= 1 for _, s in out)
