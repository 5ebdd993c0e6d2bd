"""tools/eval_layout_order.py --cache: a page read once and laid out again from its cached words
gives the same lines and text, also for a page that was turned to be read."""
import numpy as np

from clip4str.ocr.layout import LayoutConfig, analyse_layout
from clip4str.ocr.orientation import unrotate_points
from clip4str.ocr.result import PageResult, Word
from tests.helpers import load_tool


def box(x, y, w, h=10):
    return np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], float)


def page_read_turned(degrees=90, width=200, height=300):
    """A page read after turning it by ``degrees``: laid out in that frame, words given back in
    the page's own frame, as the engine does."""
    texts = ['Total', '22.00', 'Cash', '50.00', 'Thanks']
    turned = [box(10, 20, 40), box(200, 21, 30), box(10, 34, 30), box(200, 35, 30),
              box(10, 60, 50)]
    layout = analyse_layout(turned)
    words = [Word(unrotate_points(p, degrees, width, height), 0.9, t)
             for p, t in zip(turned, texts)]
    return PageResult('r.jpg', 0, width, height, words=words, layout=layout, rotation=degrees)


def test_cached_page_is_laid_out_as_read(tmp_path):
    tool = load_tool('tools/eval_layout_order.py')
    page = page_read_turned()

    class Engine:
        def ocr_image(self, image, source):
            return page
    read = tool.read_page(lambda: Engine(), tmp_path / 'r.jpg', tmp_path / 'cache')
    again = tool.cached_page(tmp_path / 'cache' / 'r.json', LayoutConfig())
    assert read.text == again.text == 'Total 22.00\nCash 50.00\n\nThanks'
    assert again.to_dict()['lines'] == read.to_dict()['lines']


def test_read_page_is_scored_against_the_annotators_order(tmp_path):
    """--ocr scores text.txt against the csv's line order, as tools/eval_ocr.py does: prices a
    pixel above their items stay after them there."""
    tool = load_tool('tools/eval_layout_order.py')
    rows = [(10, 20, 'Total'), (200, 19, '22.00'), (10, 34, 'Cash'), (200, 33, '50.00'),
            (10, 60, 'Thanks')]
    csv = tmp_path / 'r.csv'
    csv.write_text('\n'.join(','.join(str(int(v)) for v in box(x, y, 30).ravel()) + f',{t}'
                             for x, y, t in rows), encoding='utf-8')
    in_order, _ = tool.score_ocr(page_read_turned(), csv)
    assert in_order == 1.0
