"""CLIP-Adapter (Gao et al., arXiv 2110.04544) on the output features of a frozen CLIP tower."""
from typing import List, Optional

from mmocr.registry import MODELS
from torch import Tensor, nn

from .builder import tower_embed_dim


@MODELS.register_module()
class CLIPAdapter(nn.Module):
    """``out = ratio * fc(x) + (1 - ratio) * x``, ``fc`` = two bias-free linear layers with a
    ``dim / reduction`` bottleneck, each followed by ReLU (as CLIP-Adapter and the reference's
    ``LinearAdapter``: reduction 2, ratio 0.2; 262K parameters on ViT-B/16's 512-d output).

    Applied to every output token (class token included) of the tower it is built for.
    """

    needs_hidden = False  # works on the tower's output only

    def __init__(self, embed_dim: int, reduction: int = 2, ratio: float = 0.2):
        super().__init__()
        if embed_dim % reduction:
            raise ValueError(f'CLIPAdapter: reduction {reduction} does not divide {embed_dim}')
        if not 0.0 <= ratio <= 1.0:
            raise ValueError(f'CLIPAdapter: ratio must be in [0, 1], got {ratio}')
        hidden = embed_dim // reduction
        self.fc = nn.Sequential(
            nn.Linear(embed_dim, hidden, bias=False), nn.ReLU(),
            nn.Linear(hidden, embed_dim, bias=False), nn.ReLU())
        self.ratio = ratio
        for m in self.fc:
            if isinstance(m, nn.Linear):
                nn.init.trunc_normal_(m.weight, std=.02)  # the reference's init

    @classmethod
    def from_tower(cls, tower: nn.Module, **kwargs) -> 'CLIPAdapter':
        return cls(tower_embed_dim(tower), **kwargs)

    def reset_from_tower(self, tower: nn.Module) -> None:
        """Nothing to take from the tower's weights."""

    def forward(self, x: Tensor, hidden: Optional[List[Tensor]] = None) -> Tensor:
        return self.ratio * self.fc(x) + (1.0 - self.ratio) * x
