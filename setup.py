"""Install the `clip4str` MMOCR plugin from plugins/clip4str."""
import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
version = re.search(r"__version__ = '([^']+)'",
                    (HERE / 'plugins/clip4str/version.py').read_text()).group(1)


def requirements(name):
    lines = (HERE / 'requirements' / name).read_text().splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith('#')]


setup(
    name='clip4str-mmocr',
    version=version,
    description='CLIP4STR scene text recognizer as an MMOCR plugin, with document/photo OCR tools',
    long_description=(HERE / 'README.md').read_text(encoding='utf-8'),
    long_description_content_type='text/markdown',
    license='Apache-2.0',
    python_requires='>=3.9',
    package_dir={'': 'plugins'},
    packages=find_packages('plugins'),
    py_modules=['clip4str_compat'],
    include_package_data=True,
    package_data={'clip4str': ['dicts/*.txt', 'dicts/*.txt.gz', 'configs/**/*.py']},
    install_requires=requirements('runtime.txt'),
    extras_require={'tests': requirements('tests.txt'), 'export': requirements('export.txt')},
    entry_points={'console_scripts': [
        'clip4str-ocr=clip4str.cli.ocr:main',
    ]},
    zip_safe=False,
)
