#!/usr/bin/env python
"""Thin wrapper: see plugins/clip4str/cli/benchmark.py."""
from clip4str.cli.benchmark import main

if __name__ == '__main__':
    main()
