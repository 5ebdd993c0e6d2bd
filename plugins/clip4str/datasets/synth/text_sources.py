"""Label text for synthetic word images: words, numbers, dates, prices, codes, URLs, ...

Every sample is a single "word" (no spaces) over the label charset, 1..25 characters by default.
All randomness comes from the numpy Generator passed to :meth:`TextSampler.sample`.
"""
import os
import string
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np

from .charset import DEFAULT_DICT, in_charset, load_charset

LEXICON_PATHS = ('/usr/share/dict/words', '/usr/share/dict/american-english')

# Used when no system lexicon is installed, and as a small boost for words seen on signs,
# shop fronts and documents (the lexicons are otherwise dominated by rare words).
COMMON_WORDS = """
the of and to in is for on that with by at from this be are as your or it all new more our
you not will can about an we has have one was home page search free information time only
here out up use see contact business service services click price date other what which do
news no there if day open closed sale exit entrance push pull stop street road avenue lane
hotel restaurant cafe coffee bar pizza food market shop store center centre bank police
parking taxi bus station airport city park hospital pharmacy school church house room office
hall floor toilet toilets ladies gentlemen men women fire emergency danger warning caution
no entry only way one left right north south east west main first second third welcome
thank thanks please help info tel phone fax email web www com net org total cash change
tax amount receipt invoice qty item items subtotal discount card visa paid balance due
order number account name address city state zip code country page report summary table
figure chapter section part volume edition published copyright reserved rights limited
company group international national university college institute department library
museum theatre theater cinema club hotel inn motel beer wine food fresh hot cold ice cream
burger chicken fish grill kitchen bakery bread deli market super mart express auto car
wash repair tire tires oil gas fuel diesel service center salon hair beauty nails spa
fitness gym dental clinic medical doctor law insurance real estate loans save big best
quality great good free gift gifts books music video games toys sports shoes fashion
jewelry furniture hardware garden flowers pets vet laundry cleaners tailor optical
""".split()


def _load_lexicon(paths: Sequence[str], charset: str, max_len: int) -> List[str]:
    for path in paths:
        if os.path.isfile(path):
            with open(path, encoding='utf-8', errors='ignore') as f:
                words = [w.strip() for w in f]
            # possessives are a third of wamerican; the punctuation source adds them instead
            words = [w for w in words if w and not w.endswith("'s") and
                     len(w) <= max_len and in_charset(w, charset)]
            if words:
                return sorted(set(words))
    return list(COMMON_WORDS)


def _load_frequent_words(charset: str, max_len: int, n: int, temper: float):
    """Common English words with sampling weights freq**temper (None when wordfreq is absent)."""
    try:
        import wordfreq
    except ImportError:
        return None, None
    words = [w for w in wordfreq.top_n_list('en', n)
             if len(w) <= max_len and in_charset(w, charset)]
    freqs = np.array([wordfreq.word_frequency(w, 'en') for w in words], dtype=np.float64)
    cdf = np.cumsum(np.maximum(freqs, 1e-12) ** temper)
    return words, cdf / cdf[-1]


def _digits(rng, n):
    return ''.join(rng.choice(list(string.digits), size=n))


def _pick(rng, seq):
    return seq[int(rng.integers(len(seq)))]


MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
TLDS = ['com', 'net', 'org', 'co.uk', 'de', 'io', 'edu', 'gov', 'info', 'biz', 'us', 'ca']


