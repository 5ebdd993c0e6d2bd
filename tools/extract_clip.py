#!/usr/bin/env python
"""Thin wrapper: see plugins/clip4str/cli/extract_clip.py."""
from clip4str.cli.extract_clip import main

if __name__ == '__main__':
    main()
