"""configs/_base_/datasets and configs/_base_/recog_pipelines.py build what they promise."""
import pytest
from mmengine.config import Config
from mmocr.registry import DATASETS, EVALUATOR

from clip4str.datasets import constants
from .dataset_helpers import use_mmocr_scope

from tests.helpers import REPO

CFG = REPO / 'configs' / '_base_'


def load(name):
    use_mmocr_scope()
    return Config.fromfile(str(CFG / name))


def test_pipeline_constants_match_the_package():
    cfg = load('recog_pipelines.py')
    assert cfg.str_openai_clip_mean == pytest.approx(constants.OPENAI_CLIP_MEAN_255)
    assert cfg.str_openai_clip_std == pytest.approx(constants.OPENAI_CLIP_STD_255)
    assert cfg.str_half_mean == list(constants.HALF_MEAN_255)
    assert [t['type'] for t in cfg.str_train_pipeline][2:4] == ['STRRandAugment', 'CLIPResize']
    assert 'STRRandAugment' not in [t['type'] for t in cfg.str_test_pipeline]


def test_benchmark_bundle_builds_and_scores(shared_data):
    cfg = load('datasets/str_benchmarks.py')
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    assert dataset.metainfo['cumulative_sizes'] == [3000, 3647, 4504, 5519]
    assert dataset[0]['inputs'].shape == (3, 224, 224)
    evaluator = EVALUATOR.build(cfg.test_evaluator)
    evaluator.dataset_meta = dataset.metainfo
    # perfect predictions except one IIIT5K sample
    batch = []
    for i in range(len(dataset)):
        text = dataset.get_data_info(i)['instances'][0]['text']
        batch.append(dict(gt_text=dict(item=text), pred_text=dict(item='' if i == 0 else text)))
    evaluator.process(batch)
    m = evaluator.evaluate(len(dataset))
    assert m['IIIT5K/recog/word_acc'] == pytest.approx(2999 / 3000)
    assert m['SVT/recog/word_acc_94'] == 1.0 and m['IC13_857/recog/num_samples'] == 857
    assert m['Combined/recog/word_acc'] == pytest.approx((3000 + 647 + 1015 - 1) / 4662)
    assert m['Combined_IC13_857/recog/num_samples'] == 3000 + 647 + 857


@pytest.mark.parametrize('file, name, count', [
    ('iiit5k.py', 'iiit5k_str_train', 2000), ('svt.py', 'svt_str_train', 257),
    ('icdar2015.py', 'ic15_str_train', 4468)])
def test_training_sets_build(shared_data, file, name, count):
    assert len(DATASETS.build(load(f'datasets/{file}')[name])) == count


def test_real_training_bundle(shared_data):
    cfg = load('datasets/str_real_train.py')
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    assert len(dataset) == 2000 + 257 + 4468
    assert dataset[0]['inputs'].shape == (3, 224, 224)


def test_data_root_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv('CLIP4STR_DATA_ROOT', str(tmp_path))
    cfg = load('datasets/str_benchmarks.py')
    roots = [d.data_root for d in cfg.test_dataloader.dataset.datasets]
    assert roots == [f'{tmp_path}/IIIT5K', f'{tmp_path}/SVT', f'{tmp_path}/IC13', f'{tmp_path}/IC13']
    with pytest.raises(FileNotFoundError, match=f'data root not found: {tmp_path}/IIIT5K'):
        DATASETS.build(cfg.test_dataloader.dataset)


def test_default_data_root_is_next_to_the_repo():
    cfg = load('datasets/iiit5k.py')
    from pathlib import Path
    assert Path(cfg.iiit5k_str_data_root).resolve() == (REPO.parent / 'shared/data/IIIT5K').resolve()


def test_synth_placeholder(monkeypatch, shared_data):
    cfg = load('datasets/synth.py')
    assert cfg.synth_str_train.ann_file.endswith('/data/synth/train')
    monkeypatch.setenv('CLIP4STR_SYNTH_LMDB',
                       str(shared_data / 'mmocr_toy/rec_toy_dataset/imgs.lmdb'))
    cfg = load('datasets/synth.py')
    pipeline = load('recog_pipelines.py').str_train_pipeline
    dataset = DATASETS.build(dict(cfg.synth_str_train, pipeline=pipeline))
    assert len(dataset) == 10 and dataset[0]['inputs'].shape == (3, 224, 224)


def test_model_config_can_change_the_input_size(tmp_path, shared_data):
    model_cfg = tmp_path / 'model.py'
    model_cfg.write_text(
        f"_base_ = ['{CFG}/datasets/str_benchmarks.py']\n"
        "img_size = (32, 128)\n"
        "test_pipeline = [dict(t, img_size=img_size) if t['type'] == 'CLIPResize' else t\n"
        "                 for t in _base_.str_test_pipeline]\n"
        "test_dataloader = dict(dataset=dict(pipeline=test_pipeline))\n")
    use_mmocr_scope()
    cfg = Config.fromfile(str(model_cfg))
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    assert dataset[0]['inputs'].shape == (3, 32, 128)
