"""tools/dataset_converters/restore_case.py: upper-cased labels (SROIE) get the case pattern of
a reference recognizer's reading; the characters stay the label's."""
import sys
import types

import cv2
import numpy as np

from tests.helpers import load_tool as load_script


def load_tool():
    return load_script('tools/dataset_converters/restore_case.py')


def test_case_pattern_of_readings():
    tool = load_tool()
    assert tool.case_pattern('Total:') == 'title'
    assert tool.case_pattern('qty') == 'lower'
    assert tool.case_pattern('RM0.00') == 'upper'
    assert tool.case_pattern('iPhone') is None      # mixed: cannot tell
    assert tool.case_pattern('5.50') is None        # no letters
    assert tool.case_pattern('x') is None           # one letter is too few


def test_restore_keeps_the_labels_characters():
    tool = load_tool()
    # the reading's case, the label's characters (the reading misread O as 0)
    assert tool.restore('TOTAL:', 'T0tal:') == 'Total:'
    assert tool.restore('(RM)', '(rm)') == '(rm)'
    assert tool.restore('CASH', 'CASH') == 'CASH'
    assert tool.restore('12.30', '1230') == '12.30'
    # a label that already has lower case is trusted as it is
    assert tool.restore('McDonald', 'MCDONALD') == 'McDonald'
    # a reading too unsure to tell leaves the label alone
    assert tool.restore('IPHONE', 'iPhone') == 'IPHONE'


def test_main_rewrites_a_label_file(tmp_path, monkeypatch):
    tool = load_tool()
    (tmp_path / 'crops').mkdir()
    for name in ('a', 'b'):
        cv2.imwrite(str(tmp_path / 'crops' / f'{name}.png'), np.full((32, 80, 3), 255, np.uint8))
    (tmp_path / 'train.txt').write_text('crops/a.png DATE:\ncrops/b.png 11:06\n')

    class FakeRecognizer:  # stands in for the shipped model: reads 'Date:' and '11:06'
        def __init__(self, *args, **kwargs):
            pass

        def __call__(self, crops):
            assert all(c.shape == (32, 80, 3) for c in crops)
            return [('Date:', [0.9]), ('11:06', [0.9])]

    fake = types.ModuleType('clip4str.ocr.models')
    fake.TextRecognizer = FakeRecognizer
    monkeypatch.setitem(sys.modules, 'clip4str.ocr.models', fake)
    assert tool.main([str(tmp_path / 'train.txt'), str(tmp_path / 'cased.txt')]) == 0
    assert (tmp_path / 'cased.txt').read_text().splitlines() == [
        'crops/a.png Date:', 'crops/b.png 11:06']
