"""int8 static quantization of the exported detector (onnxruntime, QDQ format).

The detector is nine tenths of a page's time on a CPU (tools/benchmark.py --end-to-end), all of
it in convolutions; int8 convolutions with per-channel weights run about twice as fast where the
CPU has VNNI and barely move the probability map (the text mask agrees on >99.9% of pixels).
Dynamic quantization is no help here: onnxruntime's ConvInteger is slower than fp32. Activation
ranges come from the pictures of :mod:`.calibration`, passed through the detector's own test
pipeline, so the result is the same on every machine.
"""
import tempfile
from pathlib import Path
from typing import Sequence

import numpy as np

CALIBRATION_VERSION = 1  # bump when calibration.py's pictures or the settings below change


def quantize_detector(fp32_path, out_path, inputs: Sequence[np.ndarray]) -> Path:
    """Write the int8 graph of the fp32 export ``fp32_path``, calibrated on ``inputs``
    (normalised (1, 3, H, W) float32 arrays, as the graph takes them)."""
    from onnxruntime.quantization import (CalibrationDataReader, CalibrationMethod,
                                          QuantFormat, QuantType, quantize_static)
    from onnxruntime.quantization.shape_inference import quant_pre_process

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.items = iter(inputs)

        def get_next(self):
            item = next(self.items, None)
            return None if item is None else {'images': np.ascontiguousarray(item, np.float32)}

    with tempfile.TemporaryDirectory(prefix='clip4str-quant-') as tmp:
        prepared = Path(tmp) / 'prepared.onnx'
        quant_pre_process(str(fp32_path), str(prepared), skip_symbolic_shape=True)
        quantize_static(str(prepared), str(out_path), Reader(), quant_format=QuantFormat.QDQ,
                        per_channel=True, activation_type=QuantType.QUInt8,
                        weight_type=QuantType.QInt8, calibrate_method=CalibrationMethod.MinMax)
    return Path(out_path)
