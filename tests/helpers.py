"""Paths shared by the tests. Real data is read-only in ../shared/data; tests using it skip
without it (``shared_data`` fixture in conftest.py)."""
import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get('CLIP4STR_SHARED_DATA', REPO.parent / 'shared' / 'data'))


def load_tool(relative_path: str):
    """A script of tools/ (not a package) imported as a module, e.g.
    ``load_tool('tools/dataset_converters/sroie_words.py')``."""
    import importlib.util
    path = REPO / relative_path
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
