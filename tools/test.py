#!/usr/bin/env python
"""Thin wrapper: see plugins/clip4str/cli/test.py."""
from clip4str.cli.test import main

if __name__ == '__main__':
    main()
