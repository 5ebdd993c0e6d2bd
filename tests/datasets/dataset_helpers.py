"""Helpers for dataset tests: tiny word-crop folders written on the fly, MMOCR registry scope."""
import cv2
import numpy as np
import pytest
from mmengine.registry import init_default_scope

import clip4str  # noqa: F401  (fills the registries)


def use_mmocr_scope():
    """Pipelines and nested configs resolve their types in MMOCR's registries, as under a Runner."""
    init_default_scope('mmocr')


def write_image(path, height=20, width=50, value=200):
    path.parent.mkdir(parents=True, exist_ok=True)
    img = np.full((height, width, 3), value, np.uint8)
    cv2.putText(img, 'ab', (2, height - 4), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1)
    assert cv2.imwrite(str(path), img)
    return path


@pytest.fixture
def word_folder(tmp_path):
    """(root, write_labels): images imgs/a.png .. e.png and a writer for label files in root."""
    use_mmocr_scope()
    for name in 'abcde':
        write_image(tmp_path / 'imgs' / f'{name}.png')

    def write_labels(text, name='labels.txt'):
        (tmp_path / name).write_bytes(text.encode('utf-8'))
        return name

    return tmp_path, write_labels
