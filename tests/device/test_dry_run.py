"""The CPU dry run of a device run: the same scripts (on_device.sh -> train.py -> snapshot parts
-> reassemble.py -> collect.py), a tiny kit, 2 steps of batch 2, and no wheel install (the
current environment serves), so the kit cannot rot between sessions that are lent a GPU."""
import json
import os
import re
import shutil
import subprocess
import sys

import cv2
import numpy as np
import pytest
import torch

from tests.helpers import REPO

sys.path.insert(0, str(REPO / 'tools' / 'device'))
import collect  # noqa: E402
import pack  # noqa: E402
import reassemble  # noqa: E402

SHIPPED = REPO / 'weights' / 'clip4str_small.pth'


def _font():
    from clip4str.datasets.synth.fonts import DEFAULT_FONT_DIRS, discover_fonts
    fonts = [f for f in discover_fonts(DEFAULT_FONT_DIRS) if re.search(r'(DejaVuSans|Liberation'
                                                                      r'Sans-Regular)\.ttf$', f)]
    if not fonts:
        pytest.skip('no DejaVu Sans / Liberation Sans font installed')
    return fonts[0]


def _tiny_kit(kit):
    """What pack.py prepares, in miniature: 6 real-looking crops, one font, a word list."""
    items = []
    for word in ('HOTEL', 'open', 'Exit', '2024', 'CAFE', 'street'):
        img = np.full((32, 24 * len(word), 3), 235, np.uint8)
        cv2.putText(img, word, (3, 25), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (20, 20, 20), 2)
        items.append((cv2.imencode('.jpg', img)[1].tobytes(), word))
    assert pack.write_crops_archive(str(kit), items, dict(test=True)) == 6
    (kit / 'fonts').mkdir()
    shutil.copy(_font(), kit / 'fonts')
    (kit / 'words.txt').write_text('hotel\nopen\nexit\ncafe\nstreet\n')
    (kit / 'wordfreq_en.tsv').write_text('the\t0.05\nof\t0.03\nhotel\t0.0001\n')


@pytest.fixture(scope='module')
def dry_run(tmp_path_factory):
    if not SHIPPED.is_file():
        pytest.skip(f'{SHIPPED} not present')
    tmp = tmp_path_factory.mktemp('device')
    kit, out = tmp / 'kit', tmp / 'out'
    kit.mkdir()
    _tiny_kit(kit)
    env = dict(os.environ, OUT=str(out), KIT=str(kit), PYTHON=sys.executable, WHEELS='none',
               OMP_NUM_THREADS='1', PYTHONPATH=str(REPO / 'plugins'))
    proc = subprocess.run(
        ['bash', str(REPO / 'tools/device/on_device.sh'), 'recog', '300', '--max-iters', '2',
         '--batch-size', '2', '--workers', '0', '--snapshot-every', '0', '--weights',
         str(SHIPPED), '--work-dir', str(tmp / 'work')],
        env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return tmp, out


def test_returned_files_fit_the_tools_limits(dry_run):
    _, out = dry_run
    files = sorted(p for p in out.rglob('*') if p.is_file())
    names = [p.name for p in files]
    assert len(files) <= 8, names
    assert all(p.stat().st_size <= 16 * 2**20 for p in files)
    assert all(re.fullmatch(r'[A-Za-z0-9._-]+', n) for n in names)
    assert {'recog-A.json', 'recog-B.json', 'recog-A.part0', 'recog-train.log'} <= set(names)
    assert not [n for n in names if n.endswith('.tmp')]


def test_reassembled_checkpoint_is_the_trained_model(dry_run, capsys):
    tmp, out = dry_run
    dest = tmp / 'recog.pth'
    assert reassemble.main([str(out), 'recog', str(dest)]) == 0
    meta = json.loads(capsys.readouterr().out)
    assert meta['iter'] == 2 and meta['final'] and meta['samples'] == 4
    ckpt = torch.load(dest, map_location='cpu', weights_only=True)
    shipped = torch.load(SHIPPED, map_location='cpu', weights_only=True)['state_dict']
    state = ckpt['state_dict']
    assert state.keys() == shipped.keys()
    assert all(state[k].dtype == shipped[k].dtype for k in state)  # fp16 where it fits
    floats = [k for k in state if state[k].is_floating_point() and state[k].numel()]
    changed = [k for k in floats if not torch.equal(state[k], shipped[k])]
    assert len(changed) > len(floats) // 3  # two optimizer steps moved the weights...
    weights = [k for k in floats if 'running_' not in k]  # BN statistics move fast on 2 crops
    diff = torch.cat([(state[k].float() - shipped[k].float()).flatten() for k in weights])
    total = torch.cat([shipped[k].float().flatten() for k in weights])
    assert diff.norm() / total.norm() < 0.01  # ... a little: they started from the file
    # (weights re-initialised by the runner after loading would differ by ~100%)


def test_collect_evaluates_against_the_shipped_file(dry_run, shared_data, monkeypatch):
    tmp, out = dry_run
    monkeypatch.setenv('CLIP4STR_DATA_ROOT', str(shared_data))
    assert collect.main(['recog', str(out), '--limit', '4', '--work-dir', str(tmp / 'c')]) == 0
    summary = json.loads((tmp / 'c' / 'summary.json').read_text())
    assert summary['meta']['iter'] == 2 and not summary['published']
    assert 0 <= summary['before'] <= 1 and 0 <= summary['after'] <= 1
    assert (tmp / 'c' / 'recog_iter2.pth').is_file()


def test_detector_dry_run(tmp_path, shared_data):
    """The det run: SROIE words packed as for the device, pages rendered first, 1 step."""
    shipped = REPO / 'weights' / 'dbnet_resnet18_synthdoc.pth'
    kit, out = tmp_path / 'kit', tmp_path / 'out'
    kit.mkdir()
    (kit / 'fonts').mkdir()
    shutil.copy(_font(), kit / 'fonts')
    assert pack.pack_sroie(str(kit), str(shared_data)) == 25
    env = dict(os.environ, OUT=str(out), KIT=str(kit), PYTHON=sys.executable, WHEELS='none',
               OMP_NUM_THREADS='1', PYTHONPATH=str(REPO / 'plugins'))
    proc = subprocess.run(
        ['bash', str(REPO / 'tools/device/on_device.sh'), 'det', '300', '--max-iters', '1',
         '--batch-size', '1', '--workers', '0', '--pages', '2', '--weights', str(shipped),
         '--work-dir', str(tmp_path / 'work')],
        env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert 'rendered 2 pages' in proc.stdout
    meta = reassemble.reassemble(str(out), 'det', str(tmp_path / 'det.pth'))
    assert meta['iter'] == 1 and meta['run'] == 'det'
    state = torch.load(tmp_path / 'det.pth', map_location='cpu', weights_only=True)['state_dict']
    ref = torch.load(shipped, map_location='cpu', weights_only=True)['state_dict']
    keys = [k for k in ref if ref[k].is_floating_point() and 'running_' not in k]
    diff = torch.cat([(state[k].float() - ref[k].float()).flatten() for k in keys])
    assert 0 < diff.norm() / torch.cat([ref[k].float().flatten() for k in keys]).norm() < 0.01
