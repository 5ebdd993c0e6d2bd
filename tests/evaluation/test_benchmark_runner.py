"""The benchmark config drives MMEngine's test loop end to end (a stand-in model echoes labels)."""
import pytest
from mmengine.config import Config
from mmengine.model import BaseModel
from mmengine.runner import Runner
from mmocr.registry import MODELS

import clip4str  # noqa: F401
from clip4str.cli.test import metrics_table
from tests.helpers import REPO


@MODELS.register_module(force=True)
class EchoRecognizer(BaseModel):
    """Predicts the ground truth, except for samples whose label starts with 'P' (-> '')."""

    def forward(self, inputs, data_samples=None, mode='predict'):
        for sample in data_samples:
            gt = sample.gt_text.item
            sample.pred_text = sample.gt_text.clone()
            sample.pred_text.item = '' if gt.startswith('P') else gt
        return data_samples


def test_str_benchmarks_in_runner(shared_data, tmp_path):
    cfg = Config.fromfile(str(REPO / 'configs/_base_/datasets/str_benchmarks.py'))
    for dataset in cfg.test_dataloader.dataset.datasets:
        dataset.indices = 8  # first 8 samples of each set
    cfg.test_dataloader.update(batch_size=4, num_workers=0, persistent_workers=False)
    cfg.merge_from_dict(dict(default_scope='mmocr', model=dict(type='EchoRecognizer'),
                             test_cfg=dict(type='TestLoop'), work_dir=str(tmp_path)))
    metrics = Runner.from_cfg(cfg).test()
    # IIIT5K's first 8 labels: PRIVATE PARKING Salutes DOLCE GABBANA REGENCY STATE BANK
    assert metrics['IIIT5K/recog/word_acc'] == pytest.approx(6 / 8)
    assert metrics['IIIT5K/recog/num_samples'] == 8
    expected = {'IIIT5K', 'SVT', 'IC13_857', 'IC13_1015', 'Combined', 'Combined_IC13_857'}
    assert {k.split('/')[0] for k in metrics} == expected
    assert metrics['Combined/recog/num_samples'] == 24
    assert 'Combined' in metrics_table(metrics)
