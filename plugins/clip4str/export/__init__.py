"""ONNX export of CLIP4STR recognizers and an onnxruntime recognizer for the OCR engine.

    tools/export_onnx.py CONFIG [CHECKPOINT] --out FOLDER
    clip4str-ocr inputs/ --rec-onnx FOLDER
"""
from .exporter import export_onnx
from .ort_recognizer import OnnxTextRecognizer

__all__ = ['export_onnx', 'OnnxTextRecognizer']
