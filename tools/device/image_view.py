#!/usr/bin/env python
"""For the CPU rehearsal: a folder of links to the packages of this interpreter's environment
that the device image also has (image_packages.txt), so a fresh venv that adds it to its path
sees what the device would see, and the carried wheels must supply everything else.

    python tools/device/image_view.py /tmp/view     # run with the venv whose packages to show
"""
import importlib.metadata as md
import os
import os.path as osp
import re
import sys

HERE = osp.dirname(osp.abspath(__file__))


def norm(name: str) -> str:
    return re.sub(r'[-_.]+', '-', name).lower()


def image_names() -> set:
    with open(osp.join(HERE, 'image_packages.txt'), encoding='utf-8') as f:
        return {norm(ln.strip()) for ln in f if ln.strip() and not ln.startswith('#')}


def top_level_paths(dist) -> set:
    """Top-level entries (package dirs, modules, .dist-info, .libs) a distribution installed."""
    tops = set()
    for f in dist.files or ():
        first = f.parts[0]
        if first in ('..', '__pycache__') or first.endswith('.pth'):
            continue
        tops.add(first)
    return tops


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        raise SystemExit('usage: image_view.py DEST')
    dest = argv[0]
    os.makedirs(dest, exist_ok=True)
    wanted = image_names()
    wanted |= {'opencv-python'} if 'opencv-python-headless' in wanted else set()  # same cv2
    linked = 0
    for dist in md.distributions():
        if norm(dist.metadata['Name'] or '') not in wanted:
            continue
        base = str(dist.locate_file(''))
        for top in top_level_paths(dist):
            src, link = osp.join(base, top), osp.join(dest, top)
            if osp.exists(src) and not osp.lexists(link):
                os.symlink(src, link)
        linked += 1
    print(f'{dest}: {linked} distributions of the device image linked')
    return 0


if __name__ == '__main__':
    sys.exit(main())
