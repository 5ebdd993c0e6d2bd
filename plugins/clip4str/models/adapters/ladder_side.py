"""Ladder side-tuning (LST, Sung et al., arXiv 2206.06522) for a frozen CLIP image tower.

As the CLIP4STR reference applies it to STR (``LadderSideAdapterPruning`` of its ``str_adapter``):
a side network of ``len(block_ids)`` light transformer blocks, each fed ("ladder") by the input of
one frozen block, mixed with the side stream by learned gates ``w = sigmoid(alpha / T)``
(T = 0.1, alpha = 0 at start); the side output goes through copies of the tower's ``ln_post`` and
``proj`` and is mixed with the frozen output by the first gate. Side blocks keep the tower's width
but cut the attention and MLP inner widths by ``inner_reduction`` (4), starting from the frozen
blocks' weights pruned by L1 norm. Only the side network trains; no gradient enters the tower.

``width_reduction`` > 1 adds the original LST's down/up-sampling: each ladder input is projected
to ``width / width_reduction`` and the side output back up (then randomly initialised).
"""
import copy
from typing import List, Optional, Sequence

import torch
import torch.nn.functional as F
from mmocr.registry import MODELS
from torch import Tensor, nn


def _top(score: Tensor, k: int) -> Tensor:
    """Indices of the ``k`` largest scores, in their original order."""
    return score.topk(k).indices.sort().values


class SideBlock(nn.Module):
    """Pre-LN transformer block of width ``width`` with attention inner width ``inner`` and MLP
    hidden width ``mlp_inner`` (a CLIP block with narrower insides)."""

    def __init__(self, width: int, heads: int, inner: int, mlp_inner: int, act: nn.Module):
        super().__init__()
        if inner % heads:
            raise ValueError(f'side block: {heads} heads do not divide the inner width {inner}; '
                             'choose another inner_reduction')
        self.heads = heads
        self.ln_1 = nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * inner)
        self.out = nn.Linear(inner, width)
        self.ln_2 = nn.LayerNorm(width)
        self.c_fc = nn.Linear(width, mlp_inner)
        self.act = act
        self.c_proj = nn.Linear(mlp_inner, width)

    def forward(self, x: Tensor) -> Tensor:
        b, n, _ = x.shape
        q, k, v = (t.view(b, n, self.heads, -1).transpose(1, 2)
                   for t in self.qkv(self.ln_1(x)).chunk(3, dim=-1))
        attn = F.scaled_dot_product_attention(q, k, v).transpose(1, 2).reshape(b, n, -1)
        x = x + self.out(attn)
        return x + self.c_proj(self.act(self.c_fc(self.ln_2(x))))

    @torch.no_grad()
    def init_pruned(self, block: nn.Module) -> None:
        """Copy an open_clip ``ResidualAttentionBlock`` keeping its largest channels (L1 norm).

        Channels that meet in a product are kept together (query/key rows, value rows with the
        matching output-projection columns, MLP hidden units with both their weights); the
        reference prunes each matrix on its own.
        """
        for name in ('ls_1', 'ls_2'):
            if not isinstance(getattr(block, name, nn.Identity()), nn.Identity):
                raise ValueError('LadderSideAdapter: blocks with layer scale are not supported')
        d = block.attn.embed_dim
        w, b = block.attn.in_proj_weight, block.attn.in_proj_bias
        wq, wk, wv = w[:d], w[d:2 * d], w[2 * d:]
        bq, bk, bv = b[:d], b[d:2 * d], b[2 * d:]
        inner = self.out.in_features
        qk = _top(wq.abs().sum(1) + wk.abs().sum(1), inner)
        vo = _top(wv.abs().sum(1) + block.attn.out_proj.weight.abs().sum(0), inner)
        self.qkv.weight.copy_(torch.cat([wq[qk], wk[qk], wv[vo]]))
        self.qkv.bias.copy_(torch.cat([bq[qk], bk[qk], bv[vo]]))
        self.out.weight.copy_(block.attn.out_proj.weight[:, vo])
        self.out.bias.copy_(block.attn.out_proj.bias)
        fc, proj = block.mlp.c_fc, block.mlp.c_proj
        hid = _top(fc.weight.abs().sum(1) + proj.weight.abs().sum(0), self.c_fc.out_features)
        self.c_fc.weight.copy_(fc.weight[hid])
        self.c_fc.bias.copy_(fc.bias[hid])
        self.c_proj.weight.copy_(proj.weight[:, hid])
        self.c_proj.bias.copy_(proj.bias)
        self.ln_1.load_state_dict(block.ln_1.state_dict())
        self.ln_2.load_state_dict(block.ln_2.state_dict())


