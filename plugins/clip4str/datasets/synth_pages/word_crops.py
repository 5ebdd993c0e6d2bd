"""Real word crops (e.g. IIIT5K or SVT *train* crops) to paste into synthetic scenes, so scene
pages also show real photographed letters. Label files have lines ``<relative path> <text>``."""
import functools
import os.path as osp
import sys
from typing import List, Sequence, Tuple

import cv2
import numpy as np


class WordCrops:
    def __init__(self, label_files: Sequence[str]):
        self.items: List[Tuple[str, str]] = []
        for label_file in label_files:
            if not osp.isfile(label_file):
                raise FileNotFoundError(f'word-crop label file not found: {label_file}')
            root = osp.dirname(osp.abspath(label_file))
            with open(label_file, encoding='utf-8-sig', errors='replace') as f:
                for n, line in enumerate(f, 1):
                    parts = line.strip().split(maxsplit=1)
                    if len(parts) != 2:
                        if line.strip():
                            print(f'warning: {label_file}:{n}: expected "<path> <text>"',
                                  file=sys.stderr)
                        continue
                    path = osp.join(root, parts[0])
                    if osp.isfile(path):
                        self.items.append((path, parts[1]))
        if not self.items:
            raise ValueError(f'no readable word crops listed in {list(label_files)}')

    def __len__(self) -> int:
        return len(self.items)

    def sample(self, rng: np.random.Generator) -> Tuple[np.ndarray, str]:
        """An RGB crop and its text (crops that fail to decode are skipped)."""
        for _ in range(10):
            path, text = self.items[int(rng.integers(len(self.items)))]
            img = _read(path)
            if img is not None and min(img.shape[:2]) >= 8:
                return img, text
        raise ValueError('could not read any word crop in 10 tries')


@functools.lru_cache(maxsize=4096)
def _read(path: str):
    img = cv2.imread(path, cv2.IMREAD_COLOR)
    return None if img is None else cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
