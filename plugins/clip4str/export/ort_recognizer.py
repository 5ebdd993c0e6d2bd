"""An onnxruntime recognizer with the interface of ``clip4str.ocr.models.TextRecognizer``:
``recognizer(crops) -> [(text, char_scores), ...]``, so the OCR engine and the batch tool can
run an exported model (``clip4str-ocr --rec-onnx FOLDER`` or ``rec=dict(onnx=FOLDER)``).

Crops are uint8 arrays in the channel order the PyTorch recognizer takes (MMOCR's: BGR, as the
engine's pages are). Preprocessing reproduces the test pipeline + data preprocessor: Pillow
bicubic resize to (H, W) (``CLIPResize``), BGR -> RGB when the config's data preprocessor swaps,
mean/std on the 0-255 scale. The read-out is ``CLIP4STRPostprocessor``'s.
"""
import math
from concurrent.futures import ThreadPoolExecutor
from typing import List, Optional, Sequence, Tuple

import numpy as np
from PIL import Image

from .ort_decoder import OnnxCLIP4STR

PIL_FILTERS = dict(nearest=Image.NEAREST, bilinear=Image.BILINEAR, bicubic=Image.BICUBIC,
                   box=Image.BOX, lanczos=Image.LANCZOS, hamming=Image.HAMMING)


class OnnxTextRecognizer:
    """``OnnxTextRecognizer(folder)(crops) -> [(text, char_scores), ...]``.

    Args:
        folder: an export of ``tools/export_onnx.py`` (graphs + model.json).
        device: 'cpu', or 'cuda[:N]' with onnxruntime-gpu.
        batch_size: crops per forward pass.
        threads: onnxruntime intra-op threads (default: $OMP_NUM_THREADS, else onnxruntime's).
        workers: batches decoded side by side, each on one intra-op thread (default: on the
            CPU, ``threads``). The decoding loop runs small per-step graphs one token at a
            time, which a second intra-op thread does not speed up; two batches at once do.
    """

    def __init__(self, folder, device: str = 'cpu', batch_size: int = 32,
                 threads: Optional[int] = None, workers: Optional[int] = None):
        if workers is None:
            workers = 1 if str(device).startswith('cuda') else (threads or 1)
        self.workers = max(1, int(workers))
        self.model = OnnxCLIP4STR(folder, device, 1 if self.workers > 1 else threads)
        self.name = str(folder)
        self.batch_size = max(1, int(batch_size))
        meta = self.model.meta
        inp = meta['input']
        self.size = (inp['width'], inp['height'])
        self.resample = PIL_FILTERS[inp['resize']['interpolation']]
        self.bgr_to_rgb = inp['bgr_to_rgb']
        self.mean = np.asarray(inp['mean'], np.float32)
        self.std = np.asarray(inp['std'], np.float32)
        self.chars = meta['dictionary']['chars']
        self.ignore_ids = set(meta['dictionary']['ignore_ids'])
        self.max_seq_len = meta['max_seq_len']

    def preprocess(self, crops: Sequence[np.ndarray]) -> np.ndarray:
        """(B, 3, H, W) float32 network input."""
        batch = np.empty((len(crops), 3, self.size[1], self.size[0]), np.float32)
        for i, crop in enumerate(crops):
            crop = np.asarray(crop)
            if crop.ndim == 2:
                crop = np.repeat(crop[:, :, None], 3, axis=2)
            if crop.ndim != 3 or crop.shape[2] != 3 or crop.dtype != np.uint8:
                raise ValueError(f'crops must be H x W x 3 uint8 arrays, got {crop.dtype} '
                                 f'{crop.shape}')
            img = np.asarray(Image.fromarray(crop).resize(self.size, self.resample), np.float32)
            if self.bgr_to_rgb:
                img = img[:, :, ::-1]
            batch[i] = ((img - self.mean) / self.std).transpose(2, 0, 1)
        return batch

    def predict_probs(self, crops: Sequence[np.ndarray]) -> np.ndarray:
        """Character probabilities (B, T, C) of one batch of crops."""
        return self.model.probabilities(self.model.predict_logits(self.preprocess(crops)))

    def read_out(self, probs: np.ndarray) -> List[Tuple[str, List[float]]]:
        """Text up to the first EOS and one probability per character."""
        eos = self.model.eos_id
        out = []
        for ids, scores in zip(probs.argmax(-1).tolist(), probs.max(-1).tolist()):
            text, char_scores = [], []
            for idx, score in zip(ids, scores):
                if idx in self.ignore_ids:
                    continue
                if idx == eos or len(text) == self.max_seq_len:
                    break
                text.append(self.chars[idx])
                char_scores.append(float(score))
            out.append((''.join(text), char_scores))
        return out

    def __call__(self, crops: Sequence[np.ndarray]) -> List[Tuple[str, List[float]]]:
        from clip4str.ocr.models import batches_by_aspect  # the same batches as TextRecognizer
        out: List[Tuple[str, List[float]]] = [('', [])] * len(crops)
        # enough batches for every worker, none over batch_size
        size = min(self.batch_size, math.ceil(len(crops) / self.workers)) if crops else 1
        batches = list(batches_by_aspect(crops, size))

        def read(ids):
            return self.read_out(self.predict_probs([crops[j] for j in ids]))
        if self.workers > 1 and len(batches) > 1:
            with ThreadPoolExecutor(self.workers) as pool:  # onnxruntime releases the GIL
                readings = list(pool.map(read, batches))
        else:
            readings = [read(ids) for ids in batches]
        for ids, batch_readings in zip(batches, readings):
            for k, reading in zip(ids, batch_readings):
                out[k] = reading
        return out
