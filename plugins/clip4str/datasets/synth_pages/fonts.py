"""Find the Latin fonts installed on this machine and sort them into styles the layouts ask for."""
import functools
import glob
import os
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

from PIL import ImageFont

FONT_DIRS = ('/usr/share/fonts', '/usr/local/share/fonts', os.path.expanduser('~/.fonts'))
PROBE = 'AaBbGg0123456789$%&?'
# Families that have Latin glyphs but draw symbols, music or maths, not text.
NON_TEXT = re.compile(r'symbol|math|music|dingbat|D050000L|emoji|Ornament', re.I)
MONO = re.compile(r'mono|courier|typewriter|cousine|consol|SourceCode|FiraCode|OCR[AB]', re.I)
SERIF = re.compile(r'serif|roman|times|libertine|caladea|C059|P052|bookman|schola|pagella|'
                   r'termes|bonum|heros-no|tinos|georgia|garamond', re.I)
NARROW = re.compile(r'narrow|condensed|cond', re.I)
BOLD = re.compile(r'bold|black|heavy|demi|semibold|extrabold|-B\b|_RB', re.I)
ITALIC = re.compile(r'italic|oblique|ita\b|-I\b|_RI|_I\b|BdIta', re.I)
SCRIPT = re.compile(r'Z003|chancery|script|hand', re.I)


@dataclass(frozen=True)
class FontFile:
    path: str
    mono: bool
    serif: bool
    narrow: bool
    bold: bool
    italic: bool
    script: bool


@functools.lru_cache(maxsize=None)
def _covers_latin(path: str) -> bool:
    """True when the font draws every probe character with its own glyph, not the 'missing' box."""
    try:
        font = ImageFont.truetype(path, 24)
        missing = bytes(font.getmask('\uffff'))
        for ch in PROBE:
            mask = font.getmask(ch)
            if mask.size[0] == 0 or bytes(mask) == missing:
                return False
        return True
    except OSError:
        return False


def _classify(path: str) -> FontFile:
    name = os.path.basename(path)
    return FontFile(path=path, mono=bool(MONO.search(name)), serif=bool(SERIF.search(name)),
                    narrow=bool(NARROW.search(name)), bold=bool(BOLD.search(name)),
                    italic=bool(ITALIC.search(name)), script=bool(SCRIPT.search(name)))


@functools.lru_cache(maxsize=None)
def find_fonts(dirs: Sequence[str] = FONT_DIRS) -> List[FontFile]:
    """All text fonts with full Latin coverage under ``dirs``, sorted by path (deterministic)."""
    paths = set()
    for d in dirs:
        for ext in ('ttf', 'otf', 'TTF', 'OTF'):
            paths.update(glob.glob(os.path.join(d, '**', f'*.{ext}'), recursive=True))
    fonts, seen = [], set()
    for p in sorted(paths):
        name = os.path.basename(p)
        if name in seen or NON_TEXT.search(name) or not _covers_latin(p):
            continue  # the same file is often installed by several packages
        seen.add(name)
        fonts.append(_classify(p))
    if not fonts:
        raise RuntimeError(f'no usable Latin fonts found under {dirs}; install e.g. '
                           'fonts-dejavu-core fonts-liberation (see tools/setup.sh)')
    return fonts


class FontLibrary:
    """Fonts grouped by style, with a cached loader for (font, size) pairs."""

    def __init__(self, fonts: Optional[List[FontFile]] = None):
        self.fonts = list(fonts if fonts is not None else find_fonts())
        self.groups: Dict[str, List[FontFile]] = {
            'any': [f for f in self.fonts if not f.script],
            'body': [f for f in self.fonts if not (f.script or f.bold or f.italic or f.mono)],
            'bold': [f for f in self.fonts if f.bold and not f.script],
            'italic': [f for f in self.fonts if f.italic and not f.script],
            'mono': [f for f in self.fonts if f.mono],
            'narrow': [f for f in self.fonts if f.narrow or f.mono],
            'script': [f for f in self.fonts if f.script or (f.italic and f.serif)],
        }
        for name, group in self.groups.items():
            if not group:  # a sparse machine: fall back to whatever renders
                self.groups[name] = self.groups['any'] or self.fonts

    def pick(self, rng, group: str = 'any') -> FontFile:
        fonts = self.groups[group]
        return fonts[int(rng.integers(len(fonts)))]

    @staticmethod
    def load(font: FontFile, size: int) -> ImageFont.FreeTypeFont:
        return _load(font.path, max(4, int(size)))


@functools.lru_cache(maxsize=512)
def _load(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)
