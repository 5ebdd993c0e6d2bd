"""Fixtures for the synthetic word generator: a few common system fonts and a private cache.

A module imported by the tests (not a conftest.py: a second `conftest` module would shadow
tests/conftest.py for `from conftest import REPO`).
"""
import os

import pytest

CANDIDATE_FONTS = (
    '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
    '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf',
    '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
    '/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf',
)


@pytest.fixture(scope='session')
def synth_fonts():
    fonts = [f for f in CANDIDATE_FONTS if os.path.isfile(f)]
    if len(fonts) < 2:
        pytest.skip('needs DejaVu / Liberation fonts (apt-get install fonts-dejavu-core '
                    'fonts-liberation)')
    return fonts


@pytest.fixture(scope='session')
def gen_kwargs(synth_fonts, tmp_path_factory):
    """Small, fast generator settings: 2-4 fonts, no wordfreq table, private font cache."""
    cache = tmp_path_factory.mktemp('fontcache') / 'fonts.json'
    return dict(text=dict(use_wordfreq=False),
                fonts=dict(fonts=list(synth_fonts), cache_file=str(cache)))


@pytest.fixture(scope='session')
def generator(gen_kwargs):
    from clip4str.datasets.synth import SynthGenerator
    return SynthGenerator(seed=7, **gen_kwargs)
