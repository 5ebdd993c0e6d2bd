#!/usr/bin/env python
"""Word errors of the bundled invoice's OCR text against the text it was typeset from.

    clip4str-ocr samples/sample_document.pdf --out out/
    python tools/sample_word_errors.py out/sample_document_pdf/text.txt

Words are compared exactly (case and punctuation count). ``bag``: errors ignoring the order
(max of missing and extra words); ``ordered``: word-level edit distance in reading order.
"""
import argparse
import os
import sys
from collections import Counter

from rapidfuzz.distance import Levenshtein

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_samples import document_text  # noqa: E402


def word_errors(text: str, reference: str) -> dict:
    out, ref = text.split(), reference.split()
    missing, extra = Counter(ref) - Counter(out), Counter(out) - Counter(ref)
    return dict(bag=max(sum(missing.values()), sum(extra.values())),
                ordered=Levenshtein.distance(out, ref),
                missing=sorted(missing.elements()), extra=sorted(extra.elements()))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('text', help="text.txt written by clip4str-ocr for sample_document.pdf")
    args = parser.parse_args(argv)
    try:
        with open(args.text, encoding='utf-8') as f:
            text = f.read()
    except OSError as e:
        raise SystemExit(f'error: {args.text}: {e.strerror}')
    r = word_errors(text, document_text())
    print(f"word errors: {r['bag']} (bag of words), {r['ordered']} (in reading order)\n"
          f"  missing: {' '.join(r['missing'])}\n  extra:   {' '.join(r['extra'])}")


if __name__ == '__main__':
    main()
