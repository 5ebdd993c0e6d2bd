"""Font discovery and glyph checks: fonts lacking a label's glyphs are never used for it."""
import string

import numpy as np
import pytest

from clip4str.datasets.synth.charset import load_charset
from clip4str.datasets.synth.fonts import FontBank, NoFontError, discover_fonts, inspect_font
from synth_fixtures import synth_fonts  # noqa: F401  (pytest fixtures)

CHARSET = load_charset()


def make_subset_font(src, dst, chars, family):
    """Copy of `src` keeping only `chars`, renamed to `family` (so it is not a duplicate)."""
    from fontTools import subset
    opts = subset.Options()
    opts.name_IDs = ['*']
    opts.notdef_outline = True
    font = subset.load_font(src, opts)
    sub = subset.Subsetter(opts)
    sub.populate(text=chars)
    sub.subset(font)
    for rec in font['name'].names:
        if rec.nameID in (1, 4, 16):
            rec.string = family
    subset.save_font(font, str(dst), opts)
    return str(dst)


@pytest.fixture(scope='module')
def partial_fonts(synth_fonts, tmp_path_factory):
    d = tmp_path_factory.mktemp('fonts')
    alnum = string.digits + string.ascii_letters
    no_punct = make_subset_font(synth_fonts[0], d / 'nopunct.ttf', alnum, 'NoPunct Sans')
    no_z = make_subset_font(synth_fonts[0], d / 'noz.ttf', alnum.replace('z', ''), 'NoZed Sans')
    return d, no_punct, no_z


def test_inspect_font_reports_real_coverage(synth_fonts, partial_fonts):
    full = inspect_font(synth_fonts[0], CHARSET)
    assert set(full['chars']) == set(CHARSET) and not full['caps_only']
    _, no_punct, _ = partial_fonts
    info = inspect_font(no_punct, CHARSET)
    assert set(info['chars']) == set(string.digits + string.ascii_letters)
    assert info['family'] == 'NoPunct Sans'


def test_font_missing_alphanumerics_is_skipped_with_reason(synth_fonts, partial_fonts, tmp_path):
    d, no_punct, no_z = partial_fonts
    bank = FontBank([synth_fonts[0], str(d)], charset=CHARSET, cache_file=str(tmp_path / 'c.json'))
    used = {f.path for f in bank.fonts}
    assert no_punct in used and no_z not in used
    reasons = dict(bank.skipped)
    assert 'z' in reasons[no_z]


def test_sampler_never_picks_a_font_without_the_glyphs(synth_fonts, partial_fonts, tmp_path):
    d, no_punct, _ = partial_fonts
    bank = FontBank([synth_fonts[0], no_punct], charset=CHARSET, cache_file=None)
    assert len(bank) == 2
    picks_punct = {bank.sample(np.random.default_rng(i), 'hi!').path for i in range(200)}
    assert picks_punct == {synth_fonts[0]}
    picks_alnum = {bank.sample(np.random.default_rng(i), 'hi').path for i in range(200)}
    assert picks_alnum == {synth_fonts[0], no_punct}  # both eligible, both used


def test_text_no_font_can_draw_raises(synth_fonts, partial_fonts):
    _, no_punct, _ = partial_fonts
    bank = FontBank([no_punct], charset=CHARSET, cache_file=None)
    with pytest.raises(NoFontError):
        bank.sample(np.random.default_rng(0), 'a&b')


def test_no_usable_fonts_is_a_clear_error(tmp_path):
    with pytest.raises(NoFontError, match='no usable fonts'):
        FontBank([str(tmp_path)], charset=CHARSET, cache_file=None)


def test_broken_font_file_is_skipped(synth_fonts, tmp_path):
    bad = tmp_path / 'broken.ttf'
    bad.write_bytes(b'not a font at all')
    bank = FontBank([synth_fonts[0], str(bad)], charset=CHARSET, cache_file=None)
    assert [f.path for f in bank.fonts] == [synth_fonts[0]]
    assert 'unreadable' in dict(bank.skipped)[str(bad.resolve())]


def test_symbol_fonts_are_excluded_by_name(synth_fonts, tmp_path):
    import shutil
    sym = tmp_path / 'StandardSymbolsPS.ttf'
    shutil.copy(synth_fonts[0], sym)
    bank = FontBank([synth_fonts[1], str(sym)], charset=CHARSET, cache_file=None)
    assert str(sym) not in {f.path for f in bank.fonts}


def test_coverage_cache_is_written_and_reused(synth_fonts, tmp_path, monkeypatch):
    cache = tmp_path / 'cache.json'
    FontBank(synth_fonts, charset=CHARSET, cache_file=str(cache))
    assert cache.is_file()
    import clip4str.datasets.synth.fonts as fonts_mod
    monkeypatch.setattr(fonts_mod, 'inspect_font', lambda *a: pytest.fail('cache not used'))
    bank = FontBank(synth_fonts, charset=CHARSET, cache_file=str(cache))
    assert len(bank) == len(synth_fonts)


def test_caps_only_fonts_are_detected():
    bebas = [f for f in discover_fonts() if 'BebasNeue-Regular' in f]
    if not bebas:
        pytest.skip('fonts-bebas-neue not installed')
    info = inspect_font(bebas[0], CHARSET)
    assert info['caps_only']
    bank = FontBank(bebas, charset=CHARSET, cache_file=None)
    assert bank.sample(np.random.default_rng(0), 'lower').caps_only
