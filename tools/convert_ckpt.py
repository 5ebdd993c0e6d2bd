#!/usr/bin/env python
"""Thin wrapper: see plugins/clip4str/cli/convert_ckpt.py."""
from clip4str.cli.convert_ckpt import main

if __name__ == '__main__':
    main()
