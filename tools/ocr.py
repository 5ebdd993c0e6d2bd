#!/usr/bin/env python
"""Thin wrapper: see plugins/clip4str/cli/ocr.py (also installed as `clip4str-ocr`)."""
import sys

from clip4str.cli.ocr import main

if __name__ == '__main__':
    sys.exit(main())
