"""Synthetic word images for training the recognizer (PIL/OpenCV renderer, LMDB output).

    from clip4str.datasets.synth import SynthGenerator, generate_lmdb
    generate_lmdb('data/synth/train', num=200_000, seed=0, workers=2)

Command line: ``tools/make_synth.py --out data/synth/train --num 200000 --workers 2``.
"""
from .fonts import FontBank, FontInfo, NoFontError
from .generator import DEFAULT_STYLE, SynthGenerator
from .lmdb_writer import LMDBMismatchError, RecogLMDBWriter, read_count
from .pipeline import generate_lmdb, render_preview
from .text_sources import TextSampler

__all__ = ['FontBank', 'FontInfo', 'NoFontError', 'DEFAULT_STYLE', 'SynthGenerator',
           'LMDBMismatchError', 'RecogLMDBWriter', 'read_count', 'generate_lmdb',
           'render_preview', 'TextSampler']
