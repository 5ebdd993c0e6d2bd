"""PARSeq's ViT encoder (timm) that can also return the features of intermediate stages, as the
student of CLIP-OCR's distillation needs."""
from typing import List, Tuple, Union

import torch
from mmengine.model import BaseModule
from mmocr.registry import MODELS

Size = Union[int, Tuple[int, int]]


@MODELS.register_module()
class ViTStageEncoder(BaseModule):
    """timm ``VisionTransformer`` returning all tokens (class token first) after the final norm.

    Defaults are PARSeq-S / CLIP-OCR's student: 32x128 input, 4x8 patches (8x16 grid + class
    token = 129 tokens), width 384, 12 blocks, 6 heads, MLP ratio 4.

    Args:
        num_stages: :meth:`forward_stages` splits the blocks into this many equal stages and
            returns each stage's output (CLIP-OCR: 4, i.e. after blocks 3, 6, 9, 12).
        class_token: keep a class token (CLIP-OCR's word-level term distils it).
    """

    def __init__(self,
                 img_size: Size = (32, 128),
                 patch_size: Size = (4, 8),
                 embed_dim: int = 384,
                 depth: int = 12,
                 num_heads: int = 6,
                 mlp_ratio: float = 4.0,
                 num_stages: int = 4,
                 class_token: bool = True,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        from timm.models.vision_transformer import VisionTransformer
        if not 1 <= num_stages <= depth:
            raise ValueError(f'num_stages must be in [1, depth={depth}], got {num_stages}')
        self.vit = VisionTransformer(
            img_size=img_size, patch_size=patch_size, embed_dim=embed_dim, depth=depth,
            num_heads=num_heads, mlp_ratio=mlp_ratio, num_classes=0, global_pool='',
            class_token=class_token)
        self.embed_dim = embed_dim
        self.num_stages = num_stages
        self.stage_ends = [depth * (k + 1) // num_stages for k in range(num_stages)]

    @property
    def num_tokens(self) -> int:
        return self.vit.patch_embed.num_patches + self.vit.num_prefix_tokens

    def forward_stages(self, images: torch.Tensor) -> List[torch.Tensor]:
        """``num_stages`` features (B, num_tokens, embed_dim): the raw residual stream after each
        stage, the last one after the final norm (= :meth:`forward`)."""
        v = self.vit
        x = v.norm_pre(v.patch_drop(v._pos_embed(v.patch_embed(images))))
        stages = []
        for i, block in enumerate(v.blocks):
            x = block(x)
            if i + 1 in self.stage_ends:
                stages.append(x)
        stages[-1] = v.norm(stages[-1])
        return stages

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.vit.forward_features(images)
