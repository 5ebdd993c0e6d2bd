#!/usr/bin/env python
"""Thin wrapper: see plugins/clip4str/cli/make_lexicon.py."""
from clip4str.cli.make_lexicon import main

if __name__ == '__main__':
    main()