@MODELS.register_module()
class LadderSideAdapter(nn.Module):
    """Side network on a frozen CLIP ViT (see the module docstring).

    Args:
        width, heads, mlp_ratio, depth, embed_dim: the tower's shapes (from :meth:`from_tower`).
        block_ids: frozen blocks whose INPUT feeds the side network; default
            ``[0, depth // 3, 2 * depth // 3, depth - 1]`` (``[0, 4, 8, 11]`` for 12 blocks, the
            reference's choice).
        inner_reduction: attention/MLP inner widths of the side blocks divided by this (4).
        width_reduction: side-stream width divided by this; 1 (reference) keeps the tower width
            with identity down/up-sampling.
        temperature: gate temperature T (0.1).
        prune_init: start side blocks from the frozen blocks' pruned weights (reference); only
            with ``width_reduction=1``. Otherwise they start from a truncated-normal init.
    """

    needs_hidden = True  # gets the input of every frozen block

    def __init__(self, width: int, heads: int, mlp_ratio: float, depth: int, embed_dim: int,
                 act: Optional[nn.Module] = None, block_ids: Optional[Sequence[int]] = None,
                 inner_reduction: int = 4, width_reduction: int = 1, temperature: float = 0.1,
                 prune_init: bool = True):
        super().__init__()
        if block_ids is None:
            block_ids = sorted({0, depth // 3, 2 * depth // 3, depth - 1})
        block_ids = [int(i) for i in block_ids]
        if not block_ids or any(not 0 <= i < depth for i in block_ids) or \
                block_ids != sorted(set(block_ids)):
            raise ValueError(f'LadderSideAdapter: block_ids must be increasing indices in '
                             f'[0, {depth}), got {block_ids}')
        if width % width_reduction or (width // width_reduction) % inner_reduction:
            raise ValueError(f'LadderSideAdapter: width {width} is not divisible by '
                             f'width_reduction {width_reduction} x inner_reduction '
                             f'{inner_reduction}')
        if prune_init and width_reduction != 1:
            raise ValueError('LadderSideAdapter: prune_init needs width_reduction=1 (pruned '
                             'blocks keep the tower width); set prune_init=False')
        self.block_ids = block_ids
        self.temperature = temperature
        self.prune_init = prune_init
        side = width // width_reduction
        act = act if act is not None else nn.GELU()
        self.alpha = nn.Parameter(torch.zeros(len(block_ids)))
        self.downsample = nn.ModuleList(
            nn.Identity() if side == width else nn.Linear(width, side, bias=False)
            for _ in block_ids)
        self.blocks = nn.ModuleList(
            SideBlock(side, heads, side // inner_reduction,
                      int(width * mlp_ratio) // width_reduction // inner_reduction,
                      copy.deepcopy(act)) for _ in block_ids)
        self.upsample = nn.Identity() if side == width else nn.Linear(side, width, bias=False)
        self.ln_post = nn.LayerNorm(width)
        self.proj = nn.Parameter(torch.empty(width, embed_dim))
        self._init_random()

    @classmethod
    def from_tower(cls, tower: nn.Module, **kwargs) -> 'LadderSideAdapter':
        if not hasattr(tower, 'conv1') or not hasattr(tower, 'proj'):
            raise ValueError('LadderSideAdapter adapts the image tower only (a CLIP ViT)')
        blocks = tower.transformer.resblocks
        first = blocks[0]
        if not hasattr(first, 'attn') or not hasattr(first.attn, 'in_proj_weight'):
            raise ValueError('LadderSideAdapter needs a CLIP ViT image tower (open_clip blocks)')
        width = first.attn.embed_dim
        adapter = cls(width=width, heads=first.attn.num_heads,
                      mlp_ratio=first.mlp.c_fc.out_features / width, depth=len(blocks),
                      embed_dim=tower.proj.shape[1], act=first.mlp.gelu, **kwargs)
        adapter.reset_from_tower(tower)
        return adapter

    def _init_random(self) -> None:
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.trunc_normal_(m.weight, std=.02)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
        nn.init.trunc_normal_(self.proj, std=self.proj.shape[0] ** -0.5)

    @torch.no_grad()
    def reset_from_tower(self, tower: nn.Module) -> None:
        """Start from the tower's (pretrained) weights: copies of ``ln_post``/``proj`` and, with
        ``prune_init``, pruned copies of the ladder blocks. Called again after CLIP weights load."""
        self.ln_post.load_state_dict(tower.ln_post.state_dict())
        self.proj.copy_(tower.proj)
        if self.prune_init:
            for side, i in zip(self.blocks, self.block_ids):
                side.init_pruned(tower.transformer.resblocks[i])

    def gates(self) -> Tensor:
        return torch.sigmoid(self.alpha / self.temperature)

    def forward(self, x: Tensor, hidden: Optional[List[Tensor]] = None) -> Tensor:
        """``x``: the frozen tower's output (B, N, embed_dim); ``hidden``: the input of each of
        its blocks (B, N, width)."""
        if hidden is None:
            raise ValueError('LadderSideAdapter needs the inputs of the frozen blocks')
        w = self.gates()
        side = None
        for i, (block_id, down, block) in enumerate(zip(self.block_ids, self.downsample,
                                                       self.blocks)):
            ladder = down(hidden[block_id])
            side = block(ladder if side is None else w[i] * ladder + (1 - w[i]) * side)
        side = self.ln_post(self.upsample(side)) @ self.proj
        return w[0] * x + (1 - w[0]) * side
