"""Parsers for one line of a recognition label file (MMOCR ``TASK_UTILS``, like ``LineStrParser``).

Each returns ``{'filename': ..., 'text': ...}`` and raises ValueError on a malformed line; the
dataset adds the file name and line number to the message.
"""
import csv

from mmocr.registry import TASK_UTILS


@TASK_UTILS.register_module()
class SpaceSeparatedLabelParser:
    """``<image path> <label>`` lines (IIIT5K ``*.tags``, SVT, IC13 ``label_*.txt``).

    The path ends at the first whitespace; the label is the rest of the line with surrounding
    whitespace stripped, so labels may contain inner spaces.
    """

    keys = ('filename', 'text')

    def __call__(self, line: str) -> dict:
        parts = line.strip().split(maxsplit=1)
        if len(parts) != 2:
            raise ValueError('expected "<image path> <label>"')
        return dict(filename=parts[0], text=parts[1].strip())


@TASK_UTILS.register_module()
class QuotedLabelParser:
    """ICDAR-style ``<image path>, "<label>"`` lines (IC15 word ``gt.txt``).

    Read as one CSV record: the label may contain commas and quotes, escaped as ``\\"`` (as in the
    ICDAR files) or doubled (``""``). An unquoted label without commas is accepted too.
    """

    keys = ('filename', 'text')

    def __call__(self, line: str) -> dict:
        try:
            fields = next(csv.reader([line], skipinitialspace=True, escapechar='\\',
                                     strict=True))
        except (csv.Error, StopIteration) as e:
            raise ValueError(f'bad quoting: {e}') from e
        if len(fields) != 2 or not fields[0].strip():
            raise ValueError(f'expected \'<image path>, "<label>"\', got {len(fields)} fields')
        return dict(filename=fields[0].strip(), text=fields[1])
