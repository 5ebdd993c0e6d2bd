"""Recognition datasets, label filtering, transforms and normalisation constants."""
from . import transforms  # noqa: F401  (registers CLIPResize, STRRandAugment)
from .dataset_mixin import STRDatasetMixin, UnreadableImageError
from .label_filter import LabelFilter
from .label_parsers import QuotedLabelParser, SpaceSeparatedLabelParser
from .recog_datasets import FilteredOCRDataset, FilteredRecogLMDBDataset, RecogLabelFileDataset
from .text_normalization import CharsetAdapter, normalize_text, read_charset

__all__ = [
    'STRDatasetMixin', 'UnreadableImageError', 'LabelFilter', 'QuotedLabelParser',
    'SpaceSeparatedLabelParser', 'FilteredOCRDataset', 'FilteredRecogLMDBDataset',
    'RecogLabelFileDataset', 'CharsetAdapter', 'normalize_text', 'read_charset'
]
