"""pack.py takes weights/*.pth out of what the device tool sends and puts them back after."""
import subprocess
import sys

import pytest

from tests.helpers import REPO

sys.path.insert(0, str(REPO / 'tools' / 'device'))
import pack  # noqa: E402


def _git(root, *args):
    return subprocess.run(['git', '-C', str(root), *args], check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / 'repo'
    (root / 'weights').mkdir(parents=True)
    (root / 'weights' / 'model.pth').write_bytes(b'w' * 5000)
    (root / 'weights' / 'MANIFEST.json').write_text('{}')
    (root / 'code.py').write_text('x = 1\n')
    (root / '.gitignore').write_text('/.device/\n')
    _git(root, 'init', '-q')
    _git(root, 'add', '-A')
    _git(root, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'init')
    return root


def _sent(root):
    """The tool's travelling tree: tracked plus untracked files that git does not ignore."""
    return set(_git(root, 'ls-files', '--cached', '--others', '--exclude-standard').split())


def test_weights_leave_the_travelling_tree_and_come_back(repo):
    kit = repo / '.device'
    kit.mkdir()
    index_before = _git(repo, 'ls-files', '-s')
    assert 'weights/model.pth' in _sent(repo)

    pack.stage_weights_out(str(repo), str(kit))
    assert 'weights/model.pth' not in _sent(repo)
    assert (repo / 'weights' / 'model.pth').read_bytes() == b'w' * 5000  # file untouched
    assert 'weights/MANIFEST.json' in _sent(repo)
    sizes = pack.travelling_bytes(str(repo), [])
    assert sizes['tree'] < 5000

    assert pack.restore_weights(str(repo), str(kit))
    assert _git(repo, 'ls-files', '-s') == index_before
    assert 'weights/model.pth' in _sent(repo)
    assert _git(repo, 'status', '--porcelain') == ''
    assert not pack.restore_weights(str(repo), str(kit))  # idempotent
