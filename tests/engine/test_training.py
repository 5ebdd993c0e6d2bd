"""tools/train.py, --resume, tools/test.py and 2-process (gloo) training on the tiny config."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from tests.helpers import REPO

TINY = REPO / 'configs' / 'textrecog' / 'clip4str' / 'clip4str_tiny_toy.py'
WORDS = ['OPEN', 'cafe', 'EXIT', 'hotel', 'Bar', 'STOP', 'taxi', 'PARK']


def make_word_folder(root: Path) -> Path:
    font = ImageFont.load_default()
    lines = []
    for i, word in enumerate(WORDS * 2):
        img = Image.new('RGB', (128, 32), (250, 250, 240))
        ImageDraw.Draw(img).text((8, 10), word, fill=(20, 20, 20), font=font)
        img.save(root / f'w{i:02d}.png')
        lines.append(f'w{i:02d}.png {word}')
    (root / 'labels.txt').write_text('\n'.join(lines) + '\n')
    return root


def write_config(path: Path, data: Path, max_iters: int, **extra) -> Path:
    overrides = ''.join(f'{k} = {v!r}\n' for k, v in extra.items())
    dataset = (f"dict(type='RecogLabelFileDataset', data_root={str(data)!r}, "
               "ann_file='labels.txt', filter_cfg=dict(max_label_length=25), pipeline=None")
    path.write_text(
        f"_base_ = [{str(TINY)!r}]\n"
        f"train_dataloader = dict(dataset=dict(datasets=[{dataset})]))\n"
        f"test_dataloader = dict(dataset=dict(datasets=[{dataset}, test_mode=True)]))\n"
        "val_dataloader = test_dataloader\n"
        f"train_cfg = dict(max_iters={max_iters}, val_interval={max_iters})\n"
        "param_scheduler = [dict(type='GroupOneCycleLR', pct_start=0.1, by_epoch=False, "
        f"begin=0, end={max_iters})]\n"
        f"default_hooks = dict(logger=dict(interval=1), checkpoint=dict(interval={max_iters // 2}))\n"
        + overrides)
    return path


def run(*args, timeout=600):
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHONUNBUFFERED='1')
    r = subprocess.run(list(args), cwd=REPO, env=env, capture_output=True, text=True,
                       timeout=timeout)
    assert r.returncode == 0, (r.stdout[-3000:] + r.stderr[-3000:])
    return r.stdout + r.stderr


def losses(work_dir: Path):
    """Training losses logged by MMEngine (vis_data/scalars.json of every run), in order."""
    out = []
    for f in sorted(work_dir.glob('*/vis_data/scalars.json')):
        for line in f.read_text().splitlines():
            rec = json.loads(line)
            if 'loss' in rec:
                out.append((rec['iter'], rec['loss']))
    return out


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp('tiny')
    (root / 'data').mkdir()
    data = make_word_folder(root / 'data')
    cfg = write_config(root / 'cfg.py', data, max_iters=30)
    work = root / 'work'
    log = run(sys.executable, 'tools/train.py', str(cfg), '--work-dir', str(work))
    return dict(root=root, cfg=cfg, work=work, log=log, data=data)


def test_training_lowers_the_loss_and_writes_checkpoints(trained):
    work = trained['work']
    assert (work / 'iter_15.pth').is_file() and (work / 'iter_30.pth').is_file()
    logged = losses(work)
    assert [i for i, _ in logged] == list(range(1, 31))
    first = sum(v for _, v in logged[:3]) / 3
    last = sum(v for _, v in logged[-3:]) / 3
    assert last < 0.85 * first, logged


def test_resume_continues_from_the_last_checkpoint(trained):
    work = trained['work']
    # simulate a run killed after iteration 15
    (work / 'iter_30.pth').unlink()
    (work / 'last_checkpoint').write_text(str(work / 'iter_15.pth'))
    log = run(sys.executable, 'tools/train.py', str(trained['cfg']), '--work-dir', str(work),
              '--resume')
    assert 'resumed epoch: 0, iter: 15' in log
    assert (work / 'iter_30.pth').is_file()
    newest = sorted(work.glob('*/vis_data/scalars.json'))[-1]
    iters = [json.loads(line)['iter'] for line in newest.read_text().splitlines()
             if 'loss' in json.loads(line)]
    assert iters == list(range(16, 31))


def test_test_tool_prints_the_table(trained):
    out = run(sys.executable, 'tools/test.py', str(trained['cfg']),
              str(trained['work'] / 'iter_30.pth'), '--work-dir', str(trained['root'] / 'test'))
    table = out[out.rindex('dataset'):]
    assert 'word_acc' in table and 'one_minus_ned' in table
    assert table.splitlines()[1].split()[0] == 'toy'


def test_two_process_gloo_training(tmp_path):
    data = make_word_folder(tmp_path)
    cfg = write_config(tmp_path / 'cfg.py', data, max_iters=4)
    work = tmp_path / 'work'
    log = run(sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node=2',
              '--master_port=29571', 'tools/train.py', str(cfg), '--launcher', 'pytorch',
              '--work-dir', str(work))
    assert 'Distributed training: True' in log
    assert "'world_size': 2" in log or 'world_size: 2' in log or 'GPU number: 2' in log or \
        'Distributed launcher: pytorch' in log
    assert (work / 'iter_4.pth').is_file()
    assert [i for i, _ in losses(work)] == [1, 2, 3, 4]
