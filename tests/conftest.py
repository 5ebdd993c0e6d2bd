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
