"""Greedy read-out of the refined probabilities: text, per-character and word confidences."""
from typing import Sequence

import torch
from mmengine.structures import LabelData
from mmocr.models.textrecog.postprocessors import AttentionPostprocessor
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample


@MODELS.register_module()
class CLIP4STRPostprocessor(AttentionPostprocessor):
    """``pred_text.item`` (text up to the first EOS) and ``pred_text.score`` (one probability per
    character), as MMOCR's other recognizers, plus PARSeq's confidence measures:
    ``pred_text.eos_score`` (probability of the closing EOS) and ``pred_text.word_score``
    (product of the character and EOS probabilities).

    Args:
        cap_length: texts never exceed ``max_seq_len`` (default: the last position exists only
            for EOS). ``False`` reads every position up to the first EOS, as the reference does
            (26 characters when no EOS is predicted; ``eos_score`` is then 1).
    """

    def __init__(self, dictionary, max_seq_len: int = 40, cap_length: bool = True,
                 **kwargs) -> None:
        super().__init__(dictionary, max_seq_len, **kwargs)
        self.cap_length = cap_length

    def __call__(self, probs: torch.Tensor,
                 data_samples: Sequence[TextRecogDataSample]) -> Sequence[TextRecogDataSample]:
        max_value, max_idx = probs.max(-1)
        max_value, max_idx = max_value.tolist(), max_idx.tolist()
        for row_idx, data_sample in enumerate(data_samples):
            index, score, eos_score = [], [], 1.0
            for char_idx, char_score in zip(max_idx[row_idx], max_value[row_idx]):
                if char_idx in self.ignore_indexes:
                    continue
                if char_idx == self.dictionary.end_idx:
                    eos_score = char_score
                    break
                if self.cap_length and len(index) == self.max_seq_len:
                    break  # the default: the last position is only for EOS
                index.append(char_idx)
                score.append(char_score)
            word_score = eos_score
            for s in score:
                word_score *= s
            pred_text = LabelData()
            pred_text.item = self.dictionary.idx2str(index)
            pred_text.score = score
            pred_text.eos_score = eos_score
            pred_text.word_score = word_score
            data_sample.pred_text = pred_text
        return data_samples
