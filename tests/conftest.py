"""Shared fixtures. Real data lives in ../shared/data (read-only); tests using it skip without it."""
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get('CLIP4STR_SHARED_DATA', REPO.parent / 'shared' / 'data'))


@pytest.fixture(scope='session')
def shared_data():
    if not SHARED_DATA.is_dir():
        pytest.skip(f'shared data not present at {SHARED_DATA}')
    return SHARED_DATA


@pytest.fixture(scope='session')
def repo_root():
    return REPO
