"""CLIP4STR for MMOCR. Importing this package registers every module in MMOCR's registries.

Use it from an mm config with::

    custom_imports = dict(imports=['clip4str'], allow_failed_imports=False)
"""
import clip4str_compat

clip4str_compat.apply()  # before anything imports torchvision / mmcv.ops

from .version import __version__  # noqa: E402,F401
from . import datasets, engine, evaluation, models  # noqa: E402,F401  (fill the registries)
