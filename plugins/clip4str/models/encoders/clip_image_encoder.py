"""The CLIP image tower as CLIP4STR's visual encoder (used as the recognizer's backbone)."""
import logging
from typing import Dict, Optional, Tuple, Union

import torch
from mmengine.logging import print_log
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import nn

from ..adapters.builder import build_adapter
from ..adapters.freezing import FreezeType, resolve_freeze_layers
from ..clip.towers import build_vision_tower
from ..clip.weights import load_into, resize_vision_pos_embed
from .conv_stem import ConvStem


@MODELS.register_module()
class CLIPImageEncoder(BaseModule):
    """CLIP ViT returning ALL tokens (class token included) after ``ln_post`` and ``proj``.

    Args:
        arch: open_clip model name (``'ViT-B-16'``) or ``dict(embed_dim, vision_cfg, text_cfg)``.
        image_size / patch_size: override the arch's (int or (h, w)); a pretrained position grid
            is interpolated to the new grid when weights are loaded.
        quick_gelu: QuickGELU activations, as OpenAI CLIP and CLIP4STR use (also for OpenCLIP
            weights trained with QuickGELU); set False for OpenCLIP models trained with GELU.
        freeze_layers: as the reference's ``image_freeze_nlayer``: -1 / ``'none'`` trains
            everything (CLIP4STR default); N >= 0 freezes the class and position embeddings and
            blocks 0..N-1 (conv1, ln_pre, ln_post, proj stay trainable; 0 = ``'embeddings'``);
            N >= depth or ``'all'`` freezes the whole tower. Frozen blocks are kept in eval
            mode. See :mod:`clip4str.models.adapters.freezing`.
        adapter: optional PEFT module on the tower's output (usually with ``freeze_layers='all'``):
            ``dict(type='CLIPAdapter', reduction=2, ratio=0.2)`` or
            ``dict(type='LadderSideAdapter', ...)``; see :mod:`clip4str.models.adapters`.
        stem: ``'patch'`` (CLIP's patchify convolution) or ``dict(type='conv', channels=(...))``:
            a :class:`ConvStem` of stride-2 3x3 convolutions in its place (faster convergence
            from scratch; CLIP's ``conv1`` weights are then not loaded).

    Output: ``(B, 1 + gh * gw, embed_dim)``, e.g. ``(B, 197, 512)`` for ViT-B/16 at 224x224.
    """

    def __init__(self,
                 arch: Union[str, Dict] = 'ViT-B-16',
                 image_size: Optional[Union[int, Tuple[int, int]]] = None,
                 patch_size: Optional[Union[int, Tuple[int, int]]] = None,
                 quick_gelu: bool = True,
                 freeze_layers: FreezeType = -1,
                 adapter: Optional[Dict] = None,
                 stem: Union[str, Dict] = 'patch',
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        vision = {k: v for k, v in dict(image_size=image_size, patch_size=patch_size).items()
                  if v is not None}
        self.visual = build_vision_tower(arch, quick_gelu=quick_gelu, vision_cfg=vision)
        self.conv_stem = stem != 'patch'
        if self.conv_stem:
            stem = dict(stem)
            if stem.pop('type', None) != 'conv':
                raise ValueError(f"stem must be 'patch' or dict(type='conv', ...), got {stem}")
            conv1 = self.visual.conv1
            # replaces conv1 in place: every path that patchifies through visual.conv1 follows
            self.visual.conv1 = ConvStem(conv1.out_channels, conv1.stride, **stem)
        self.depth = len(self.visual.transformer.resblocks)
        self.freeze_layers = resolve_freeze_layers(freeze_layers, self.depth, 'image tower')
        self._freeze()
        # built after freezing: the adapter's own parameters always train
        self.adapter = build_adapter(adapter, self.visual) if adapter is not None else None

    @property
    def embed_dim(self) -> int:
        return self.visual.proj.shape[1]

    @property
    def num_tokens(self) -> int:
        return self.visual.positional_embedding.shape[0]

    def _freeze(self) -> None:
        if self.freeze_layers < 0:
            return
        whole = self.freeze_layers >= self.depth
        always_trained = ('conv1.', 'ln_pre.', 'ln_post.', 'proj')
        for name, param in self.visual.named_parameters():
            if not whole and name.startswith(always_trained):
                continue
            if not whole and name.startswith('transformer.resblocks.'):
                if int(name.split('.')[2]) >= self.freeze_layers:
                    continue
            param.requires_grad = False

    def train(self, mode: bool = True):
        super().train(mode)
        if mode and self.freeze_layers >= 0:
            blocks = self.visual.transformer.resblocks
            for block in (blocks if self.freeze_layers >= self.depth else
                          blocks[:self.freeze_layers]):
                block.eval()
        return self

    def load_clip_weights(self, visual_sd: Dict[str, torch.Tensor], source: str) -> None:
        """Load the ``visual.*`` part of a CLIP checkpoint (keys without the prefix)."""
        visual_sd = dict(visual_sd)
        if self.conv_stem and 'conv1.weight' in visual_sd:
            print_log(f'{source}: conv1 (patch projection) not loaded: this model has a conv '
                      'stem in its place', logger='current', level=logging.WARNING)
            visual_sd = {k: v for k, v in visual_sd.items() if not k.startswith('conv1.')}
        if 'positional_embedding' in visual_sd:
            resize_vision_pos_embed(visual_sd, self.visual)
        load_into(self.visual, visual_sd, source, ignore=('conv1.',) if self.conv_stem else ())
        if self.adapter is not None:
            self.adapter.reset_from_tower(self.visual)  # e.g. LST's side network from the weights

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        v = self.visual
        x = v.conv1(images).flatten(2).transpose(1, 2)  # (B, gh*gw, width)
        cls = v.class_embedding.to(x.dtype).expand(x.shape[0], 1, -1)
        x = torch.cat([cls, x], dim=1) + v.positional_embedding.to(x.dtype)
        x = v.ln_pre(v.patch_dropout(x))
        hidden = None
        if self.adapter is not None and self.adapter.needs_hidden:
            hidden = []  # the input of every block: the ladder of a side network
            for block in v.transformer.resblocks:
                hidden.append(x)
                x = block(x)
        else:
            x = v.transformer(x)
        x = v.ln_post(x) @ v.proj
        return x if self.adapter is None else self.adapter(x, hidden)


def count_parameters(module: nn.Module) -> Dict[str, int]:
    total = sum(p.numel() for p in module.parameters())
    trainable = sum(p.numel() for p in module.parameters() if p.requires_grad)
    return dict(total=total, trainable=trainable, frozen=total - trainable)
