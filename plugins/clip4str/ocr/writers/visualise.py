"""Visualisation: the page with the word polygons beside a white panel with the texts in place."""
import cv2
import numpy as np

from ..result import PageResult
from .atomic import write_bytes

MAX_SIDE = 2000  # keeps the pictures small; they are for looking at


def render_page(image: np.ndarray, page: PageResult) -> np.ndarray:
    h, w = image.shape[:2]
    scale = min(1.0, MAX_SIDE / max(h, 2 * w))
    left = cv2.resize(image, (max(1, int(w * scale)), max(1, int(h * scale))),
                      interpolation=cv2.INTER_AREA) if scale < 1 else image.copy()
    right = np.full_like(left, 255)
    for word in page.words:
        pts = np.round(word.polygon * scale).astype(np.int32).reshape(-1, 1, 2)
        cv2.polylines(left, [pts], True, (0, 180, 0), max(1, int(2 * scale + 0.5)))
        cv2.polylines(right, [pts], True, (200, 200, 200), 1)
        if not word.text:
            continue
        x0, y0 = pts[:, 0].min(0)
        x1, y1 = pts[:, 0].max(0)
        box_h, box_w = max(y1 - y0, 6), max(x1 - x0, 6)
        text = word.text.encode('ascii', 'replace').decode()  # Hershey fonts are ASCII
        (tw, th), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, 1.0, 1)
        fs = max(0.2, min(0.8 * box_h / max(th, 1), box_w / max(tw, 1)))
        cv2.putText(right, text, (int(x0), int(y0 + box_h / 2 + th * fs / 2)),
                    cv2.FONT_HERSHEY_SIMPLEX, fs, (0, 0, 160), 1, cv2.LINE_AA)
    return np.concatenate([left, right], axis=1)


def write_visualisation(path: str, image: np.ndarray, page: PageResult) -> None:
    ok, buf = cv2.imencode('.jpg', render_page(image, page), [cv2.IMWRITE_JPEG_QUALITY, 85])
    if not ok:
        raise RuntimeError(f'could not encode the visualisation for {path}')
    write_bytes(path, buf.tobytes())
