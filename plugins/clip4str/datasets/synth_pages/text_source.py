"""Random page text: English words, numbers, dates, prices, codes and punctuation.

Every call takes its randomness from the ``numpy.random.Generator`` given at construction, so a page
drawn from the same generator state always gets the same text.
"""
import functools
import os
import re
import string
from typing import List

import numpy as np

DICT_PATHS = ('/usr/share/dict/words', '/usr/share/dict/american-english')
# Used only when no system word list exists (e.g. a minimal container).
FALLBACK_WORDS = ('the of and to in is for on with as by at from that this be are was it an or '
                  'total amount date invoice number customer account payment order item price '
                  'quantity address phone street city state report page section table figure '
                  'summary result value name description service product office company tax '
                  'balance credit cash change receipt thank you welcome store market daily').split()
MONTHS = ('January February March April May June July August September October November '
          'December').split()
CURRENCIES = ('$', 'RM', 'EUR', 'USD', '£', '€')
WORD_RE = re.compile(r"^[A-Za-z]+$")


@functools.lru_cache(maxsize=None)
def load_words() -> tuple:
    """ASCII words of 1..18 letters from the system dictionary (Debian `wamerican`)."""
    for path in DICT_PATHS:
        if os.path.isfile(path):
            with open(path, encoding='utf-8', errors='ignore') as f:
                words = sorted({w.strip() for w in f
                                if WORD_RE.match(w.strip()) and len(w.strip()) <= 18})
            if len(words) > 1000:
                return tuple(words)
    return tuple(FALLBACK_WORDS)


@functools.lru_cache(maxsize=None)
def common_words() -> tuple:
    words = load_words()
    return tuple([w for w in words if len(w) <= 4][:3000]) or words


class TextSource:
    """Draws tokens (strings without spaces) and short phrases of realistic document text."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.words = load_words()
        # Short words are frequent in real text; a small common subset keeps lines natural.
        self.common = common_words()

    # ---------------------------------------------------------------- tokens
    def word(self) -> str:
        pool = self.common if self.rng.random() < 0.35 else self.words
        w = pool[int(self.rng.integers(len(pool)))]
        r = self.rng.random()
        if r < 0.08:
            w = w.upper()
        elif r < 0.25:
            w = w.capitalize()
        elif r < 0.6:
            w = w.lower()
        return w

    def number(self) -> str:
        r = self.rng.random()
        if r < 0.4:
            return str(int(self.rng.integers(0, 100)))
        if r < 0.7:
            return str(int(self.rng.integers(100, 100000)))
        if r < 0.85:
            return f'{int(self.rng.integers(1000, 10000000)):,}'
        return f'{self.rng.random() * 100:.{int(self.rng.integers(1, 4))}f}'

    def price(self, currency: bool = None) -> str:
        v = float(np.exp(self.rng.uniform(np.log(0.5), np.log(5000))))
        s = f'{v:,.2f}' if v >= 1000 and self.rng.random() < 0.5 else f'{v:.2f}'
        if currency is None:
            currency = self.rng.random() < 0.4
        if currency:
            c = CURRENCIES[int(self.rng.integers(len(CURRENCIES)))]
            s = c + s
        return s

    def date(self) -> str:
        d, m, y = int(self.rng.integers(1, 29)), int(self.rng.integers(1, 13)), \
            int(self.rng.integers(1985, 2030))
        fmt = int(self.rng.integers(6))
        if fmt == 0:
            return f'{d:02d}/{m:02d}/{y}'
        if fmt == 1:
            return f'{y}-{m:02d}-{d:02d}'
        if fmt == 2:
            return f'{d:02d}.{m:02d}.{y % 100:02d}'
        if fmt == 3:
            return f'{m}/{d}/{y % 100:02d}'
        if fmt == 4:
            return f'{d:02d}-{MONTHS[m - 1][:3]}-{y}'
        return f'{d}/{m}/{y}'

    def time(self) -> str:
        h, m = int(self.rng.integers(0, 24)), int(self.rng.integers(0, 60))
        if self.rng.random() < 0.3:
            return f'{h:02d}:{m:02d}:{int(self.rng.integers(0, 60)):02d}'
        return f'{h:02d}:{m:02d}'

    def code(self) -> str:
        """Invoice numbers, phone numbers, product codes, emails, URLs."""
        r = self.rng.random()
        digits, upper = string.digits, string.ascii_uppercase
        if r < 0.25:
            n = int(self.rng.integers(4, 12))
            return ''.join(self.rng.choice(list(upper + digits), n))
        if r < 0.45:
            return (f'{self.rng.integers(10, 100)}-{self.rng.integers(1000, 10000)}'
                    f'{self.rng.integers(1000, 10000)}')
        if r < 0.6:
            return f'{self.word().lower()[:10]}@{self.word().lower()[:8]}.com'
        if r < 0.7:
            return f'www.{self.word().lower()[:12]}.com'
        if r < 0.85:
            prefix = ''.join(self.rng.choice(list(upper), int(self.rng.integers(1, 4))))
            return f'{prefix}{self.rng.integers(10, 99999)}'
        return f'#{self.rng.integers(1, 99999)}'

    def token(self) -> str:
        """A word of running text; sometimes a number, date or code; sometimes punctuated."""
        r = self.rng.random()
        if r < 0.82:
            t = self.word()
        elif r < 0.9:
            t = self.number()
        elif r < 0.93:
            t = self.date()
        elif r < 0.96:
            t = self.price()
        else:
            t = self.code()
        p = self.rng.random()
        if p < 0.08:
            t += ','
        elif p < 0.12:
            t += '.'
        elif p < 0.13:
            t = '(' + t + ')'
        elif p < 0.14:
            t = '"' + t + '"'
        elif p < 0.15:
            t += ':'
        elif p < 0.16:
            t += ';'
        return t

    def tokens(self, n: int) -> List[str]:
        return [self.token() for _ in range(n)]

    def title(self, lo: int = 1, hi: int = 6) -> List[str]:
        n = int(self.rng.integers(lo, hi + 1))
        words = [self.word() for _ in range(n)]
        if self.rng.random() < 0.5:
            return [w.capitalize() for w in words]
        if self.rng.random() < 0.5:
            return [w.upper() for w in words]
        return words

    def label(self) -> str:
        """A form/receipt field label such as 'Date:' or 'Invoice No.'."""
        base = self.title(1, 2)
        s = ' '.join(base)
        end = self.rng.random()
        return s + (':' if end < 0.6 else (' No.' if end < 0.7 else ''))

    def value(self) -> str:
        r = self.rng.random()
        if r < 0.3:
            return ' '.join(self.title(1, 3))
        if r < 0.45:
            return self.date()
        if r < 0.6:
            return self.price()
        if r < 0.8:
            return self.code()
        return self.number()
