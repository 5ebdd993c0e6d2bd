"""The three dataset types: MMOCR LMDB/JSON toy sets, bad paths and images, real benchmark counts."""
import pytest
import torch
from mmengine.dataset import pseudo_collate
from mmocr.registry import DATASETS

from clip4str.datasets import UnreadableImageError
from .dataset_helpers import use_mmocr_scope, word_folder  # noqa: F401  (fixture)

LOAD_ONLY = [dict(type='InferencerLoader', color_type='color_ignore_orientation'),
             dict(type='LoadOCRAnnotations', with_text=True),
             dict(type='CLIPResize', img_size=(32, 128)),
             dict(type='PackTextRecogInputs', meta_keys=('img_path', 'ori_shape', 'img_shape'))]

# The toy set's 10 labels in file order (old_label.txt)
TOY_LABELS = ['GRAND', 'HOTEL', 'HOTEL', 'PACIFIC', '03/09/2009', 'ANING', 'Virgin', 'america',
              'ATTACK', 'DAVIDSON']


@pytest.fixture
def toy(shared_data):
    use_mmocr_scope()
    return shared_data / 'mmocr_toy' / 'rec_toy_dataset'


def lmdb_dataset(path, **kwargs):
    return DATASETS.build(dict(type='FilteredRecogLMDBDataset', ann_file=str(path),
                               pipeline=LOAD_ONLY, **kwargs))


def texts(ds):
    return [ds.get_data_info(i)['instances'][0]['text'] for i in range(len(ds))]


def test_lmdb_and_json_give_the_same_filtered_samples(toy):
    filter_cfg = dict(max_label_length=5)
    lmdb = lmdb_dataset(toy / 'imgs.lmdb', filter_cfg=filter_cfg)
    json = DATASETS.build(dict(type='FilteredOCRDataset', data_root=str(toy),
                               ann_file='labels.json', data_prefix=dict(img_path='imgs/'),
                               filter_cfg=filter_cfg, pipeline=LOAD_ONLY))
    for ds in (lmdb, json):
        assert texts(ds) == ['GRAND', 'HOTEL', 'HOTEL', 'ANING']
        assert ds.filter_stats == dict(total=10, kept=4, too_long=6)
        sample = ds[0]
        assert sample['inputs'].shape == (3, 32, 128)
        assert sample['data_samples'].gt_text.item == texts(ds)[0]
    unfiltered = lmdb_dataset(toy / 'imgs.lmdb')
    assert texts(unfiltered) == TOY_LABELS


def test_same_lmdb_twice_and_in_dataloader_workers(toy):
    a = lmdb_dataset(toy / 'imgs.lmdb')
    b = lmdb_dataset(toy / 'imgs.lmdb', filter_cfg=dict(check_images=True))
    assert len(a) == len(b) == 10
    assert torch.equal(a[3]['inputs'], b[3]['inputs'])
    loader = torch.utils.data.DataLoader(a, batch_size=5, num_workers=2,
                                         collate_fn=pseudo_collate)
    batches = list(loader)
    assert sum(len(batch['inputs']) for batch in batches) == 10


def test_broken_lmdb_image(toy):
    with pytest.raises(UnreadableImageError, match=r'broken\.lmdb:image-000000001'):
        lmdb_dataset(toy / 'broken.lmdb')[0]
    skipping = lmdb_dataset(toy / 'broken.lmdb', on_bad_image='skip')
    assert skipping.prepare_data(0) is None and skipping.num_bad_images == 1
    with pytest.raises(UnreadableImageError, match='cannot skip in a test set'):
        lmdb_dataset(toy / 'broken.lmdb', on_bad_image='skip', test_mode=True)[0]
    with pytest.raises(ValueError, match='kept 0 of 1 samples; dropped 1: 1 image unreadable'):
        lmdb_dataset(toy / 'broken.lmdb', filter_cfg=dict(check_images=True))


