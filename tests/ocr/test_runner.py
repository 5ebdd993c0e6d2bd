"""Batch runner and input collection: outputs, atomic results, rerun skips, sharding, exit code."""
import json
import os

import cv2
import numpy as np
import pytest

from clip4str.ocr.inputs import collect_inputs, shard
from clip4str.ocr.runner import BatchRunner

from .ocr_fakes import render_words, fake_engine  # noqa: F401  (fixture)


def write_image(path, boxes=((20, 20, 80, 20), (120, 20, 80, 20))):
    img, _ = render_words(list(boxes), size=(100, 240))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    cv2.imwrite(str(path), img)
    return str(path)


def test_collect_inputs_folders_globs_files(tmp_path):
    write_image(tmp_path / 'in' / 'a.png')
    write_image(tmp_path / 'in' / 'sub' / 'b.jpg')
    write_image(tmp_path / 'in' / 'a.jpg')
    (tmp_path / 'in' / 'notes.txt').write_text('ignored in folders')
    write_image(tmp_path / 'other' / 'a.png')
    items = collect_inputs([str(tmp_path / 'in'), str(tmp_path / 'other' / '*.png'),
                            str(tmp_path / 'in' / 'a.png')])  # a.png twice: once
    names = [it.name for it in items]
    assert len(items) == 4 and len(set(names)) == 4
    assert 'a_jpg' in names and 'sub/b_jpg' in names
    assert sum(n.startswith('a_png-') for n in names) == 2  # collision: hashed apart
    assert names == sorted(names)


def test_output_folder_inside_the_input_folder_is_not_read(tmp_path, fake_engine):
    write_image(tmp_path / 'in' / 'a.png')
    out = tmp_path / 'in' / 'results'
    BatchRunner(fake_engine, str(out)).run(collect_inputs([str(tmp_path / 'in')], exclude=out))
    assert os.path.isfile(out / 'a_png' / 'vis' / 'page-0001.jpg')
    write_image(tmp_path / 'in' / 'b.jpg')
    items = collect_inputs([str(tmp_path / 'in'), str(tmp_path / 'in' / '**' / '*.jpg')],
                           exclude=str(out))
    assert [it.name for it in items] == ['a_png', 'b_jpg']


def test_sharding_splits_without_overlap():
    items = list(range(10))
    shards = [shard(items, r, 3) for r in range(3)]
    assert sorted(sum(shards, [])) == items
    assert shards[0] == [0, 3, 6, 9]
    with pytest.raises(ValueError):
        shard(items, 3, 3)


def test_run_writes_results_and_skips_on_rerun(tmp_path, fake_engine):
    write_image(tmp_path / 'in' / 'one.png')
    write_image(tmp_path / 'in' / 'two.png', boxes=[(10, 10, 50, 20)])
    out = tmp_path / 'out'
    items = collect_inputs([str(tmp_path / 'in')])
    summary = BatchRunner(fake_engine, str(out)).run(items)
    assert summary.exit_code == 0 and summary.count('ok') == 2
    assert summary.pages == 2 and summary.words == 3
    res = out / 'one_png'
    assert sorted(os.listdir(res)) == ['page-0001.json', 'result.json', 'searchable.pdf',
                                       'text.txt', 'vis']
    assert (res / 'text.txt').read_text() == 'w0 w1\n\f'
    assert json.loads((res / 'result.json').read_text())['words'] == 2
    assert not [p for p in os.listdir(out) if p.startswith('.')]  # no temporary folders left
    mtime = os.path.getmtime(res / 'text.txt')

    calls = fake_engine.detector.calls
    again = BatchRunner(fake_engine, str(out)).run(items)
    assert again.count('skipped') == 2 and fake_engine.detector.calls == calls
    redo = BatchRunner(fake_engine, str(out), overwrite=True).run(items)
    assert redo.count('ok') == 2 and os.path.getmtime(res / 'text.txt') >= mtime
    assert 'inputs: 2 ok, 0 failed, 0 skipped | pages: 2 | words: 3' in redo.line()


def test_outputs_can_be_chosen(tmp_path, fake_engine):
    write_image(tmp_path / 'x.png')
    BatchRunner(fake_engine, str(tmp_path / 'out'), outputs=['txt']).run(
        collect_inputs([str(tmp_path / 'x.png')]))
    assert sorted(os.listdir(tmp_path / 'out' / 'x_png')) == ['result.json', 'text.txt']


def test_failure_midway_leaves_no_partial_result(tmp_path, fake_engine):
    from PIL import Image
    frames = [Image.new('RGB', (64, 32), 'white') for _ in range(3)]
    frames[0].save(tmp_path / 'multi.tif', save_all=True, append_images=frames[1:])
    write_image(tmp_path / 'good.png')

    real = fake_engine.detector
    def flaky(images):
        if flaky.n == 1:
            raise RuntimeError('out of memory on page 2')
        flaky.n += 1
        return real(images)
    flaky.n = 0
    fake_engine.detector = flaky
    errors = []
    runner = BatchRunner(fake_engine, str(tmp_path / 'out'), on_error=errors.append)
    summary = runner.run(collect_inputs([str(tmp_path / 'multi.tif'), str(tmp_path / 'good.png')]))
    assert summary.exit_code == 1
    assert [o.status for o in summary.outcomes] == ['ok', 'failed']  # sorted: good, multi
    assert len(errors) == 1 and 'multi.tif' in errors[0] and 'out of memory' in errors[0]
    assert '\n' not in errors[0]
    assert sorted(os.listdir(tmp_path / 'out')) == ['good_png']


def test_stale_partial_folders_of_dead_runs_are_removed_live_ones_kept(tmp_path):
    import subprocess
    from clip4str.ocr.writers import atomic
    live = atomic.partial_dir(str(tmp_path))
    done = subprocess.Popen(['true'])
    done.wait()
    dead_pid = done.pid
    owner = atomic._owner().split('.', 1)[1]  # start time and host of ours; pid of a dead one
    (tmp_path / 'sub').mkdir()
    dead = tmp_path / 'sub' / f'.partial-{dead_pid}.{owner}-x'
    (dead / 'vis').mkdir(parents=True)
    other_host = tmp_path / f'.partial-{dead_pid}.1-00000000-x'
    other_host.mkdir()
    assert atomic.remove_stale_partials(str(tmp_path)) == 1
    assert not dead.exists() and os.path.isdir(live) and other_host.is_dir()


def test_long_names_are_shortened_with_a_hash(tmp_path):
    long_a = 'a' * 250 + '.png'
    long_b = 'a' * 249 + 'b.png'
    for name in (long_a, long_b):
        cv2.imwrite(str(tmp_path / name), 255 * np.ones((20, 40, 3), np.uint8))
    names = [it.name for it in collect_inputs([str(tmp_path)])]
    assert len(set(names)) == 2
    assert all(len(n.encode()) <= 200 and n.startswith('a' * 150) for n in names)


def test_folder_links_are_followed_once(tmp_path):
    (tmp_path / 'docs').mkdir()
    cv2.imwrite(str(tmp_path / 'docs' / 'p.png'), 255 * np.ones((20, 40, 3), np.uint8))
    os.symlink('..', tmp_path / 'docs' / 'up')
    os.symlink('.', tmp_path / 'self')
    os.symlink('docs', tmp_path / 'again')
    items = collect_inputs([str(tmp_path)])
    good = [it.name for it in items if not it.problem]
    looped = sorted(os.path.basename(it.path) for it in items if it.problem)
    assert good == ['docs/p_png'] and looped == ['again', 'self', 'up']
