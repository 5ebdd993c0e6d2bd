"""libjpeg's warnings about a JPEG file, which PIL decodes past silently.

A JPEG with corrupt entropy-coded data or an early end still decodes, with made-up grey or
smeared blocks where the data is missing. libjpeg warns ("Corrupt JPEG data: ..."), but PIL
drops its warnings; OpenCV's decoder prints them to the process's stderr, which we capture.
"""
import os
import sys
import tempfile
from typing import List

import cv2
import numpy as np


def libjpeg_warnings(path: str) -> List[str]:
    """The warnings libjpeg prints while decoding ``path`` (reduced size: same checks, faster)."""
    data = np.fromfile(path, np.uint8)
    with tempfile.TemporaryFile() as captured:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(captured.fileno(), 2)
        try:
            cv2.imdecode(data, cv2.IMREAD_REDUCED_GRAYSCALE_8)
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        captured.seek(0)
        text = captured.read().decode('utf-8', 'replace')
    return [line.strip() for line in text.splitlines() if 'JPEG' in line or 'jpeg' in line]
