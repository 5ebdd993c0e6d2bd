"""Synthetic pages: deterministic per (seed, index), valid word polygons that cover their ink,
and a dataset on disk that MMOCR's OCRDataset reads."""
import json

import cv2
import numpy as np
import pytest

from clip4str.datasets.synth_pages import generate, render_page
from clip4str.datasets.synth_pages.canvas import Canvas
from clip4str.datasets.synth_pages.fonts import FontLibrary
from clip4str.datasets.synth_pages.layouts import LAYOUTS


@pytest.fixture(scope='module')
def fonts():
    return FontLibrary()


def test_same_seed_and_index_give_the_same_page(fonts):
    a, b = render_page(3, 7, fonts), render_page(3, 7, fonts)
    assert a.kind == b.kind and a.capture == b.capture
    assert np.array_equal(a.image, b.image)
    assert a.instances == b.instances
    c = render_page(3, 8, fonts)
    assert c.image.shape != a.image.shape or not np.array_equal(c.image, a.image)


def test_words_are_maximal_non_space_runs_and_boxes_hold_all_ink(fonts):
    """On a clean canvas every dark pixel lies in some word box and every box holds ink."""
    font = fonts.load(fonts.pick(np.random.default_rng(0), 'body'), 28)
    canvas = Canvas((700, 120), background=(255, 255, 255))
    canvas.draw_line(10, 60, ['Total:', '$12.50', 'paid', '(cash)'], font, (0, 0, 0))
    canvas.draw_line(10, 100, ['MONO', 'spaced'], font, (0, 0, 0), tracking=6)
    assert [w.text for w in canvas.words] == ['Total:', '$12.50', 'paid', '(cash)', 'MONO',
                                              'spaced']
    assert all(' ' not in w.text for w in canvas.words)
    ink = np.asarray(canvas.img.convert('L')) < 128
    covered = np.zeros_like(ink)
    for w in canvas.words:
        m = np.zeros(ink.shape, np.uint8)
        cv2.fillPoly(m, [np.round(w.polygon).astype(np.int32)], 1)
        assert (ink & (m > 0)).sum() > 20, f'no ink in the box of {w.text!r}'
        covered |= m > 0
    assert (ink & ~covered).sum() == 0, 'ink outside every word box'


@pytest.mark.parametrize('kind', sorted(LAYOUTS))
def test_every_kind_gives_valid_polygons_on_visible_words(fonts, kind):
    sample = render_page(11, 2, fonts, kind=kind)
    h, w = sample.image.shape[:2]
    assert sample.instances, f'{kind}: no words'
    grey = cv2.cvtColor(sample.image, cv2.COLOR_RGB2GRAY)
    contrasted = 0
    kept = [i for i in sample.instances if not i['ignore']]
    for inst in sample.instances:
        poly = np.array(inst['polygon'], np.float32).reshape(-1, 2)
        assert len(poly) >= 4
        assert (poly[:, 0] >= 0).all() and (poly[:, 0] <= w - 1).all()
        assert (poly[:, 1] >= 0).all() and (poly[:, 1] <= h - 1).all()
        x0, y0, x1, y1 = inst['bbox']
        assert x0 <= poly[:, 0].min() + 0.1 and x1 >= poly[:, 0].max() - 0.1
        assert inst['text'] and ' ' not in inst['text']
        if not inst['ignore']:
            m = np.zeros(grey.shape, np.uint8)
            cv2.fillPoly(m, [np.round(poly).astype(np.int32)], 1)
            # printed strokes make the inside of a word box far from uniform
            contrasted += float(grey[m > 0].std()) > 12
    assert contrasted >= 0.9 * len(kept), f'{kind}: {contrasted}/{len(kept)} boxes show text'


def test_generate_writes_an_ocrdataset_and_resumes(tmp_path):
    from mmocr.datasets import OCRDataset
    stats = generate(str(tmp_path), 3, seed=5, workers=1, log_every=0)
    assert stats['new_pages'] == 3
    ann = json.loads((tmp_path / 'textdet_train.json').read_text())
    assert ann['metainfo']['task_name'] == 'textdet'
    ds = OCRDataset(data_root=str(tmp_path), ann_file='textdet_train.json', pipeline=[])
    assert len(ds) == 3
    info = ds.get_data_info(0)
    assert cv2.imread(info['img_path']).shape[:2] == (info['height'], info['width'])
    assert all(set(i) >= {'polygon', 'bbox', 'bbox_label', 'ignore'} for i in info['instances'])
    # a rerun finds every page done and renders nothing; the same page is the same picture
    assert generate(str(tmp_path), 3, seed=5, workers=1, log_every=0)['new_pages'] == 0
    page = render_page(5, 1)
    assert ann['data_list'][1]['instances'] == page.instances


def test_scenes_paste_real_word_crops(tmp_path, fonts):
    from clip4str.datasets.synth_pages.word_crops import WordCrops
    for name, word in (('a.png', 'HELLO'), ('b.png', 'Exit')):
        c = Canvas((120, 40), background=(230, 220, 40))
        c.draw_line(8, 30, [word], fonts.load(fonts.pick(np.random.default_rng(0)), 24),
                    (10, 10, 10))
        cv2.imwrite(str(tmp_path / name), c.array()[..., ::-1])
    (tmp_path / 'labels.txt').write_text('a.png HELLO\nb.png Exit\nmissing.png Nope\nbad\n')
    crops = WordCrops([str(tmp_path / 'labels.txt')])
    assert len(crops) == 2  # the missing file and the malformed line are skipped
    texts = [i['text'] for s in range(4)
             for i in render_page(s, 0, fonts, kind='scene', crops=crops).instances]
    assert {'HELLO', 'Exit'} & set(texts)
    with pytest.raises(FileNotFoundError, match='nowhere.txt'):
        WordCrops([str(tmp_path / 'nowhere.txt')])


def test_a_failing_page_is_reported_and_the_run_goes_on(tmp_path, monkeypatch, capsys):
    from clip4str.datasets.synth_pages import page as page_mod

    real = page_mod.render_page

    def flaky(seed, index, *args, **kwargs):
        if index == 1:
            raise ValueError('broken layout')
        return real(seed, index, *args, **kwargs)

    monkeypatch.setattr(page_mod, 'render_page', flaky)
    stats = generate(str(tmp_path), 3, seed=2, workers=1, log_every=0,
                     mix={'receipt': 1.0})
    assert stats['failed_pages'] == [1] and stats['new_pages'] == 2
    assert 'page 1 of seed 2 failed' in capsys.readouterr().out
    ann = json.loads((tmp_path / 'textdet_train.json').read_text())
    assert [d['img_path'] for d in ann['data_list']] == ['imgs/000000.jpg', 'imgs/000002.jpg']


def test_receipts_with_barcodes_render(fonts):
    render_page(0, 100, fonts)  # once failed on a float rounding in the barcode bars