class TextSampler:
    """Weighted mix of text sources.

    Args:
        weights: source name -> relative weight; unknown names raise. Missing names keep
            their default weight; weight 0 disables a source.
        case_weights: weights of 'lower', 'upper', 'title', 'mixed' applied to word sources.
        lexicon_paths: word list files tried in order (first existing wins), else COMMON_WORDS.
        use_wordfreq: also sample common words by corpus frequency (needs `wordfreq`).
        dict_file: the label dictionary; samples only use its characters.
    """

    # roughly: words 70%, number-like 20%, other strings 10% (real crops are mostly words)
    DEFAULT_WEIGHTS = dict(
        frequent_word=0.38, lexicon_word=0.17, common_word=0.06, punct_word=0.07,
        compound=0.02, number=0.06, date=0.02, time=0.015, price=0.03, phone=0.015,
        code=0.04, url_email=0.02, random_alnum=0.04, random_chars=0.02)
    DEFAULT_CASE = dict(lower=0.33, upper=0.38, title=0.26, mixed=0.03)

    def __init__(self,
                 weights: Optional[Dict[str, float]] = None,
                 case_weights: Optional[Dict[str, float]] = None,
                 lexicon_paths: Sequence[str] = LEXICON_PATHS,
                 use_wordfreq: bool = True,
                 wordfreq_top_n: int = 60000,
                 wordfreq_temper: float = 0.5,
                 min_len: int = 1,
                 max_len: int = 25,
                 dict_file: str = str(DEFAULT_DICT)):
        if not 1 <= min_len <= max_len:
            raise ValueError(f'need 1 <= min_len <= max_len, got {min_len}, {max_len}')
        self.charset = load_charset(dict_file)
        self.min_len, self.max_len = min_len, max_len
        self.lexicon = _load_lexicon(lexicon_paths, self.charset, max_len)
        self.common = [w for w in COMMON_WORDS if in_charset(w, self.charset)]
        self.freq_words, self.freq_cdf = (
            _load_frequent_words(self.charset, max_len, wordfreq_top_n, wordfreq_temper)
            if use_wordfreq else (None, None))

        sources: Dict[str, Callable] = {name: getattr(self, '_' + name)
                                        for name in self.DEFAULT_WEIGHTS}
        merged = dict(self.DEFAULT_WEIGHTS)
        for name, w in (weights or {}).items():
            if name not in sources:
                raise ValueError(f'unknown text source {name!r}; known: {sorted(sources)}')
            merged[name] = float(w)
        if self.freq_words is None:
            merged['frequent_word'] = 0.0  # wordfreq missing: its share goes to the others
        self.names = [n for n, w in merged.items() if w > 0]
        if not self.names:
            raise ValueError('all text source weights are zero')
        self.funcs = [sources[n] for n in self.names]
        p = np.array([merged[n] for n in self.names], dtype=np.float64)
        self.cdf = np.cumsum(p / p.sum())

        self.settings = dict(weights={n: merged[n] for n in self.names}, min_len=min_len,
                             max_len=max_len, n_lexicon=len(self.lexicon),
                             n_frequent=len(self.freq_words or ()), temper=wordfreq_temper)
        case = dict(self.DEFAULT_CASE, **(case_weights or {}))
        self.case_names = list(case)
        c = np.array([case[n] for n in self.case_names], dtype=np.float64)
        self.case_cdf = np.cumsum(c / c.sum())
        self.settings['case'] = case

    # ---- public ------------------------------------------------------------------------------
    def sample(self, rng: np.random.Generator) -> str:
        """One label: charset-only, no spaces, min_len..max_len characters."""
        for _ in range(50):
            k = min(int(np.searchsorted(self.cdf, rng.random())), len(self.funcs) - 1)
            text = self.funcs[k](rng)
            text = ''.join(c for c in text if c in self.charset)
            if self.min_len <= len(text) <= self.max_len:
                return text
        # pathological configs (e.g. only long sources): fall back to random characters
        n = int(rng.integers(self.min_len, min(self.max_len, 10) + 1))
        return ''.join(rng.choice(list(self.charset), size=n))

    def case(self, rng, word: str) -> str:
        k = min(int(np.searchsorted(self.case_cdf, rng.random())), len(self.case_names) - 1)
        mode = self.case_names[k]
        if mode == 'upper':
            return word.upper()
        if mode == 'lower':
            return word.lower()
        if mode == 'title':
            return word[:1].upper() + word[1:].lower()
        flips = rng.random(len(word)) < 0.5
        return ''.join(c.upper() if f else c.lower() for c, f in zip(word, flips))

    def word(self, rng) -> str:
        """A raw (uncased) word from the frequency list, the lexicon or the common list."""
        r = rng.random()
        if self.freq_words is not None and r < 0.5:
            return self.freq_words[int(np.searchsorted(self.freq_cdf, rng.random()))]
        if r < 0.93:
            return _pick(rng, self.lexicon)
        return _pick(rng, self.common)

    # ---- sources -----------------------------------------------------------------------------
    def _frequent_word(self, rng):
        return self.case(rng, self.freq_words[int(np.searchsorted(self.freq_cdf, rng.random()))])

    def _lexicon_word(self, rng):
        word = _pick(rng, self.lexicon)
        # keep the lexicon's own capitalisation (proper nouns) some of the time
        return word if rng.random() < 0.25 else self.case(rng, word)

    def _common_word(self, rng):
        return self.case(rng, _pick(rng, self.common))

    def _punct_word(self, rng):
        w = self.case(rng, self.word(rng))
        kind = int(rng.integers(12))
        if kind == 0:
            return w + _pick(rng, list('.,:;!?'))
        if kind == 1:
            q = _pick(rng, ['""', "''", '()', '[]', '{}', '<>', '**', '--', '``'])
            return q[0] + w + q[1]
        if kind == 2:
            return w + "'s"
        if kind == 3:
            return w + _pick(rng, ['-', '/', '&', '+', '_', '.']) + self.case(rng, self.word(rng))
        if kind == 4:
            return _pick(rng, list('#@*&$~^|\\/-.')) + w
        if kind == 5:
            return w + _pick(rng, ['...', '!!', '?!', ').', '),', '".', '",', '--', ':-', '.,'])
        if kind == 6:  # contractions
            return w + _pick(rng, ["n't", "'ll", "'re", "'ve", "'d", "'m", "s'"])
        if kind == 7:
            if rng.random() < 0.5:
                return w + _pick(rng, list('0123456789'))
            return w + '-' + _digits(rng, int(rng.integers(1, 4)))
        if kind == 8:
            return '"' + w + _pick(rng, ['."', ',"', '!"', '?"', '"'])
        if kind == 9:
            return _pick(rng, ['(', '[', '"', "'"]) + w
        if kind == 10:
            return w + _pick(rng, [')', ']', '"', "'", '%', '>', '}'])
        return w + _pick(rng, list(string.punctuation))

    def _compound(self, rng):
        a, b = self.word(rng), self.word(rng)
        if rng.random() < 0.5:
            return a.capitalize() + b.capitalize()
        return self.case(rng, a + b)

    def _number(self, rng):
        kind = int(rng.integers(10))
        n_digits = int(min(rng.geometric(0.35), 9))
        n = _digits(rng, n_digits)
        if n_digits > 1 and rng.random() < 0.8:
            n = str(int(rng.integers(1, 9))) + n[1:]  # mostly no leading zero
        if kind == 0 and len(n) > 3:  # thousands separators
            head = len(n) % 3 or 3
            sep = ',' if rng.random() < 0.8 else '.'
            n = n[:head] + ''.join(sep + n[i:i + 3] for i in range(head, len(n), 3))
        elif kind == 1:
            n = n + '.' + _digits(rng, int(rng.integers(1, 4)))
        elif kind == 2:
            n = n + '%'
        elif kind == 3:
            last = int(n[-1])
            suf = {1: 'st', 2: 'nd', 3: 'rd'}.get(last, 'th') if n[-2:-1] != '1' else 'th'
            n = n + (suf if rng.random() < 0.7 else suf.upper())
        elif kind == 4:
            n = _pick(rng, ['#', 'No.', 'no.', 'NO.', 'x', 'X', '-', '+', '~', 'N']) + n
        elif kind == 5:
            n = _digits(rng, 1) + '/' + _digits(rng, int(rng.integers(1, 3)))
        elif kind == 6:
            n = n + _pick(rng, ['kg', 'g', 'km', 'm', 'cm', 'mm', 'ml', 'L', 'lb', 'lbs', 'oz',
                                'ft', 'mph', 'kW', 'V', 'W', 'MB', 'GB', 'min', 'h', 'pcs', 'x'])
        return n

    def _date(self, rng):
        d, m = int(rng.integers(1, 32)), int(rng.integers(1, 13))
        y = int(rng.integers(1950, 2036))
        yy = f'{y % 100:02d}' if rng.random() < 0.35 else str(y)
        sep = _pick(rng, ['/', '-', '.'])
        kind = int(rng.integers(7))
        if kind == 0:
            return f'{d:02d}{sep}{m:02d}{sep}{yy}'
        if kind == 1:
            return f'{m}{sep}{d}{sep}{yy}'
        if kind == 2:
            return f'{y}{sep}{m:02d}{sep}{d:02d}'
        mon = self.case(rng, MONTHS[m - 1])
        if kind == 3:
            return f'{d}{mon}{yy}'
        if kind == 4:
            return f'{mon}{sep}{d:02d}'
        if kind == 5:
            return f'{mon}.{d},' if rng.random() < 0.5 else f'{mon}{d},{y}'
        return str(y)

    def _time(self, rng):
        h, mi, s = int(rng.integers(0, 24)), int(rng.integers(0, 60)), int(rng.integers(0, 60))
        kind = int(rng.integers(5))
        if kind == 0:
            return f'{h:02d}:{mi:02d}'
        if kind == 1:
            return f'{h:02d}:{mi:02d}:{s:02d}'
        ampm = _pick(rng, ['am', 'pm', 'AM', 'PM', 'a.m.', 'p.m.'])
        h12 = h % 12 or 12
        if kind == 2:
            return f'{h12}:{mi:02d}{ampm}'
        if kind == 3:
            return f'{h12}{ampm}'
        return f'{h12}-{(h12 + int(rng.integers(1, 10))) % 12 or 12}'

    def _price(self, rng):
        # receipts: amounts under 1 ("0.50"), thousands with decimals, currency glued to a
        # decimal amount ("RM12.00"), discounts: the shipped recognizer drops their dots
        whole = '0' if rng.random() < 0.15 else str(int(10 ** rng.uniform(0, 4.5)))
        cents = _digits(rng, 2) if rng.random() < 0.7 else _pick(rng, ['00', '50', '90', '95'])
        kind = int(rng.integers(10))
        if kind == 7:
            return _pick(rng, ['RM', '$', 'S$', 'USD', 'EUR', 'Rs.', '']) + f'{whole}.{cents}'
        if kind == 8:
            return f'{int(whole):,}.{cents}'
        if kind == 9:
            return _pick(rng, ['-', '(', '-$']) + f'{whole}.{cents}' + \
                _pick(rng, ['', '', ')', 'SR', 'ZR'])
        if kind == 0:
            return f'${whole}.{cents}'
        if kind == 1:
            return f'${whole}'
        if kind == 2:
            return f'{whole}.{cents}'
        if kind == 3:
            return f'{whole},{cents}'
        if kind == 4:
            return f'{whole}.{cents}' + _pick(rng, ['$', 'USD', 'EUR', 'GBP', 'RM', 'Rs'])
        if kind == 5:
            return _pick(rng, ['-', '+', '']) + f'{int(rng.integers(5, 95))}%' + \
                _pick(rng, ['', 'OFF', 'off', '!'])
        return _pick(rng, ['USD', 'US$', 'Rs.', 'RM', 'EUR', '$$']) + whole

    def _phone(self, rng):
        a, b, c = _digits(rng, 3), _digits(rng, 3), _digits(rng, 4)
        kind = int(rng.integers(6))
        if kind == 0:
            return f'{a}-{b}-{c}'
        if kind == 1:
            return f'({a}){b}-{c}'
        if kind == 2:
            return f'+{int(rng.integers(1, 99))}-{a}-{b}{c}'
        if kind == 3:
            return f'{a}.{b}.{c}'
        if kind == 4:
            return f'{b}-{c}'
        return _pick(rng, ['0', '1-800-', '0800', 'Tel:', 'TEL:', 'Fax:']) + a + b + c

    def _code(self, rng):
        up = string.ascii_uppercase
        letters = lambda n: ''.join(rng.choice(list(up), size=n))  # noqa: E731
        kind = int(rng.integers(9))
        if kind == 0:
            return letters(int(rng.integers(1, 4))) + '-' + _digits(rng, int(rng.integers(2, 6)))
        if kind == 1:
            return letters(int(rng.integers(1, 4))) + _digits(rng, int(rng.integers(1, 5)))
        if kind == 2:  # mixed alnum serials
            n = int(rng.integers(4, 11))
            return ''.join(rng.choice(list(up + string.digits), size=n))
        if kind == 3:
            return _digits(rng, int(rng.integers(1, 4))) + letters(int(rng.integers(1, 3)))
        if kind == 4:
            return _pick(rng, ['SN:', 'ID:', 'No:', 'REF', 'INV', 'PO#', 'Lot', 'Art.', 'Ref:']) + \
                _digits(rng, int(rng.integers(3, 8)))
        if kind == 5:
            n = int(rng.integers(2, 9))
            return '0x' + ''.join(rng.choice(list('0123456789ABCDEF'), size=n))
        if kind == 6:  # postcodes
            return letters(2) + _digits(rng, 2) + letters(2)
        if kind == 7:
            if rng.random() < 0.6:
                return _digits(rng, 5)
            return _digits(rng, 5) + '-' + _digits(rng, 4)
        head = letters(1) + _digits(rng, int(rng.integers(1, 4)))
        return head + _pick(rng, ['', 'a', 'b', 'A', 'B'])

    def _url_email(self, rng):
        w = self.word(rng).lower()
        kind = int(rng.integers(7))
        tld = _pick(rng, TLDS)
        if kind == 0:
            s = f'www.{w}.{tld}'
        elif kind == 1:
            s = f'{w}.{tld}'
        elif kind == 2:
            s = f'{self.word(rng).lower()}@{w}.{tld}'
        elif kind == 3:
            s = _pick(rng, ['http://', 'https://', 'http://www.']) + w
        elif kind == 4:
            s = f'@{w}' + (_digits(rng, int(rng.integers(1, 4))) if rng.random() < 0.3 else '')
        elif kind == 5:
            s = '/' + w + ('/' + self.word(rng).lower() if rng.random() < 0.5 else '')
        else:
            s = f'#{w}'
        return s.upper() if rng.random() < 0.15 else s

    def _random_alnum(self, rng):
        n = int(rng.integers(1, 11))
        pool = _pick(rng, [string.ascii_uppercase + string.digits,
                           string.ascii_lowercase + string.digits,
                           string.ascii_letters + string.digits,
                           string.ascii_uppercase, string.ascii_lowercase])
        return ''.join(rng.choice(list(pool), size=n))

    def _random_chars(self, rng):
        n = int(rng.integers(1, 13))
        return ''.join(rng.choice(list(self.charset), size=n))
