"""`tools/make_lexicon.py`: the bundled English word list (``dicts/english_words.txt.gz``) from
SCOWL's list as Debian ships it (package ``wamerican``, ``/usr/share/dict/american-english``).

Only words written all in lower case are kept: proper nouns ("Ing", "Thai") would let the lexicon
tier of the space split cut names apart. The SCOWL copyright notice travels with the list
(``dicts/english_words.LICENSE.txt``).
"""
import argparse
import gzip
import re
from pathlib import Path

DICTS = Path(__file__).resolve().parents[1] / 'dicts'
WORD = re.compile(r'[a-z]+')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Write the bundled English word list')
    parser.add_argument('--source', default='/usr/share/dict/american-english',
                        help='SCOWL word list, one word a line')
    parser.add_argument('--out', default=str(DICTS / 'english_words.txt.gz'))
    return parser.parse_args(argv)


def lower_case_words(lines) -> list:
    """The distinct all-lower-case words of ``lines``, sorted."""
    return sorted({w for w in (line.strip() for line in lines) if WORD.fullmatch(w)})


def main(argv=None):
    args = parse_args(argv)
    source = Path(args.source)
    if not source.is_file():
        raise SystemExit(f'{source}: no such word list (Debian: apt install wamerican)')
    words = lower_case_words(source.read_text(encoding='utf-8', errors='replace').splitlines())
    # mtime=0: the same list gives the same bytes, so git sees no change on a rerun
    with open(args.out, 'wb') as raw, gzip.GzipFile(fileobj=raw, mode='wb', mtime=0) as f:
        f.write(('\n'.join(words) + '\n').encode('utf-8'))
    print(f'{len(words)} words -> {args.out}')


if __name__ == '__main__':
    main()
