"""Font discovery, per-font glyph coverage (cached on disk) and text-aware font sampling.

A font is usable for a label only if it has a real, non-empty glyph for every character of it
(checked with the font's cmap via fontTools and with FreeType rendering via PIL). Symbol fonts
that map ASCII to pictures are excluded by name and by a "glyphs must differ" check. Fonts whose
lowercase letters are small caps or capitals (e.g. Bebas Neue) are flagged ``caps_only`` so the
generator upper-cases the label instead of teaching the model a wrong case.
"""
import hashlib
import json
import os
import re
import string
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np
from PIL import Image, ImageFont

FONT_EXTS = ('.ttf', '.otf', '.TTF', '.OTF')
DEFAULT_FONT_DIRS = ('/usr/share/fonts', '/usr/local/share/fonts', '~/.local/share/fonts',
                     '~/.fonts')
DEFAULT_CACHE = '~/.cache/clip4str/synth_font_coverage.json'
# pictures behind ASCII code points, or glyph sets made for other purposes
DEFAULT_EXCLUDE = (r'(?i)(symbol|dingbat|d050000l|emoji|math|music|awesome|icons?\b|ornament|'
                   r'braille|signwriting|keyboard|inverted|f500|stix(?!two)|cmex|wasy|msam|msbm|'
                   r'lastresort)')
# relative weights by family name (first match wins); everything else weighs 1
DEFAULT_FAMILY_WEIGHTS = (
    (r'(?i)kristi|dkg|breip|femke|ecolier|dancing|lobster|humor|rufscript|staypuft|'
     r'blankenburg|isabella|radisnoir|beteckna|sixtyfour|ocr|junicode|averia|aenigma', 0.4),
    (r'(?i)dejavu sans$|liberation|roboto|open ?sans|noto sans$|noto serif$|lato|inter\b|cabin|'
     r'carlito|freesans|nimbus sans|tex ?gyre ?heros|b612|league spartan|bebas|yanone|'
     r'cantarell|arimo|tinos|go$|quicksand|comfortaa|play$|nimbus roman|freeserif', 1.6),
)
ALNUM = string.digits + string.ascii_letters
CAPS_PROBE = 'abdeghnqrt'  # letters whose lowercase differs from the capital in normal fonts
CACHE_VERSION = 2
# handwriting, script and blackletter: unreadable in long all-capital words, so not used there
DEFAULT_SCRIPT = (r'(?i)kristi|dkg|breip|femke|ecolier|dancing|lobster|rufscript|isabella|'
                  r'z003|blankenburg|staypuft|humor')


@dataclass(frozen=True)
class FontInfo:
    path: str
    family: str
    style: str
    chars: str        # charset characters with a real glyph
    caps_only: bool   # lowercase code points draw capitals / small caps
    script: bool = False  # handwriting / script / blackletter design


def discover_fonts(dirs: Sequence[str] = DEFAULT_FONT_DIRS) -> List[str]:
    """TrueType/OpenType files under `dirs` (files are taken as they are), sorted."""
    found = set()
    for d in dirs:
        p = Path(os.path.expanduser(d))
        if p.is_file() and p.suffix in FONT_EXTS:
            found.add(str(p.resolve()))
        elif p.is_dir():
            found.update(str(f.resolve()) for f in p.rglob('*') if f.suffix in FONT_EXTS)
    return sorted(found)


def _names(tt) -> tuple:
    name = tt['name']

    def get(*ids):
        for i in ids:
            rec = name.getDebugName(i)
            if rec:
                return rec.strip()
        return ''
    return get(16, 1), get(17, 2)


def _norm_glyph(mask: Image.Image) -> Optional[np.ndarray]:
    box = mask.getbbox()
    if box is None:
        return None
    return np.asarray(mask.crop(box).resize((16, 16), Image.BILINEAR), dtype=np.float32) / 255


