"""Scene-text converters (tools/dataset_converters/{ic15,svt,ic03}.py) on tiny generated sets."""
import json

import cv2
import numpy as np
import pytest

from clip4str.datasets.scene_text_export import validation_names, word_crop
from tests.helpers import load_tool


def _tool(name):
    return load_tool(f'tools/dataset_converters/{name}.py')


def _load(path):
    return json.loads(path.read_text(encoding='utf-8'))


def _two_tone(h=240, w=320, quad=None):
    """Grey image; inside ``quad`` (reading order) the top half is black, the bottom white."""
    img = np.full((h, w, 3), 128, np.uint8)
    q = np.float32(quad)
    top_mid = [(q[0] + q[3]) / 2, (q[1] + q[2]) / 2]
    cv2.fillPoly(img, [np.int32(np.round([q[0], q[1], top_mid[1], top_mid[0]]))], (0, 0, 0))
    cv2.fillPoly(img, [np.int32(np.round([top_mid[0], top_mid[1], q[2], q[3]]))],
                 (255, 255, 255))
    return img


def _upright(crop):
    """Top half of the crop dark, bottom half bright (the text's top edge came first)."""
    g = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY).astype(float)
    h = g.shape[0]
    return g[int(h * 0.25):int(h * 0.4)].mean() < 60 and g[int(h * 0.6):int(h * 0.75)].mean() > 200


def test_validation_split_is_every_tenth_in_natural_order():
    names = [f'img_{i}' for i in range(1, 26)]
    assert validation_names(names) == {'img_10', 'img_20'}


def test_word_crop_follows_annotated_reading_order():
    # text running top to bottom (rotated 90 degrees clockwise): reading order starts top-right
    quad = [[200, 40], [200, 200], [120, 200], [120, 40]]
    img = _two_tone(quad=quad)
    crop = word_crop(img, quad)
    assert crop.shape[1] > crop.shape[0] and _upright(crop)
    # the same box listed from its top-left corner reads sideways: the halves are left/right
    assert not _upright(word_crop(img, [quad[3], quad[0], quad[1], quad[2]]))


def _ic15_sample(root, n=12):
    """img_1..img_n with one readable quad (rotated 180 degrees on img_3) and one '###'."""
    (root / 'imgs').mkdir()
    (root / 'gts').mkdir()
    for i in range(1, n + 1):
        quad = [[40, 60], [200, 60], [200, 100], [40, 100]]
        if i == 3:  # upside-down text: reading order starts bottom-right
            quad = [quad[2], quad[3], quad[0], quad[1]]
        cv2.imwrite(str(root / 'imgs' / f'img_{i}.jpg'), _two_tone(h=180, w=320, quad=quad))
        lines = [','.join(str(int(v)) for p in quad for v in p) + f',Word{i},x',
                 '250,10,300,10,300,30,250,30,###']
        (root / 'gts' / f'gt_img_{i}.txt').write_text('\ufeff' + '\n'.join(lines) + '\n',
                                                     encoding='utf-8')


def test_ic15_images(tmp_path):
    _ic15_sample(tmp_path)
    out = tmp_path / 'out'
    _tool('ic15').main(['--gts', str(tmp_path / 'gts'), '--images', str(tmp_path / 'imgs'),
                        '--out', str(out)])
    train, val = _load(out / 'textdet_train.json'), _load(out / 'textdet_val.json')
    assert train['metainfo']['task_name'] == 'textdet'
    assert [d['img_path'].rsplit('/', 1)[1] for d in val['data_list']] == ['img_10.jpg']
    assert len(train['data_list']) == 11
    inst = val['data_list'][0]['instances']
    assert inst[0] == dict(polygon=[40.0, 60.0, 200.0, 60.0, 200.0, 100.0, 40.0, 100.0],
                           bbox=[40.0, 60.0, 200.0, 100.0], bbox_label=0, ignore=False,
                           text='Word10,x')  # the text keeps its commas
    assert inst[1]['ignore'] and inst[1]['text'] == '###'
    rec = _load(out / 'textrecog_train.json')
    assert rec['metainfo']['task_name'] == 'textrecog'
    assert len(rec['data_list']) == 11  # '###' words give no crop
    by_text = {d['instances'][0]['text']: d['img_path'] for d in rec['data_list']}
    assert _upright(cv2.imread(by_text['Word3,x']))  # the upside-down word is turned upright
    assert len(_load(out / 'textrecog_val.json')['data_list']) == 1


