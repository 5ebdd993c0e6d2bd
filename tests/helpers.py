"""Paths shared by the tests. Real data is read-only in ../shared/data; tests using it skip
without it (``shared_data`` fixture in conftest.py)."""
import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get('CLIP4STR_SHARED_DATA', REPO.parent / 'shared' / 'data'))
