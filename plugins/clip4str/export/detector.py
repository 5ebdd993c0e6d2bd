"""The text detector's network (backbone + neck + head's probability map) as one ONNX graph,
run by onnxruntime inside ``clip4str.ocr.models.TextDetector`` (``backend='onnx'``).

Only the convolutional network moves: MMOCR's test pipeline, data preprocessor (normalisation,
padding to the size divisor) and the head's postprocessor (binarisation, polygons, scores) stay
the PyTorch/NumPy ones, so the polygons differ from PyTorch's only where a probability sits
within float rounding of a threshold. Height and width are dynamic (multiples of 32).
"""
import logging
import warnings
from pathlib import Path

import numpy as np
import torch

DEFAULT_OPSET = 18


class ProbabilityMapGraph(torch.nn.Module):
    """images (B, 3, H, W), normalised -> the head's probability map (B, H, W)."""

    def __init__(self, detector):
        super().__init__()
        self.detector = detector

    def forward(self, images):
        return self.detector.det_head(self.detector.extract_feat(images), None)


def export_detector(model, path, opset: int = DEFAULT_OPSET) -> Path:
    """Write the graph of an MMOCR single-stage text detector to ``path``."""
    from torch.export import Dim
    batch = Dim('batch', min=1, max=64)
    height, width = 32 * Dim('h32', min=1, max=512), 32 * Dim('w32', min=1, max=512)
    example = torch.randn(2, 3, 96, 128)
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter('ignore')
        logging.getLogger('torch.onnx').setLevel(logging.ERROR)
        torch.onnx.export(ProbabilityMapGraph(model).eval(), (example,), str(path), dynamo=True,
                          opset_version=opset, input_names=['images'],
                          output_names=['prob_map'],
                          dynamic_shapes=dict(images={0: batch, 2: height, 3: width}),
                          external_data=False, verbose=False)
    return Path(path)


class OnnxProbabilityMap:
    """``net(images) -> prob_map`` over an exported graph, torch tensors in and out."""

    def __init__(self, path, threads=None, spin: bool = True):
        import onnxruntime as ort

        from .ort_decoder import session_options
        self.session = ort.InferenceSession(str(path), session_options(threads, spin),
                                            providers=['CPUExecutionProvider'])

    def __call__(self, images: torch.Tensor) -> torch.Tensor:
        (prob,) = self.session.run(None, {'images': np.ascontiguousarray(
            images.float().cpu().numpy())})
        return torch.from_numpy(prob)
