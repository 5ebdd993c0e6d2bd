"""Label-file parsing: both line formats, BOM/CRLF, quotes and commas, malformed lines."""
import pytest
from mmocr.registry import DATASETS

from clip4str.datasets import QuotedLabelParser, SpaceSeparatedLabelParser
from .dataset_helpers import word_folder  # noqa: F401  (fixture)


def test_space_separated_parser_keeps_inner_spaces():
    parse = SpaceSeparatedLabelParser()
    assert parse('test/1002_1.png PRIVATE') == dict(filename='test/1002_1.png', text='PRIVATE')
    assert parse('a.png  two words \t') == dict(filename='a.png', text='two words')
    for bad in ('a.png', '   ', ''):
        with pytest.raises(ValueError, match='expected'):
            parse(bad)


@pytest.mark.parametrize('line, text', [
    ('word_1.png, "Genaxis Theatre"', 'Genaxis Theatre'),
    ('word_159.png, "100,000"', '100,000'),          # comma inside the quotes
    ('word_1013.png, "READER\\""', 'READER"'),       # ICDAR's backslash-escaped quote
    ('word_1018.png, "\\"SCAN\\""', '"SCAN"'),
    ('w.png, "say ""hi"""', 'say "hi"'),             # CSV-style doubled quote
    ('w.png, plain', 'plain'),                       # unquoted label
])
def test_quoted_parser(line, text):
    assert QuotedLabelParser()(line) == dict(filename=line.split(',')[0], text=text)


@pytest.mark.parametrize('line', ['w.png', 'w.png, a, b', 'w.png, "open', ', "x"'])
def test_quoted_parser_rejects_malformed(line):
    with pytest.raises(ValueError):
        QuotedLabelParser()(line)


def build(root, ann_file, **kwargs):
    return DATASETS.build(dict(type='RecogLabelFileDataset', data_root=str(root),
                               ann_file=ann_file, data_prefix=dict(img_path='imgs'), **kwargs))


def test_icdar_file_with_bom_crlf_quotes_commas(word_folder):
    root, write = word_folder
    ann = write('\ufeffa.png, "Genaxis Theatre"\r\nb.png, "100,000"\r\n'
                'c.png, "READER\\""\r\n\r\n', 'gt.txt')
    ds = build(root, ann, parser_cfg=dict(type='QuotedLabelParser'))
    infos = [ds.get_data_info(i) for i in range(len(ds))]
    # the BOM is not part of the first file name, CR is not part of any label
    assert [i['img_path'] for i in infos] == [str(root / 'imgs' / f) for f in
                                              ('a.png', 'b.png', 'c.png')]
    assert [i['instances'][0]['text'] for i in infos] == ['Genaxis Theatre', '100,000',
                                                          'READER"']


def test_malformed_line_raises_with_file_and_line(word_folder):
    root, write = word_folder
    ann = write('a.png A\nb.png B\nbroken\n')
    with pytest.raises(ValueError, match=r'labels\.txt:3: malformed line .broken.'):
        build(root, ann)


def test_malformed_lines_skipped_and_counted(word_folder, caplog):
    root, write = word_folder
    ann = write('a.png A\nbroken\nb.png B\nalso-broken\n')
    ds = build(root, ann, on_bad_line='skip')
    assert len(ds) == 2
    assert ds.num_bad_lines == 2
    assert [ds.get_data_info(i)['instances'][0]['text'] for i in range(2)] == ['A', 'B']


def test_on_bad_line_value_checked(word_folder):
    root, write = word_folder
    with pytest.raises(ValueError, match='on_bad_line'):
        build(root, write('a.png A\n'), on_bad_line='ignore')
