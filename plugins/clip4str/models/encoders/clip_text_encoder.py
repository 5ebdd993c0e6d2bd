"""The CLIP text tower as CLIP4STR's caption encoder (inside the cross-modal branch)."""
import math
from typing import Dict, Optional, Union

import torch
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import nn

from ..adapters.builder import build_adapter
from ..adapters.freezing import FreezeType, resolve_freeze_layers
from ..clip.towers import build_text_tower
from ..clip.weights import load_into


@MODELS.register_module()
class CLIPTextEncoder(BaseModule):
    """CLIP text transformer returning the projected features of EVERY token.

    The causal mask and positional embedding are cropped to ``context_length`` (16 in CLIP4STR);
    the full 77-position embedding is kept so released CLIP weights load unchanged.

    Args:
        arch: open_clip model name or ``dict(embed_dim, vision_cfg, text_cfg)``.
        context_length: caption tokens used (SOT + BPE + EOT, zero padded).
        quick_gelu: see :class:`CLIPImageEncoder`.
        freeze_layers: as the reference's ``text_freeze_nlayer``: -1 / ``'none'`` trains
            everything; N >= 0 freezes the token and position embeddings, ``logit_scale`` and
            blocks 0..N-1 (CLIP4STR default N=6 of 12; 0 = ``'embeddings'``, the paper's "token
            embeddings only"); N >= depth or ``'all'`` freezes the whole tower (ln_final and
            projection too). Frozen blocks are kept in eval mode. See
            :mod:`clip4str.models.adapters.freezing`.
        adapter: optional ``dict(type='CLIPAdapter', ...)`` on the output token features (the
            side network of ``LadderSideAdapter`` is for the image tower only).
    """

    def __init__(self,
                 arch: Union[str, Dict] = 'ViT-B-16',
                 context_length: int = 16,
                 quick_gelu: bool = True,
                 freeze_layers: FreezeType = 6,
                 adapter: Optional[Dict] = None,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.text = build_text_tower(arch, quick_gelu=quick_gelu)
        if context_length > self.text.positional_embedding.shape[0]:
            raise ValueError(f'context_length {context_length} exceeds the tower\'s '
                             f'{self.text.positional_embedding.shape[0]} positions')
        self.context_length = context_length
        # CLIP's temperature: unused by CLIP4STR, kept (frozen) so checkpoints round-trip
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
        self.depth = len(self.text.transformer.resblocks)
        self.freeze_layers = resolve_freeze_layers(freeze_layers, self.depth, 'text tower')
        self._freeze()
        self.adapter = build_adapter(adapter, self.text) if adapter is not None else None

    @property
    def embed_dim(self) -> int:
        return self.text.text_projection.shape[1]

    def _freeze(self) -> None:
        if self.freeze_layers < 0:
            return
        whole = self.freeze_layers >= self.depth
        self.logit_scale.requires_grad = False
        for name, param in self.text.named_parameters():
            if not whole and name.startswith(('ln_final.', 'text_projection')):
                continue
            if not whole and name.startswith('transformer.resblocks.'):
                if int(name.split('.')[2]) >= self.freeze_layers:
                    continue
            param.requires_grad = False

    def train(self, mode: bool = True):
        super().train(mode)
        if mode and self.freeze_layers >= 0:
            self.text.token_embedding.eval()
            blocks = self.text.transformer.resblocks
            for block in (blocks if self.freeze_layers >= self.depth else
                          blocks[:self.freeze_layers]):
                block.eval()
            if self.freeze_layers >= self.depth:
                self.text.eval()
        return self

    def load_clip_weights(self, text_sd: Dict[str, torch.Tensor], source: str) -> None:
        """Load the text part of a CLIP checkpoint (OpenAI key names, ``logit_scale`` included)."""
        text_sd = dict(text_sd)
        scale = text_sd.pop('logit_scale', None)
        load_into(self.text, text_sd, source)
        if self.adapter is not None:
            self.adapter.reset_from_tower(self.text)
        if scale is not None:
            self.logit_scale.data.copy_(scale.reshape(()))

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """``tokens`` (B, L <= context_length) -> features (B, L, embed_dim)."""
        t = self.text
        length = tokens.shape[1]
        x = t.token_embedding(tokens) + t.positional_embedding[:length].to(
            t.token_embedding.weight.dtype)
        mask = t.attn_mask[:length, :length] if t.attn_mask is not None else None
        x = t.ln_final(t.transformer(x, attn_mask=mask)) @ t.text_projection
        return x if self.adapter is None else self.adapter(x)
