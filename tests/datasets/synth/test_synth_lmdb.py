"""LMDB output: MMOCR's RecogLMDBDataset reads it; workers, resume and interruption give the
same data as one uninterrupted run."""
import json

import cv2
import lmdb
import numpy as np
import pytest

from clip4str.datasets.synth import (LMDBMismatchError, RecogLMDBWriter, generate_lmdb,
                                     read_count)
from clip4str.datasets.synth.lmdb_writer import META_KEY
from synth_fixtures import generator, gen_kwargs, synth_fonts  # noqa: F401  (pytest fixtures)


def dump(path):
    env = lmdb.open(str(path), readonly=True, lock=False)
    with env.begin() as txn:
        data = dict(txn.cursor())
    env.close()
    return data


def quiet(_):
    pass


def test_recog_lmdb_dataset_reads_it(tmp_path, gen_kwargs, generator):
    import clip4str  # noqa: F401  (compat fixes before mmocr)
    from mmocr.datasets import RecogLMDBDataset
    out = tmp_path / 'synth'
    generate_lmdb(str(out), 12, seed=7, gen_kwargs=gen_kwargs, commit_every=5, log=quiet)
    ds = RecogLMDBDataset(ann_file=str(out), pipeline=[])
    assert len(ds) == 12
    for i in (0, 11):
        item = ds[i]
        assert item['instances'][0]['text'] == generator.render(i)[1]
        img = item['img']
        assert img.ndim == 3 and img.shape[2] == 3 and img.shape[0] >= 12
    ds.close()
    # keys are 1-based, as RecogLMDBDataset expects
    data = dump(out)
    assert b'image-000000001' in data and b'image-000000000' not in data
    assert data[b'num-samples'] == b'12'


def test_worker_count_does_not_change_data(tmp_path, gen_kwargs):
    generate_lmdb(str(tmp_path / 'a'), 40, seed=7, workers=1, gen_kwargs=gen_kwargs,
                  commit_every=16, log=quiet)
    generate_lmdb(str(tmp_path / 'b'), 40, seed=7, workers=2, gen_kwargs=gen_kwargs,
                  commit_every=7, log=quiet)
    assert dump(tmp_path / 'a') == dump(tmp_path / 'b')


def test_resume_continues_and_matches_one_run(tmp_path, gen_kwargs):
    generate_lmdb(str(tmp_path / 'full'), 20, seed=7, gen_kwargs=gen_kwargs, log=quiet)
    part = str(tmp_path / 'part')
    generate_lmdb(part, 8, seed=7, gen_kwargs=gen_kwargs, log=quiet)
    stats = generate_lmdb(part, 20, seed=7, gen_kwargs=gen_kwargs, log=quiet)
    assert stats['written'] == 12 and read_count(part) == 20
    assert dump(part) == dump(tmp_path / 'full')
    assert generate_lmdb(part, 20, seed=7, gen_kwargs=gen_kwargs, log=quiet)['written'] == 0


def test_interrupted_run_keeps_committed_chunks_and_resumes(tmp_path, gen_kwargs, monkeypatch):
    from clip4str.datasets.synth import generator as gen_mod
    out = str(tmp_path / 'killed')
    real_encode = gen_mod.SynthGenerator.encode

    def failing_encode(self, index):
        if index == 13:
            raise KeyboardInterrupt
        return real_encode(self, index)

    monkeypatch.setattr(gen_mod.SynthGenerator, 'encode', failing_encode)
    with pytest.raises(KeyboardInterrupt):
        generate_lmdb(out, 30, seed=7, gen_kwargs=gen_kwargs, commit_every=5, log=quiet)
    done = read_count(out)
    assert 10 <= done <= 13  # everything finished before the interruption is kept
    data = dump(out)
    assert all(b'image-%09d' % i in data for i in range(1, done + 1))
    monkeypatch.setattr(gen_mod.SynthGenerator, 'encode', real_encode)
    generate_lmdb(out, 30, seed=7, gen_kwargs=gen_kwargs, commit_every=5, log=quiet)
    generate_lmdb(str(tmp_path / 'clean'), 30, seed=7, gen_kwargs=gen_kwargs, log=quiet)
    assert dump(out) == dump(tmp_path / 'clean')


def test_resume_with_other_settings_is_refused(tmp_path, gen_kwargs):
    out = str(tmp_path / 'x')
    generate_lmdb(out, 4, seed=7, gen_kwargs=gen_kwargs, log=quiet)
    with pytest.raises(LMDBMismatchError, match='seed'):
        generate_lmdb(out, 8, seed=8, gen_kwargs=gen_kwargs, log=quiet)
    other_style = dict(gen_kwargs, style=dict(p_invert=0.5))
    with pytest.raises(LMDBMismatchError, match='digest'):
        generate_lmdb(out, 8, seed=7, gen_kwargs=other_style, log=quiet)
    generate_lmdb(out, 3, seed=8, gen_kwargs=gen_kwargs, overwrite=True, log=quiet)
    assert read_count(out) == 3
    assert json.loads(dump(out)[META_KEY])['seed'] == 8


def test_foreign_lmdb_is_not_appended_to(tmp_path):
    out = tmp_path / 'foreign'
    env = lmdb.open(str(out), map_size=1 << 20)
    with env.begin(write=True) as txn:
        txn.put(b'num-samples', b'1')
        txn.put(b'image-000000001', b'x')
        txn.put(b'label-000000001', b'a')
    env.close()
    with pytest.raises(LMDBMismatchError, match='not written by this tool'):
        RecogLMDBWriter(str(out), dict(seed=0))


def test_writer_grows_a_full_map(tmp_path):
    img = cv2.imencode('.png', np.random.default_rng(0).integers(0, 255, (64, 256, 3),
                                                                   dtype=np.uint8))[1].tobytes()
    with RecogLMDBWriter(str(tmp_path / 'small'), dict(seed=0), map_size=64 * 1024) as w:
        for _ in range(4):
            w.append([(img, 'abc')] * 4)
    assert read_count(str(tmp_path / 'small')) == 16


def test_few_font_families_are_warned_about(tmp_path, gen_kwargs):
    """Training words from the core fonts alone once went unnoticed for two stages."""
    from clip4str.datasets.synth.pipeline import FEW_FAMILIES
    lines = []
    generate_lmdb(str(tmp_path / 'few'), 2, seed=7, gen_kwargs=gen_kwargs, log=lines.append)
    assert len(gen_kwargs['fonts']['fonts']) < FEW_FAMILIES
    warnings = [m for m in lines if m.startswith('warning: only')]
    assert len(warnings) == 1
    assert 'CLIP4STR_SYNTH_FONTS=1 tools/setup.sh' in warnings[0]
