"""The package installs, imports, and plugs into MMOCR configs through custom_imports."""
import subprocess
import sys

from mmengine.config import Config

from tests.helpers import REPO


def test_version_and_compat_hook_installed():
    import clip4str
    assert clip4str.__version__
    # the venv's .pth puts the compat import hook in place at interpreter start
    r = subprocess.run([sys.executable, '-c',
                        'import sys, clip4str_compat; '
                        'print(any(isinstance(f, clip4str_compat._CompatFinder) for f in sys.meta_path))'],
                       capture_output=True, text=True)
    assert r.stdout.strip() == 'True', r.stderr


def test_config_with_mmocr_base_and_custom_imports_loads(tmp_path):
    cfg_file = tmp_path / 'cfg.py'
    cfg_file.write_text(
        "_base_ = ['mmocr::textrecog/_base_/default_runtime.py']\n"
        "custom_imports = dict(imports=['clip4str'], allow_failed_imports=False)\n")
    r = subprocess.run([sys.executable, '-c', (
        'import sys; from mmengine.config import Config; '
        f'cfg = Config.fromfile({str(cfg_file)!r}); '
        "assert 'clip4str' in sys.modules; print(cfg.default_scope)")],
        capture_output=True, text=True, cwd=REPO)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == 'mmocr'
    assert Config.fromfile(str(cfg_file)).default_hooks.checkpoint.type == 'CheckpointHook'
