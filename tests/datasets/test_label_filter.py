"""The reference label filter: normalisation, length limit, charset, counts per reason."""
import pytest
from mmocr.registry import DATASETS

from clip4str.datasets import CharsetAdapter, LabelFilter, normalize_text, read_charset
from .dataset_helpers import word_folder, write_image  # noqa: F401  (fixture)


def test_normalize_text_removes_all_whitespace_and_folds_to_ascii():
    assert normalize_text(' Genaxis Theatre\t') == 'GenaxisTheatre'
    assert normalize_text('CAFÉ') == 'CAFE'
    assert normalize_text('ﬁle') == 'file'           # NFKD compatibility ligature
    assert normalize_text('日本') == ''               # nothing ASCII left
    assert normalize_text('a b', remove_whitespace=False) == 'a b'
    assert normalize_text('É', normalize_unicode=False) == 'É'


def test_default_charset_is_the_94_characters():
    charset = read_charset()
    assert len(charset) == 94
    assert charset.startswith('0123456789abc') and charset.endswith('{|}~')


def test_charset_adapter_case_folds_only_single_case_charsets():
    assert CharsetAdapter('abc')('AbCd!') == 'abc'
    assert CharsetAdapter('ABC')('abcd') == 'ABC'
    assert CharsetAdapter(read_charset())('Ab-C d€') == 'Ab-Cd'


def test_label_filter_order_matches_reference(tmp_path):
    lf = LabelFilter(max_label_length=5)
    assert lf.clean(' ab c ') == ('abc', None)
    # the limit applies before the charset filter: 6 ASCII chars are too long even though
    # only 3 survive the charset
    dict_file = tmp_path / 'abc.txt'
    dict_file.write_text('a\nb\nc\n')
    lf = LabelFilter(max_label_length=5, dict_file=str(dict_file))
    assert lf.clean('aXbYcZ') == (None, 'too_long')
    assert lf.clean('ABZ') == ('ab', None)           # lower-case charset lower-cases
    assert lf.clean('xyz') == (None, 'empty')
    assert LabelFilter(max_label_length=None).clean('a' * 40) == ('a' * 40, None)


def test_dataset_filter_counts_and_rewrites(word_folder, caplog):
    root, write = word_folder
    ann = write('a.png CAFÉ\nb.png ' + 'x' * 26 + '\nc.png €€\nd.png ok\ne.png ' + 'y' * 25 + '\n')
    ds = DATASETS.build(dict(type='RecogLabelFileDataset', data_root=str(root), ann_file=ann,
                             data_prefix=dict(img_path='imgs'),
                             filter_cfg=dict(max_label_length=25)))
    assert len(ds) == 3
    assert ds.filter_stats == dict(total=5, kept=3, too_long=1, empty=1, changed=1)
    assert [ds.get_data_info(i)['instances'][0]['text'] for i in range(3)] == \
        ['CAFE', 'ok', 'y' * 25]


def test_no_filter_cfg_keeps_everything(word_folder):
    root, write = word_folder
    ds = DATASETS.build(dict(type='RecogLabelFileDataset', data_root=str(root),
                             ann_file=write('a.png CAFÉ\nb.png €€\n'),
                             data_prefix=dict(img_path='imgs')))
    assert len(ds) == 2 and ds.get_data_info(0)['instances'][0]['text'] == 'CAFÉ'


def test_bad_filter_key_and_all_dropped_are_clear_errors(word_folder):
    root, write = word_folder
    ann = write('a.png €\n')
    cfg = dict(type='RecogLabelFileDataset', data_root=str(root), ann_file=ann,
               data_prefix=dict(img_path='imgs'))
    with pytest.raises(TypeError, match='bad filter_cfg'):
        DATASETS.build(dict(cfg, filter_cfg=dict(max_len=3)))
    with pytest.raises(ValueError, match='no samples left after filtering.*1 label empty'):
        DATASETS.build(dict(cfg, filter_cfg=dict()))


def test_image_checks_drop_unreadable_and_small_images(word_folder):
    root, write = word_folder
    (root / 'imgs' / 'b.png').write_bytes(b'not a png')
    write_image(root / 'imgs' / 'c.png', height=4, width=30)
    ann = write('a.png A\nb.png B\nc.png C\nmissing.png D\n')
    ds = DATASETS.build(dict(type='RecogLabelFileDataset', data_root=str(root), ann_file=ann,
                             data_prefix=dict(img_path='imgs'),
                             filter_cfg=dict(check_images=True, min_image_dim=8)))
    assert len(ds) == 1
    assert ds.filter_stats == dict(total=4, kept=1, unreadable_image=2, small_image=1)
