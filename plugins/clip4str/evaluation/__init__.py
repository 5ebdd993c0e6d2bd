"""The scene-text benchmark protocol: STRMetric and a multi-dataset evaluator with combined rows."""
from .combined_evaluator import CombinedMultiDatasetsEvaluator
from .str_metric import PROTOCOL_CHARSETS, STRMetric, word_accuracy

__all__ = ['CombinedMultiDatasetsEvaluator', 'STRMetric', 'PROTOCOL_CHARSETS', 'word_accuracy']
