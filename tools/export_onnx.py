#!/usr/bin/env python
"""Thin wrapper: see plugins/clip4str/cli/export_onnx.py."""
import sys

from clip4str.cli.export_onnx import main

if __name__ == '__main__':
    sys.exit(main())
