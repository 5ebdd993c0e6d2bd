#!/usr/bin/env python
"""Thin wrapper: see plugins/clip4str/cli/train.py."""
from clip4str.cli.train import main

if __name__ == '__main__':
    main()
