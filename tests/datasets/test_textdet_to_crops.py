"""tools/dataset_converters/textdet_to_crops.py: rectified word crops + label files from
MMOCR text-detection JSON (used for the SROIE receipts' words)."""
import json

import cv2
import numpy as np

from tests.helpers import load_tool as load_script


def load_tool():
    return load_script('tools/dataset_converters/textdet_to_crops.py')


def test_crops_are_upright_and_labelled(tmp_path):
    img = np.full((200, 300, 3), 255, np.uint8)
    cv2.putText(img, 'AB12', (40, 120), cv2.FONT_HERSHEY_SIMPLEX, 2.0, (0, 0, 0), 4)
    cv2.imwrite(str(tmp_path / 'page.png'), img)
    word = [30, 60, 230, 60, 230, 135, 30, 135]
    data = dict(metainfo={}, data_list=[dict(img_path='page.png', instances=[
        dict(polygon=word, text='AB12', ignore=False),
        dict(polygon=word, text='###', ignore=True),       # unreadable
        dict(polygon=word, text='two words', ignore=False),  # a line, not a word
        dict(polygon=[5, 5, 6, 5, 6, 6, 5, 6], text='x', ignore=False),  # degenerate
    ])])
    (tmp_path / 'textdet_train.json').write_text(json.dumps(data))

    counts = load_tool().convert([str(tmp_path / 'textdet_train.json')], str(tmp_path / 'out'))

    assert counts == {'textrecog_train': dict(crops=1, skipped=1)}
    lines = (tmp_path / 'out' / 'textrecog_train.txt').read_text().splitlines()
    assert len(lines) == 1 and lines[0].endswith(' AB12')
    crop = cv2.imread(str(tmp_path / 'out' / lines[0].split()[0]))
    assert crop.shape[1] > 2 * crop.shape[0]          # the word region, laid horizontally
    assert crop.min() < 50 and crop.max() > 200       # ink and paper both inside the crop
