"""`tools/benchmark.py --labels FILE` reads the crops of an MMOCR textrecog file (a validation
split) instead of IIIT5K test."""
import json

import numpy as np
import pytest
from PIL import Image

from clip4str.cli.benchmark import shared_crops


def test_crops_and_labels_come_from_the_annotation_file(tmp_path):
    (tmp_path / 'crops').mkdir()
    items = []
    for i, (text, shade) in enumerate([('Handle', 30), ('A134', 200)]):
        Image.new('RGB', (40 + i, 16), (shade, 0, 255)).save(tmp_path / 'crops' / f'{i}.png')
        items.append({'img_path': f'crops/{i}.png', 'instances': [{'text': text}]})
    ann = tmp_path / 'textrecog_val.json'
    ann.write_text(json.dumps({'metainfo': {}, 'data_list': items}))
    crops, labels = shared_crops(5, str(ann))
    assert labels == ['Handle', 'A134']
    assert [c.shape for c in crops] == [(16, 40, 3), (16, 41, 3)]
    assert np.array_equal(crops[0][0, 0], [255, 0, 30])  # BGR, as the engine hands crops over
    assert shared_crops(1, str(ann))[1] == ['Handle']


def test_a_file_that_is_not_an_annotation_names_itself(tmp_path):
    bad = tmp_path / 'labels.txt'
    bad.write_text('img.png Handle\n')
    with pytest.raises(SystemExit, match='labels.txt: not an MMOCR textrecog annotation file'):
        shared_crops(5, str(bad))
