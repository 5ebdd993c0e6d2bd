"""Snapshots split into parts for the device tool's return limits, and put back together."""
import io
import json
import sys

import pytest
import torch

from tests.helpers import REPO

sys.path.insert(0, str(REPO / 'tools' / 'device'))
from devkit import parts  # noqa: E402
from devkit.hooks import one_cycle_factor  # noqa: E402


def _payload(seed: int) -> bytes:
    buf = io.BytesIO()
    torch.save({'state_dict': {'w': torch.randn(300, 100, generator=torch.Generator().manual_seed(seed))},
                'meta': {'iter': seed}}, buf)
    return buf.getvalue()


def test_round_trip_in_parts_under_the_size_limit(tmp_path):
    payload = _payload(1)
    paths = parts.write_snapshot(str(tmp_path), 'recog', 'A', payload, dict(iter=5),
                                 part_bytes=50_000)
    pieces = [p for p in paths if '.part' in p]
    assert len(pieces) == -(-len(payload) // 50_000) > 1
    assert all((tmp_path / p).stat().st_size <= 50_000 for p in pieces)
    meta = parts.reassemble(str(tmp_path), 'recog', str(tmp_path / 'out.pth'))
    assert meta['iter'] == 5 and meta['slot'] == 'A'
    assert (tmp_path / 'out.pth').read_bytes() == payload


def test_default_parts_fit_the_tools_16_mib():
    assert parts.PART_BYTES <= 16 * 2**20


def test_newest_complete_slot_wins_and_a_damaged_one_is_skipped(tmp_path):
    old, new = _payload(1), _payload(2)
    parts.write_snapshot(str(tmp_path), 'recog', 'A', old, dict(iter=10), part_bytes=50_000)
    parts.write_snapshot(str(tmp_path), 'recog', 'B', new, dict(iter=20), part_bytes=50_000)
    parts.reassemble(str(tmp_path), 'recog', str(tmp_path / 'x.pth'))
    assert (tmp_path / 'x.pth').read_bytes() == new
    # a run killed while rewriting slot B: one of its parts is cut short
    part = tmp_path / 'recog-B.part1'
    part.write_bytes(part.read_bytes()[:100])
    meta = parts.reassemble(str(tmp_path), 'recog', str(tmp_path / 'y.pth'))
    assert meta['iter'] == 10 and (tmp_path / 'y.pth').read_bytes() == old


def test_no_complete_snapshot_names_the_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match=str(tmp_path)):
        parts.reassemble(str(tmp_path), 'recog', str(tmp_path / 'z.pth'))


def test_smaller_snapshot_removes_the_slots_stale_parts(tmp_path):
    parts.write_snapshot(str(tmp_path), 'recog', 'A', _payload(1), {}, part_bytes=20_000)
    n_before = len(list(tmp_path.glob('recog-A.part*')))
    parts.write_snapshot(str(tmp_path), 'recog', 'A', b'tiny', {}, part_bytes=20_000)
    assert n_before > 1 and [p.name for p in tmp_path.glob('recog-A.part*')] == ['recog-A.part0']
    assert json.loads((tmp_path / 'recog-A.json').read_text())['bytes'] == 4


def test_one_cycle_over_the_budget():
    f = [one_cycle_factor(t / 100) for t in range(101)]
    peak = max(f)
    assert f[0] == pytest.approx(0.04) and peak == pytest.approx(1.0, abs=0.02)
    top = f.index(peak)
    assert all(a <= b for a, b in zip(f[:top], f[1:top + 1]))  # warm-up rises
    assert all(a >= b for a, b in zip(f[top:], f[top + 1:]))  # then only falls
    assert f[-1] == pytest.approx(1e-3) and one_cycle_factor(2.0) == f[-1]
