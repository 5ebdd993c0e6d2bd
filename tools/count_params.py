#!/usr/bin/env python
"""Thin wrapper: see plugins/clip4str/cli/count_params.py."""
from clip4str.cli.count_params import main

if __name__ == '__main__':
    main()
