#!/usr/bin/env python
"""Thin wrapper: see plugins/clip4str/cli/make_synth.py."""
import sys

from clip4str.cli.make_synth import main

if __name__ == '__main__':
    sys.exit(main())
