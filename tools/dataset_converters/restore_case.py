"""Give upper-cased word labels back the case printed on the crop.

SROIE 2019's transcriptions are upper case (2 of 69,195 training words have a lower-case letter)
while its receipts print "Total", "qty" and "Thank you". Fine-tuned on those labels, the
recognizer learns to answer in capitals everywhere (the bundled invoice went from 9 to 76 word
errors). This script reads each crop with a reference recognizer (default: the shipped one) and
takes the case *pattern* of its reading (UPPER, lower or Title) when the reading has letters
enough to tell; the characters themselves stay the label's. Labels that already hold a lower-case
letter, and words whose reading is mixed or unsure, keep their label unchanged.

    python tools/dataset_converters/restore_case.py /data/sroie_crops/textrecog_train.txt \
        /data/sroie_crops/textrecog_train_cased.txt

Input and output are MMOCR textrecog txt lines: ``<image path relative to the file> <text>``.
"""
import argparse
import os
import sys
from collections import Counter
from typing import Optional

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
sys.path.insert(0, os.path.join(ROOT, 'plugins'))


def case_pattern(reading: str, min_letters: int = 2) -> Optional[str]:
    """'upper', 'lower' or 'title' for a reading, or None when it cannot tell.

    Letters such as "o", "s", "x" look alike in both cases; they still vote, since the
    recognizer sees their height against the crop's."""
    letters = [c for c in reading if c.isalpha()]
    if len(letters) < min_letters:
        return None
    if all(c.isupper() for c in letters):
        return 'upper'
    if all(c.islower() for c in letters):
        return 'lower'
    if letters[0].isupper() and all(c.islower() for c in letters[1:]):
        return 'title'
    return None


def apply_pattern(label: str, pattern: Optional[str]) -> str:
    if pattern == 'lower':
        return label.lower()
    if pattern == 'title':
        # Only the first letter stays upper: "TOTAL:" -> "Total:", "(RM)" -> "(Rm)".
        out, seen = [], False
        for c in label:
            if c.isalpha():
                out.append(c.upper() if not seen else c.lower())
                seen = True
            else:
                out.append(c)
        return ''.join(out)
    return label


def restore(label: str, reading: str) -> str:
    if any(c.islower() for c in label):
        return label
    return apply_pattern(label, case_pattern(reading))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('src', help='textrecog txt with upper-case labels')
    ap.add_argument('dst', help='textrecog txt to write, same image paths')
    ap.add_argument('--config', default=os.path.join(
        ROOT, 'configs/textrecog/clip4str/clip4str_small_conv-ctc.py'))
    ap.add_argument('--weights', default=os.path.join(ROOT, 'weights/clip4str_small.pth'))
    ap.add_argument('--backend', default='onnx', choices=('onnx', 'torch'))
    ap.add_argument('--batch', type=int, default=64)
    args = ap.parse_args(argv)

    import cv2
    from tqdm import tqdm

    from clip4str.ocr.models import TextRecognizer
    rec = TextRecognizer(args.config, args.weights, batch_size=args.batch, backend=args.backend)
    base = os.path.dirname(os.path.abspath(args.src))
    rows = []
    with open(args.src, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if line:
                path, _, text = line.partition(' ')
                rows.append((path, text))

    out, changes = [], Counter()
    chunk = 2048
    for start in tqdm(range(0, len(rows), chunk), desc='reading crops'):
        part = rows[start:start + chunk]
        crops = []
        for path, _ in part:
            img = cv2.imread(os.path.join(base, path))
            if img is None:
                raise SystemExit(f'{os.path.join(base, path)}: cannot read image')
            crops.append(img)
        readings = [t for t, _ in rec(crops)]
        for (path, text), reading in zip(part, readings):
            new = restore(text, reading)
            changes[case_pattern(reading) if new != text else 'kept'] += 1
            out.append(f'{path} {new}')
    with open(args.dst, 'w', encoding='utf-8') as f:
        f.write('\n'.join(out) + '\n')
    print(f'{args.dst}: {len(out)} labels; ' +
          ', '.join(f'{k} {v}' for k, v in sorted(changes.items())))
    return 0


if __name__ == '__main__':
    sys.exit(main())