def test_missing_paths_name_the_path_and_the_override(tmp_path, toy):
    with pytest.raises(FileNotFoundError, match=r'no LMDB database.*nope\.lmdb.*CLIP4STR_DATA_ROOT'):
        lmdb_dataset(toy / 'nope.lmdb')
    with pytest.raises(FileNotFoundError, match=r'data root not found: .*missing_root.*--cfg-options'):
        DATASETS.build(dict(type='RecogLabelFileDataset', data_root=str(tmp_path / 'missing_root'),
                            ann_file='test.tags'))
    with pytest.raises(FileNotFoundError, match=r'annotation file not found: .*test\.tags'):
        DATASETS.build(dict(type='RecogLabelFileDataset', data_root=str(tmp_path),
                            ann_file='test.tags'))
    with pytest.raises(FileNotFoundError, match=r'annotation file not found: .*nope\.json'):
        DATASETS.build(dict(type='FilteredOCRDataset', data_root=str(toy), ann_file='nope.json'))


def test_unreadable_image_in_label_file_dataset(word_folder):
    root, write = word_folder
    (root / 'imgs' / 'b.png').write_bytes(b'')
    cfg = dict(type='RecogLabelFileDataset', data_root=str(root), ann_file=write('a.png A\nb.png B\n'),
               data_prefix=dict(img_path='imgs'), pipeline=LOAD_ONLY)
    ds = DATASETS.build(cfg)
    assert ds[0]['data_samples'].gt_text.item == 'A'
    with pytest.raises(UnreadableImageError, match=r'imgs/b\.png'):
        ds.prepare_data(1)
    ds = DATASETS.build(dict(cfg, on_bad_image='skip'))
    assert ds.prepare_data(1) is None and ds.num_bad_images == 1
    assert ds[1]['data_samples'].gt_text.item == 'A'  # MMEngine draws another sample


def test_pipeline_errors_after_loading_are_not_masked(word_folder):
    root, write = word_folder
    ds = DATASETS.build(dict(type='RecogLabelFileDataset', data_root=str(root),
                             ann_file=write('a.png A\n'), data_prefix=dict(img_path='imgs'),
                             on_bad_image='skip',
                             pipeline=LOAD_ONLY[:1] + [dict(type='PackTextRecogInputs',
                                                            meta_keys=('no_such_key',))]))
    with pytest.raises(KeyError, match='no_such_key'):
        ds[0]


BENCHMARKS = [  # (data root, label file, parser, expected samples)
    ('IIIT5K', 'test.tags', 'SpaceSeparatedLabelParser', 3000),
    ('SVT', 'test_labels.txt', 'SpaceSeparatedLabelParser', 647),
    ('IC13', 'label_857.txt', 'SpaceSeparatedLabelParser', 857),
    ('IC13', 'label_1015.txt', 'SpaceSeparatedLabelParser', 1015),
    ('IIIT5K', 'train.tags', 'SpaceSeparatedLabelParser', 2000),
    ('SVT', 'train_labels.txt', 'SpaceSeparatedLabelParser', 257),
    ('IC15_train/TrainingSet', 'gt.txt', 'QuotedLabelParser', 4468),
]


@pytest.mark.parametrize('root, ann_file, parser, count', BENCHMARKS)
def test_real_benchmark_counts(shared_data, root, ann_file, parser, count):
    ds = DATASETS.build(dict(type='RecogLabelFileDataset', data_root=str(shared_data / root),
                             ann_file=ann_file, parser_cfg=dict(type=parser),
                             filter_cfg=dict(max_label_length=25)))
    assert len(ds) == count
    assert ds.filter_stats['total'] == count


def test_ic15_labels_are_unescaped_and_normalised(shared_data):
    cfg = dict(type='RecogLabelFileDataset', data_root=str(shared_data / 'IC15_train/TrainingSet'),
               ann_file='gt.txt', parser_cfg=dict(type='QuotedLabelParser'))
    raw = {i['img_path'].rsplit('/', 1)[1]: i['instances'][0]['text']
           for i in DATASETS.build(cfg).load_data_list()}
    assert raw['word_1.png'] == 'Genaxis Theatre'
    assert raw['word_159.png'] == '100,000'
    assert raw['word_1018.png'] == '"SCAN"'
    assert raw['word_1409.png'] == 'CAFÉ'
    ds = DATASETS.build(dict(cfg, filter_cfg=dict()))
    filtered = {ds.get_data_info(i)['img_path'].rsplit('/', 1)[1]:
                ds.get_data_info(i)['instances'][0]['text'] for i in range(len(ds))}
    assert filtered['word_1.png'] == 'GenaxisTheatre'
    assert filtered['word_1409.png'] == 'CAFE'
    assert filtered['word_1018.png'] == '"SCAN"'
