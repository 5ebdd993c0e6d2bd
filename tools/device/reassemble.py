#!/usr/bin/env python
"""Join the snapshot parts a device run returned into one checkpoint.

    python tools/device/reassemble.py FILES_AT recog work_dirs/device/recog/device.pth

Takes the newest slot (A/B) whose parts all match their sha256; prints its meta as JSON.
"""
import argparse
import json
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from devkit.parts import reassemble  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description='Reassemble a split device snapshot')
    p.add_argument('files', help='folder holding NAME-A.json, NAME-A.part0, ...')
    p.add_argument('name', help='snapshot name (the run: recog)')
    p.add_argument('dest', help='checkpoint to write')
    args = p.parse_args(argv)
    try:
        meta = reassemble(args.files, args.name, args.dest)
    except FileNotFoundError as e:
        raise SystemExit(f'error: {e}')
    print(json.dumps(dict(meta, checkpoint=args.dest)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
