"""A convolutional stem that can replace the ViT's patchify convolution (``visual.conv1``).

Xiao et al., "Early Convolutions Help Transformers See Better" (NeurIPS 2021): stride-2 3x3
convolutions instead of one large-stride patch projection make ViTs converge much faster from
scratch. Used by the CPU-trained small variant; the paper-scale configs keep CLIP's patchify
convolution so real CLIP weights load into it.
"""
import math
from typing import Sequence, Tuple

from torch import nn


class ConvStem(nn.Sequential):
    """(B, 3, H, W) -> (B, width, H / ph, W / pw), like the patch convolution it replaces.

    Each of ``channels`` adds a 3x3 conv + BN + ReLU; the first ``log2(patch)`` of them halve the
    resolution (per axis, so non-square patches work); a 1x1 projection to ``width`` ends it.
    """

    def __init__(self, width: int, patch_size: Tuple[int, int],
                 channels: Sequence[int] = (48, 96, 192)) -> None:
        steps = [int(math.log2(p)) for p in patch_size]
        if any(2 ** s != p for s, p in zip(steps, patch_size)):
            raise ValueError(f'conv stem needs power-of-two patch sizes, got {patch_size}')
        if len(channels) < max(steps):
            raise ValueError(f'conv stem with {len(channels)} layers cannot reach patch size '
                             f'{patch_size}: give at least {max(steps)} channel counts')
        layers, cin = [], 3
        for i, cout in enumerate(channels):
            stride = (2 if i < steps[0] else 1, 2 if i < steps[1] else 1)
            layers += [nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout),
                       nn.ReLU(inplace=True)]
            cin = cout
        layers.append(nn.Conv2d(cin, width, 1))
        super().__init__(*layers)
