"""Layout: lines, blocks, reading order on synthetic word boxes (columns, skew, headings) and on
the word boxes of pages rendered with known text (tables, forms, receipts, sidebars, footers)."""
import numpy as np
import pytest

from clip4str.evaluation.ocr_metrics import normalise_page, one_minus_ned
from clip4str.ocr.layout import analyse_layout, layout_text, page_skew
from tests.ocr.rendered_pages import PAGES


def box(x, y, w, h=10):
    return np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], float)


def two_column_page():
    words, texts = [box(10, 0, 120, 16), box(140, 0, 80, 16)], ['Annual', 'Report']
    for col, x in enumerate([10, 160]):
        for r, y in enumerate([40, 54, 68, 100, 114]):  # a paragraph break at the same height
            for k in range(3):
                words.append(box(x + 40 * k, y, 35))
                texts.append(f'c{col}r{r}w{k}')
    words.append(box(10, 150, 60))
    texts.append('footer')
    return words, texts


def expected_two_column_text():
    def para(col, rows):
        return '\n'.join(' '.join(f'c{col}r{r}w{k}' for k in range(3)) for r in rows)
    return '\n\n'.join(['Annual Report', para(0, [0, 1, 2]), para(0, [3, 4]),
                        para(1, [0, 1, 2]), para(1, [3, 4]), 'footer'])


def rotate(words, degrees, centre=(150, 80)):
    t = np.radians(degrees)
    rot = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    return [(w - centre) @ rot.T + centre for w in words]


def test_two_columns_read_column_by_column():
    words, texts = two_column_page()
    layout = analyse_layout(words)
    assert layout_text(texts, layout) == expected_two_column_text()
    assert len(layout.blocks) == 6
    assert sorted(i for line in layout.lines for i in line) == list(range(len(words)))


def test_slight_skew_reads_the_same():
    words, texts = two_column_page()
    for angle in (-3, 2.5):
        layout = analyse_layout(rotate(words, angle))
        assert abs(layout.skew - angle) < 0.5
        assert layout_text(texts, layout) == expected_two_column_text()


def test_words_in_a_line_are_left_to_right_and_far_words_split():
    words = [box(110, 0, 40), box(10, 2, 40), box(60, 1, 40), box(600, 0, 40)]
    texts = ['c', 'a', 'b', 'far']
    layout = analyse_layout(words)
    assert layout_text(texts, layout) == 'a b c\n\nfar'


def test_heading_is_its_own_block_and_empty_words_vanish():
    words = [box(10, 0, 100, 24), box(10, 30, 40), box(60, 30, 40), box(10, 44, 40)]
    texts = ['Heading', 'one', '', 'two']
    assert layout_text(texts, analyse_layout(words)) == 'Heading\n\none\ntwo'


def test_empty_page():
    layout = analyse_layout([])
    assert layout.lines == [] and layout.blocks == [] and layout_text([], layout) == ''
    assert page_skew([]) == 0.0


def test_narrow_column_on_the_rows_of_a_block_is_read_row_by_row():
    """Receipts and tables: amounts far right of their labels read with them, not after them."""
    words, texts = [], []
    for r, (label, amount) in enumerate([('Total', '22.00'), ('Cash', '50.00'), ('Change', '28.00')]):
        words += [box(10, 14 * r, 60), box(300, 14 * r + 1, 40)]
        texts += [label, amount]
    words.append(box(10, 42, 40))  # a line below, left column only
    texts.append('Thanks')
    layout = analyse_layout(words)
    assert layout_text(texts, layout) == 'Total 22.00\nCash 50.00\nChange 28.00\nThanks'
    # two wide columns (prose) on the same rows stay columns
    wide = [box(x, y, 120) for x, y in ((10, 0), (300, 1), (10, 14), (300, 15))]
    assert layout_text(['a1', 'b1', 'a2', 'b2'], analyse_layout(wide)) == 'a1\na2\n\nb1\nb2'


def test_table_with_a_narrow_first_column_and_lone_cells_reads_by_rows():
    words, texts = [], []
    for r in range(3):
        words += [box(10, 14 * r, 50), box(90, 14 * r, 150)]
        texts += [f'code{r}', f'description{r}']
        if r != 1:  # a column with an empty cell: its cells are blocks of one line
            words.append(box(300, 14 * r, 20))
            texts.append(f'qty{r}')
    assert layout_text(texts, analyse_layout(words)) == \
        'code0 description0 qty0\ncode1 description1\ncode2 description2 qty2'


def test_narrow_page_reads_row_by_row_across_any_gap():
    """Receipts: a row is one line however far apart its parts (a label beside the second line of
    a block, an item's price far right), and rows are read top to bottom even where the
    items' names and their prices sit on alternate rows."""
    rows = [[(150, 'MC #01')], [(10, 'REG C01'), (150, '04-05-2018 16:07')],
            [(10, 'GREEN TEA')], [(100, '2 X'), (200, '2.00')],
            [(10, 'SHIRO RAMEN')], [(100, '1 X'), (200, '12.80')], [(10, 'TOTAL'), (200, '14.80')]]
    words, texts = [], []
    for r, cells in enumerate(rows):
        for x, cell in cells:
            for k, word in enumerate(cell.split()):
                words.append(box(x + 45 * k, 14 * r, 40))
                texts.append(word)
    assert layout_text(texts, analyse_layout(words)) == '\n'.join(
        ' '.join(cell for _, cell in cells) for cells in rows)


@pytest.mark.parametrize('angle', [0.0, 1.5])
@pytest.mark.parametrize('name', sorted(PAGES))
def test_rendered_pages_read_as_a_reader_reads_them(name, angle):
    """Tables row by row (header first), a running header and a footer before and after two
    prose columns, a sidebar apart from the message list beside it, label-value rows of forms
    and receipts together, a receipt's info rows before its item list."""
    page = PAGES[name]()
    polygons = rotate(page.polygons, angle, centre=np.array(page.canvas.size) / 2)
    text = layout_text(page.texts, analyse_layout(polygons))
    expected = '\n'.join(page.expected)
    assert one_minus_ned(normalise_page(text), normalise_page(expected)) >= 0.95, text
    assert [line for line in text.splitlines() if line] == page.expected, text
