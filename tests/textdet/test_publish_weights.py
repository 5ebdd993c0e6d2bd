"""tools/publish_weights.py: runner checkpoint -> fp16 state dict + manifest entry."""
import hashlib
import json

import torch
from mmengine.config import Config

from tests.helpers import REPO, load_tool

CONFIG = REPO / 'configs' / 'textdet' / 'dbnet' / 'dbnet_resnet18_fpnc_synthdoc.py'


def _load_tool():
    return load_tool('tools/publish_weights.py')


def _model():
    import clip4str  # noqa: F401
    from mmocr.registry import MODELS
    cfg = Config.fromfile(str(CONFIG))
    return MODELS.build(cfg.model)


def test_round_trip(tmp_path):
    from mmengine.logging import HistoryBuffer
    tool = _load_tool()
    torch.manual_seed(0)
    model = _model()
    model.init_weights()
    ckpt = tmp_path / 'iter_7.pth'
    hist = HistoryBuffer()
    hist.update(1.5)
    # what MMEngine's runner saves: meta, weights, optimizer and a message hub
    torch.save({'meta': {'iter': 7, 'epoch': 0, 'cfg': 'x'}, 'state_dict': model.state_dict(),
                'optimizer': {'state': {}, 'param_groups': [{'lr': 0.1}]},
                'message_hub': {'log_scalars': {'train/loss': hist}}},
               ckpt)
    out, manifest = tmp_path / 'w' / 'det.pth', tmp_path / 'w' / 'MANIFEST.json'
    tool.main([str(ckpt), str(out), '--config', str(CONFIG), '--manifest', str(manifest),
               '--training-data', 'unit test', '--scores', '{"hmean": 0.5}',
               '--scores-command', 'python tools/test.py ...'])

    shipped = torch.load(out, map_location='cpu', weights_only=True)
    assert set(shipped) == {'state_dict', 'meta'}
    sd = shipped['state_dict']
    assert set(sd) == set(model.state_dict())
    assert all(t.dtype == torch.float16 for t in sd.values() if t.is_floating_point())  # all small
    assert shipped['meta']['iterations'] == 7

    entry = json.loads(manifest.read_text())['models'][0]
    assert entry['sha256'] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert entry['size_bytes'] == out.stat().st_size
    assert entry['iterations'] == 7 and entry['scores'] == {'hmean': 0.5}
    assert entry['config'] == str(CONFIG) and entry['training_data'] == 'unit test'

    # loads strictly into a fresh model built from the config, as MMOCR's inferencers do
    from mmengine.runner import load_checkpoint
    fresh = _model()
    load_checkpoint(fresh, str(out), map_location='cpu', strict=True)
    w0, w1 = model.state_dict(), fresh.state_dict()
    for k in w0:
        if w0[k].is_floating_point():
            assert torch.allclose(w0[k], w1[k], atol=1e-2, rtol=1e-3), k
    assert w1['backbone.conv1.weight'].dtype == torch.float32

    # republishing replaces the entry instead of adding a second one
    tool.main([str(ckpt), str(out), '--config', str(CONFIG), '--manifest', str(manifest)])
    assert len(json.loads(manifest.read_text())['models']) == 1


def test_values_beyond_fp16_range_stay_fp32(tmp_path):
    """DBNet trained from scratch has BatchNorm running variances of ~1e5: in fp16 they become
    inf and the detector finds nothing. Such tensors are shipped in fp32."""
    tool = _load_tool()
    torch.manual_seed(0)
    model = _model()
    sd = model.state_dict()
    sd['det_head.binarize.1.running_var'].fill_(172524.5)
    ckpt = tmp_path / 'iter_1.pth'
    torch.save({'meta': {'iter': 1}, 'state_dict': sd}, ckpt)
    out = tmp_path / 'det.pth'
    tool.main([str(ckpt), str(out), '--config', str(CONFIG),
               '--manifest', str(tmp_path / 'MANIFEST.json')])
    shipped = torch.load(out, map_location='cpu', weights_only=True)['state_dict']
    big = shipped['det_head.binarize.1.running_var']
    assert big.dtype == torch.float32 and torch.equal(big, sd['det_head.binarize.1.running_var'])
    assert shipped['backbone.conv1.weight'].dtype == torch.float16
