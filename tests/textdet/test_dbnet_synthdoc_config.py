"""The shipped detector's config: builds offline, and one training step runs on tiny pages."""
import copy

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate

from clip4str.datasets.synth_pages import generate
from tests.helpers import REPO

CONFIG = REPO / 'configs' / 'textdet' / 'dbnet' / 'dbnet_resnet18_fpnc_synthdoc.py'


@pytest.fixture(scope='module')
def cfg():
    import clip4str  # noqa: F401
    from mmengine.registry import init_default_scope
    init_default_scope('mmocr')
    return Config.fromfile(str(CONFIG))


def test_no_download_and_no_compiled_ops(cfg):
    assert cfg.model.backbone.init_cfg is None  # torchvision:// init would download
    assert 'dcn' not in str(cfg.model.backbone).lower()
    assert cfg.test_pipeline[1]['scale'] == (1600, 1600)  # documents are tested large


def _shrink(pipeline, size):
    """The training pipeline with a small crop (seconds on CPU) and otherwise unchanged."""
    out = copy.deepcopy(pipeline)
    for t in out:
        if t['type'] == 'RandomResize':
            t['scale'] = (size * 3, size * 3)
        elif t['type'] in ('TextDetRandomCrop',):
            t['target_size'] = (size, size)
        elif t['type'] == 'Resize':
            t['scale'] = (size, size)
        elif t['type'] == 'Pad':
            t['size'] = (size, size)
    return out


def test_one_training_iteration_on_two_synthetic_pages(cfg, tmp_path):
    from mmengine.optim import build_optim_wrapper
    from mmocr.registry import DATASETS, MODELS
    generate(str(tmp_path), 2, seed=1, workers=1, log_every=0, mix={'document': 1.0})
    ds = DATASETS.build(dict(type='OCRDataset', data_root=str(tmp_path),
                             ann_file='textdet_train.json',
                             pipeline=_shrink(cfg.train_pipeline, 160)))
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    optim = build_optim_wrapper(model, cfg.optim_wrapper)
    for seed in range(10):  # a random 160 px crop may hold no word: draw again
        np.random.seed(seed)
        batch = pseudo_collate([ds[0], ds[1]])
        if sum(len(s.gt_instances) for s in batch['data_samples']) > 0:
            break
    assert batch['inputs'][0].shape[-2:] == (160, 160)
    assert sum(len(s.gt_instances) for s in batch['data_samples']) > 0
    before = model.backbone.conv1.weight.detach().clone()
    model.train()
    losses = model.train_step(batch, optim)
    assert {'loss_prob', 'loss_thr', 'loss_db'} <= set(losses)
    assert all(torch.isfinite(v) for v in losses.values())
    assert not torch.equal(before, model.backbone.conv1.weight)
