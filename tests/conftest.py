"""Shared fixtures."""
import pytest

from tests.helpers import REPO, SHARED_DATA


@pytest.fixture(scope='session')
def shared_data():
    if not SHARED_DATA.is_dir():
        pytest.skip(f'shared data not present at {SHARED_DATA}')
    return SHARED_DATA


@pytest.fixture(scope='session')
def repo_root():
    return REPO


@pytest.fixture(scope='session', autouse=True)
def one_torch_thread():
    """Tests run many tiny ops: with several threads, each op waits at OpenMP barriers, which
    costs a scheduler timeslice per op whenever the machine is busy (10x slower here)."""
    import torch
    torch.set_num_threads(1)
    yield
