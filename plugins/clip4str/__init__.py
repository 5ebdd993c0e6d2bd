"""CLIP4STR for MMOCR. Importing this package registers every module in MMOCR's registries."""
import clip4str_compat

clip4str_compat.apply()  # before anything imports torchvision / mmcv.ops

from .version import __version__  # noqa: E402,F401
