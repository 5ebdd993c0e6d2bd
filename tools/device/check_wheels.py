#!/usr/bin/env python
"""Check the carried cp312 wheels against Python 3.12 + numpy 2 without a GPU or torch (none
for 3.12 can be had here): install them as on_device.sh does, import every carried module that
needs no torch (imgaug with the project's numpy-2 fix), and render synthetic words with the kit.

    /root/.pyenv/versions/3.12.1/bin/python -m venv /tmp/py312 && /tmp/py312/bin/pip install \
        numpy opencv-python-headless pillow scipy scikit-image matplotlib imageio six pyyaml regex
    /tmp/py312/bin/python tools/device/check_wheels.py          # uses .device/ from pack.py
"""
import importlib
import os
import os.path as osp
import subprocess
import sys
import tempfile
import time
import types

HERE = osp.dirname(osp.abspath(__file__))
ROOT = osp.dirname(osp.dirname(HERE))
KIT = osp.join(ROOT, '.device')
NO_TORCH_MODULES = ['imgaug', 'imgaug.augmenters', 'pycocotools.coco', 'shapely.geometry', 'lmdb',
                    'rapidfuzz', 'pyclipper', 'ftfy', 'yapf', 'addict', 'termcolor',
                    'terminaltables', 'pkg_resources', 'platformdirs', 'wcwidth']


def main():
    site = tempfile.mkdtemp(prefix='devkit_site_')
    wheels = sorted(osp.join(KIT, 'wheels', w) for w in os.listdir(osp.join(KIT, 'wheels')))
    t0 = time.time()
    subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', '--no-index', '--no-deps',
                    '--no-compile', '--no-cache-dir', '--target', site, *wheels], check=True)
    print(f'installed {len(wheels)} wheels in {time.time() - t0:.1f} s')
    sys.path[:0] = [site, osp.join(ROOT, 'plugins'), osp.join(HERE, 'stubs')]
    os.environ['CLIP4STR_WORDFREQ_TSV'] = osp.join(KIT, 'wordfreq_en.tsv')
    import numpy as np
    import clip4str_compat
    clip4str_compat.fix_numpy_sctypes()
    for name in NO_TORCH_MODULES:
        importlib.import_module(name)
    from train import ensure_distutils
    ensure_distutils()
    importlib.import_module('distutils.errors')  # MMEngine's collect_env needs it
    print(f'Python {sys.version.split()[0]}, numpy {np.__version__}: '
          f'{len(NO_TORCH_MODULES)} modules import')
    # the renderer without clip4str/__init__ (which imports torch): bare package shells
    for name, sub in (('clip4str', ''), ('clip4str.datasets', 'datasets')):
        mod = types.ModuleType(name)
        mod.__path__ = [osp.join(ROOT, 'plugins', 'clip4str', sub)]
        sys.modules[name] = mod
    from clip4str.datasets.synth import SynthGenerator
    gen = SynthGenerator(seed=1, fonts=dict(fonts=[osp.join(KIT, 'fonts')], cache_file=None),
                         text=dict(lexicon_paths=[osp.join(KIT, 'words.txt')]))
    t0 = time.time()
    labels = [gen.render(i)[1] for i in range(40)]
    print(f'{len(gen.fonts)} fonts, {len(gen.text.freq_words or ())} frequent words; '
          f'{40 / (time.time() - t0):.0f} words/s on one core: {labels[:6]}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
