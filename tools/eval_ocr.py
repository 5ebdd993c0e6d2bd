#!/usr/bin/env python
"""Thin wrapper: see plugins/clip4str/cli/eval_ocr.py."""
from clip4str.cli.eval_ocr import main

if __name__ == '__main__':
    main()
