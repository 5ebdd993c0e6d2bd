"""Stand-in for the two `wordfreq` calls the synthetic text sampler makes
(clip4str.datasets.synth.text_sources), served from a table exported where wordfreq is installed
(tools/device/pack.py writes .device/wordfreq_en.tsv: word<TAB>frequency, most frequent first).
Its 57 MB wheel would not fit in what travels to the device. Without the table this module
raises ImportError, as an absent wordfreq would, and the sampler does without frequencies."""
import os

_TSV = os.environ.get('CLIP4STR_WORDFREQ_TSV', '')
if not os.path.isfile(_TSV):
    raise ImportError(f'wordfreq stand-in: no table at CLIP4STR_WORDFREQ_TSV={_TSV!r}')

_WORDS, _FREQ = [], {}
with open(_TSV, encoding='utf-8') as _f:
    for _line in _f:
        _w, _, _p = _line.rstrip('\n').partition('\t')
        if _w:
            _WORDS.append(_w)
            _FREQ[_w] = float(_p)


def top_n_list(lang: str, n: int, *args, **kwargs):
    if lang != 'en':
        raise ValueError(f'wordfreq stand-in holds English only, not {lang!r}')
    return _WORDS[:n]


def word_frequency(word: str, lang: str, *args, **kwargs) -> float:
    return _FREQ.get(word, 0.0)
