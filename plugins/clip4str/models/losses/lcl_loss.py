"""CLIP-OCR's Linguistic Consistency Loss (LCL, arXiv 2310.04999)."""
import torch
import torch.nn.functional as F
from mmocr.registry import MODELS
from torch import Tensor, nn


def linguistic_consistency_loss(student: Tensor, teacher: Tensor,
                                contrastive_weight: float = 0.1, l1_weight: float = 5.0,
                                temperature: float = 0.03, eps: float = 1e-7) -> Tensor:
    """LCL between paired rows of ``student`` and ``teacher`` (N, D), both L2-normalised:

    ``contrastive_weight * CE(s @ t.T / temperature, arange(N))`` (row i must pick teacher row i
    among the N) ``+ l1_weight * mean|s @ s.T - t @ t.T|`` (the two similarity matrices, i.e.
    second-order statistics, must agree).
    """
    if student.shape[0] != teacher.shape[0] or student.dim() != 2 or teacher.dim() != 2:
        raise ValueError(f'LCL needs paired (N, D) rows, got {tuple(student.shape)} and '
                         f'{tuple(teacher.shape)}')
    s = student.float()
    t = teacher.float()
    s = s / (s.norm(dim=-1, keepdim=True) + eps)
    t = t / (t.norm(dim=-1, keepdim=True) + eps)
    target = torch.arange(s.shape[0], device=s.device)
    contrastive = F.cross_entropy(s @ t.t() / temperature, target)
    l1 = F.l1_loss(s @ s.t(), t @ t.t())
    return contrastive_weight * contrastive + l1_weight * l1


@MODELS.register_module()
class LinguisticConsistencyLoss(nn.Module):
    """:func:`linguistic_consistency_loss` as a module (CLIP-OCR: 0.1, 5.0, temperature 0.03)."""

    def __init__(self, contrastive_weight: float = 0.1, l1_weight: float = 5.0,
                 temperature: float = 0.03):
        super().__init__()
        self.contrastive_weight = contrastive_weight
        self.l1_weight = l1_weight
        self.temperature = temperature

    def forward(self, student: Tensor, teacher: Tensor) -> Tensor:
        return linguistic_consistency_loss(student, teacher, self.contrastive_weight,
                                           self.l1_weight, self.temperature)