def test_ic15_word_crops_split_by_source_image(tmp_path):
    _ic15_sample(tmp_path)
    crops = tmp_path / 'words'
    crops.mkdir()
    gt, coords = [], []
    for i in range(1, 13):  # word_i is img_i's only readable word
        crop = cv2.imread(str(tmp_path / 'imgs' / f'img_{i}.jpg'))[50:111, 30:211]
        cv2.imwrite(str(crops / f'word_{i}.png'), crop)
        gt.append(f'word_{i}.png, "Word{i},x"')
        q = [[10, 10], [170, 10], [170, 50], [10, 50]]
        if i == 3:
            q = [q[2], q[3], q[0], q[1]]
        coords.append(f'word_{i}.png,' + ','.join(str(v) for p in q for v in p))
    (crops / 'gt.txt').write_text('\ufeff' + '\n'.join(gt) + '\n', encoding='utf-8')
    (crops / 'coords.txt').write_text('\n'.join(coords) + '\n', encoding='utf-8')
    out = tmp_path / 'out'
    _tool('ic15').main(['--gts', str(tmp_path / 'gts'), '--word-crops', str(crops),
                        '--out', str(out)])
    assert not (out / 'textdet_train.json').exists()
    val = _load(out / 'textrecog_val.json')['data_list']
    assert [d['instances'][0]['text'] for d in val] == ['Word10,x']
    train = {d['instances'][0]['text']: d['img_path']
             for d in _load(out / 'textrecog_train.json')['data_list']}
    assert len(train) == 11 and _upright(cv2.imread(train['Word3,x']))


_XML = """<?xml version="1.0" encoding="utf-8"?>
<tagset>{}</tagset>"""
_IMAGE = """<image><imageName>{name}</imageName><taggedRectangles>
<taggedRectangle x="{x}" y="{y}" width="{w}" height="{h}"><tag>{tag}</tag></taggedRectangle>
</taggedRectangles></image>"""


def _word_image(text, seed):
    """A noisy scene with ``text`` written at (40, 60)-(~, 110); returns image and box."""
    rng = np.random.default_rng(seed)
    img = rng.integers(60, 200, (200, 360, 3), dtype=np.uint8)
    cv2.rectangle(img, (30, 50), (330, 120), (255, 255, 255), -1)
    cv2.putText(img, text, (40, 105), cv2.FONT_HERSHEY_SIMPLEX, 1.8, (0, 0, 0), 4)
    return img, (30, 50, 300, 70)


def _xml_sample(root, folder, xml_name, n, held_word):
    """n training images with one word each; image 2 shows ``held_word``, which is also the
    only held-out test crop (cut from image 2 a bit wider than its box)."""
    (root / folder).mkdir(parents=True)
    images = []
    for i in range(1, n + 1):
        text = held_word if i == 2 else f'W{i}ORD'
        img, (x, y, w, h) = _word_image(text, i)
        cv2.imwrite(str(root / folder / f'{i:02d}.jpg'), img)
        images.append(_IMAGE.format(name=f'{folder}/{i:02d}.jpg', x=x, y=y, w=w, h=h, tag=text))
        if i == 2:
            test = root / 'held_out'
            test.mkdir()
            cv2.imwrite(str(test / 'word_1.png'), img[y - 4:y + h + 4, x - 6:x + w + 6])
            (test / 'labels.txt').write_text(f'word_1.png {held_word.lower()}\n')
    (root / xml_name).write_text(_XML.format('\n'.join(images)), encoding='utf-8')


@pytest.mark.parametrize('tool,xml_name', [('svt', 'train.xml'), ('ic03', 'words.xml')])
def test_xml_converters_leave_out_held_out_images(tmp_path, tool, xml_name):
    _xml_sample(tmp_path, 'img', xml_name, 11, 'HOTEL')
    out = tmp_path / 'out'
    _tool(tool).main([str(tmp_path), '--out', str(out),
                      '--held-out', str(tmp_path / 'held_out' / 'labels.txt')])
    meta = _load(out / 'meta.json')
    assert list(meta['source']['left_out_as_held_out']) == ['img_02']
    train, val = _load(out / 'textdet_train.json'), _load(out / 'textdet_val.json')
    names = [d['img_path'].rsplit('/', 1)[1] for d in train['data_list'] + val['data_list']]
    assert '02.jpg' not in names and len(names) == 10
    # every 10th of the 10 remaining images (01, 03, ..., 11) in natural order: 11.jpg
    assert [d['img_path'].rsplit('/', 1)[1] for d in val['data_list']] == ['11.jpg']
    inst = train['data_list'][0]['instances'][0]
    assert inst['polygon'] == [30.0, 50.0, 330.0, 50.0, 330.0, 120.0, 30.0, 120.0]
    assert inst['text'] == 'W1ORD' and inst['ignore'] is False
    rec = _load(out / 'textrecog_train.json')['data_list']
    assert sorted(d['instances'][0]['text'] for d in rec) == sorted(
        f'W{i}ORD' for i in range(1, 11) if i != 2)