def inspect_font(path: str, charset: str) -> dict:
    """Glyph coverage and flags of one font file (raises on unreadable files)."""
    from fontTools.ttLib import TTFont
    with TTFont(path, fontNumber=0, lazy=True) as tt:
        cmap = tt.getBestCmap() or {}
        family, style = _names(tt)
    font = ImageFont.truetype(path, 40)
    glyphs = {}
    for c in charset:
        if ord(c) in cmap:
            g = _norm_glyph(font.getmask(c))
            if g is not None:
                glyphs[c] = g
    distinct = len({(g > 0.5).tobytes() for c, g in glyphs.items() if c in ALNUM})
    same_case = 0
    for c in CAPS_PROBE:
        lo, up = glyphs.get(c), glyphs.get(c.upper())
        if lo is not None and up is not None:
            inter = np.minimum(lo, up).sum()
            union = np.maximum(lo, up).sum()
            same_case += inter / max(union, 1e-6) > 0.8
    return dict(family=family or Path(path).stem, style=style or 'Regular',
                chars=''.join(c for c in charset if c in glyphs),
                distinct=distinct, same_case=int(same_case),
                caps_only=bool(same_case >= len(CAPS_PROBE) - 1))


def _load_cache(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _save_cache(path: Path, data: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f'.tmp{os.getpid()}')
        tmp.write_text(json.dumps(data, sort_keys=True))
        os.replace(tmp, path)
    except OSError as e:  # read-only home: scanning again next time is only slower
        warnings.warn(f'cannot write font cache {path}: {e}')


class NoFontError(RuntimeError):
    pass


class FontBank:
    """The usable fonts and a sampler that only returns fonts able to draw a given text.

    Args:
        fonts: font files and/or directories (searched recursively).
        charset: characters the labels use.
        exclude: regex on path and family name of fonts to leave out.
        family_weights: (regex, weight) pairs on family names; a family's weight is shared by
            its styles, so big families do not crowd out small ones.
        script: regex on family names of handwriting/script fonts, kept away from long
            all-capital words.
        cache_file: JSON cache of per-font coverage (None: no cache).
        required: characters a font must draw to be used at all (capitals + digits suffice for
            caps-only fonts).
    """

    def __init__(self,
                 fonts: Sequence[str] = DEFAULT_FONT_DIRS,
                 charset: str = string.digits + string.ascii_letters + string.punctuation,
                 exclude: Optional[str] = DEFAULT_EXCLUDE,
                 family_weights=DEFAULT_FAMILY_WEIGHTS,
                 italic_weight: float = 0.5,
                 script: Optional[str] = DEFAULT_SCRIPT,
                 cache_file: Optional[str] = DEFAULT_CACHE,
                 required: str = ALNUM,
                 min_distinct: int = 50,
                 verbose: bool = False):
        self.charset = charset
        files = discover_fonts(fonts)
        if exclude:
            rx = re.compile(exclude)
            files = [f for f in files if not rx.search(Path(f).name)]
        cache_path = Path(os.path.expanduser(cache_file)) if cache_file else None
        cache = _load_cache(cache_path) if cache_path else {}
        ckey = hashlib.sha1(charset.encode()).hexdigest()[:12]
        infos, skipped, dirty = [], [], False
        seen = set()
        for f in files:
            st = os.stat(f)
            key = f'{f}|{st.st_size}|{int(st.st_mtime)}|{ckey}|v{CACHE_VERSION}'
            rec = cache.get(key)
            if rec is None:
                try:
                    rec = inspect_font(f, charset)
                except Exception as e:  # broken or unsupported font file
                    rec = dict(error=f'{type(e).__name__}: {e}')
                cache[key] = rec
                dirty = True
            reason = self._reject_reason(rec, exclude, required, min_distinct)
            ident = (rec.get('family'), rec.get('style'))
            if reason is None and ident in seen:
                reason = 'duplicate family/style'
            if reason:
                skipped.append((f, reason))
                continue
            seen.add(ident)
            infos.append(FontInfo(f, rec['family'], rec['style'], rec['chars'], rec['caps_only'],
                                  bool(script and re.search(script, rec['family']))))
        if dirty and cache_path:
            _save_cache(cache_path, cache)
        if not infos:
            raise NoFontError(
                f'no usable fonts among {len(files)} files in {list(fonts)}; install some, e.g. '
                f'`apt-get install fonts-dejavu-core fonts-liberation` (see tools/setup.sh)')
        self.fonts: List[FontInfo] = infos
        self.skipped = skipped
        if verbose:
            for f, r in skipped:
                print(f'[fonts] skip {f}: {r}')

        # glyph table for vectorised "which fonts can draw this text"
        self._index = {c: i for i, c in enumerate(charset)}
        self._has = np.zeros((len(infos), len(charset)), dtype=bool)
        for k, info in enumerate(infos):
            self._has[k, [self._index[c] for c in info.chars if c in self._index]] = True
        fam_size: Dict[str, int] = {}
        for info in infos:
            fam_size[info.family] = fam_size.get(info.family, 0) + 1
        w = np.array([self._family_weight(i.family, family_weights) / fam_size[i.family] *
                      (italic_weight if re.search(r'(?i)italic|oblique|slant', i.style) else 1.0)
                      for i in infos])
        self._weights = w
        self._caps = np.array([f.caps_only for f in infos])
        self._script = np.array([f.script for f in infos])

    @staticmethod
    def _reject_reason(rec, exclude, required, min_distinct) -> Optional[str]:
        if 'error' in rec:
            return f'unreadable ({rec["error"]})'
        if exclude and re.search(exclude, rec['family']):
            return 'excluded by name'
        if 2 < rec['same_case'] < len(CAPS_PROBE) - 1:
            return f'unicase design ({rec["same_case"]}/{len(CAPS_PROBE)} lowercase = capitals)'
        need = required.upper() if rec['caps_only'] else required
        missing = sorted(set(need) - set(rec['chars']))
        if missing:
            return f'no glyphs for {"".join(missing[:20])}'
        # caps-only fonts draw at most 36 distinct alphanumerics (digits + capitals)
        need_distinct = min_distinct * 36 // 62 if rec['caps_only'] else min_distinct
        if rec['distinct'] < need_distinct:
            return (f'only {rec["distinct"]} distinct alphanumeric glyphs '
                    f'(symbol or hairline font?)')
        return None

    @staticmethod
    def _family_weight(family, family_weights) -> float:
        for rx, w in family_weights:
            if re.search(rx, family):
                return float(w)
        return 1.0

    def __len__(self):
        return len(self.fonts)

    @property
    def families(self) -> List[str]:
        return sorted({f.family for f in self.fonts})

    def candidates(self, text: str) -> np.ndarray:
        """Boolean mask of fonts that draw every character of `text`."""
        idx = [self._index[c] for c in set(text) if c in self._index]
        if len(idx) != len(set(text)):
            return np.zeros(len(self.fonts), dtype=bool)
        return self._has[:, idx].all(axis=1)

    def sample(self, rng: np.random.Generator, text: str) -> FontInfo:
        """A font (weighted by family) that has glyphs for all characters of `text`.

        Caps-only fonts are eligible when they draw ``text.upper()``; callers must then render
        and label the upper-cased text.
        """
        ok = self.candidates(text) | (self.candidates(text.upper()) & self._caps)
        if sum(c.isupper() for c in text) >= 3 and not any(c.islower() for c in text):
            ok &= ~self._script
        if not ok.any():
            raise NoFontError(f'no font has glyphs for all of {text!r}')
        w = np.where(ok, self._weights, 0.0)
        cdf = np.cumsum(w / w.sum())
        return self.fonts[min(int(np.searchsorted(cdf, rng.random())), len(self.fonts) - 1)]


@lru_cache(maxsize=512)
def load_font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)
