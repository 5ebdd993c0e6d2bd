"""CLIP-OCR's frozen teacher: a CLIP image tower on the student's input (its position grid cropped
to the input, 2x8 for ViT-B/16 at 32x128) and the CLIP text tower on the spelled-out label."""
import math
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ..clip.tokenizer import _simple_tokenizer
from ..clip.towers import build_text_tower, build_vision_tower, resolve_arch
from ..clip.weights import load_clip_state_dict, load_into, split_towers

Size = Union[int, Tuple[int, int]]


def _pair(x: Size) -> Tuple[int, int]:
    return (x, x) if isinstance(x, int) else (int(x[0]), int(x[1]))


def stage_ends(depth: int, num_stages: int) -> List[int]:
    """1-based block counts closing each of ``num_stages`` equal stages (12, 4 -> 3, 6, 9, 12)."""
    return [depth * (k + 1) // num_stages for k in range(num_stages)]


def teacher_dims(arch, image_size: Size) -> Dict[str, int]:
    """Shapes of a teacher from its arch alone (no tower is built): widths and token count."""
    cfg = resolve_arch(arch)
    vis, txt = cfg['vision_cfg'], cfg['text_cfg']
    ph, pw = _pair(vis.get('patch_size', 16))
    h, w = _pair(image_size)
    if h % ph or w % pw:
        raise ValueError(f'teacher image_size {image_size} is not a multiple of its patch '
                         f'{(ph, pw)}')
    return dict(vision_width=vis['width'], text_width=txt['width'], embed_dim=cfg['embed_dim'],
                image_tokens=1 + (h // ph) * (w // pw), vision_layers=vis['layers'],
                text_layers=txt['layers'])


def crop_pos_embed(pos: Tensor, src_grid: Optional[Tuple[int, int]],
                   grid: Tuple[int, int]) -> Tensor:
    """Class token + the top-left ``grid`` of a ``src_grid`` position grid (no interpolation;
    ``src_grid=None``: a square grid)."""
    if src_grid is None or src_grid[0] * src_grid[1] != pos.shape[0] - 1:
        side = math.isqrt(pos.shape[0] - 1)
        if side * side != pos.shape[0] - 1:
            raise ValueError(f'position embedding of {pos.shape[0]} entries matches neither the '
                             f'arch grid {src_grid} nor a square grid')
        src_grid = (side, side)
    if grid[0] > src_grid[0] or grid[1] > src_grid[1]:
        raise ValueError(f'teacher grid {grid} is larger than the file\'s {src_grid} grid')
    cells = pos[1:].reshape(*src_grid, -1)[:grid[0], :grid[1]].reshape(-1, pos.shape[1])
    return torch.cat([pos[:1], cells])


class CLIPTeacher(nn.Module):
    """Frozen CLIP towers giving the features CLIP-OCR distils.

    Args:
        arch: open_clip model name or dict (CLIP-OCR: ``'ViT-B-16'``).
        pretrained: local CLIP weight file (OpenAI/OpenCLIP/CLIP4STR layouts); required.
        image_size: the teacher's input (the student's, 32x128); a larger position grid in the
            file is cropped to it.
        num_stages: towers split into this many stages (4: features after blocks 3, 6, 9 of 12).
    """

    def __init__(self, arch, pretrained: Optional[str], fmt: str = 'auto',
                 quick_gelu: bool = True, image_size: Size = (32, 128), num_stages: int = 4):
        super().__init__()
        if not pretrained:
            raise ValueError('the CLIP-OCR teacher needs its weights: set teacher.pretrained to a '
                             'local CLIP file (OpenAI .pt, OpenCLIP checkpoint or a CLIP4STR '
                             'checkpoint)')
        self.image_size = _pair(image_size)
        self.visual = build_vision_tower(arch, quick_gelu=quick_gelu,
                                         vision_cfg=dict(image_size=self.image_size))
        self.text = build_text_tower(arch, quick_gelu=quick_gelu)
        depths = (len(self.visual.transformer.resblocks), len(self.text.transformer.resblocks))
        if min(depths) < num_stages:
            raise ValueError(f'teacher towers of {depths} blocks cannot be split into '
                             f'{num_stages} stages')
        self.vision_ends = stage_ends(depths[0], num_stages)
        self.text_ends = stage_ends(depths[1], num_stages)
        visual_sd, text_sd = split_towers(load_clip_state_dict(pretrained, fmt))
        visual_sd = dict(visual_sd)
        if 'positional_embedding' in visual_sd:
            vis = resolve_arch(arch)['vision_cfg']  # the grid the file was trained with
            src = tuple(i // p for i, p in zip(_pair(vis.get('image_size', 224)),
                                               _pair(vis.get('patch_size', 16))))
            visual_sd['positional_embedding'] = crop_pos_embed(
                visual_sd['positional_embedding'], src, tuple(self.visual.grid_size))
        load_into(self.visual, visual_sd, pretrained)
        text_sd.pop('logit_scale', None)
        load_into(self.text, text_sd, pretrained)
        self.requires_grad_(False)
        self.eval()

    def train(self, mode: bool = True):
        return super().train(False)  # always frozen, always in eval mode

    @torch.no_grad()
    def image_stages(self, images: Tensor) -> List[Tensor]:
        """Raw residual stream (B, 1 + grid, width) after each stage but the last; ``images``
        CLIP-normalised, resized to ``image_size`` when they differ."""
        v = self.visual
        if tuple(images.shape[-2:]) != self.image_size:
            images = F.interpolate(images, size=self.image_size, mode='bilinear',
                                   align_corners=False)
        x = v.conv1(images).flatten(2).transpose(1, 2)
        x = torch.cat([v.class_embedding.expand(x.shape[0], 1, -1), x], dim=1)
        x = v.ln_pre(x + v.positional_embedding)
        stages = []
        for i, block in enumerate(v.transformer.resblocks):
            x = block(x)
            if i + 1 in self.vision_ends[:-1]:
                stages.append(x)
        return stages

    def tokens(self, labels: Sequence[str], length: int) -> Tensor:
        """CLIP-OCR's captions: characters separated by spaces (one BPE token each for ASCII),
        SOT/EOT added, zero-padded to ``length`` (the student's label length + 2)."""
        return _simple_tokenizer()([' '.join(t) for t in labels], context_length=length)

    @torch.no_grad()
    def text_stages(self, tokens: Tensor) -> Tuple[List[Tensor], Tensor]:
        """Raw residual stream (B, L, text width) after each stage but the last, and the
        projected EOT feature (B, embed_dim) of the last."""
        t = self.text
        n = tokens.shape[1]
        x = t.token_embedding(tokens) + t.positional_embedding[:n]
        mask = t.attn_mask[:n, :n] if t.attn_mask is not None else None
        stages = []
        for i, block in enumerate(t.transformer.resblocks):
            x = block(x, attn_mask=mask)
            if i + 1 in self.text_ends[:-1]:
                stages.append(x)
        eot = t.ln_final(x)[torch.arange(x.shape[0]), tokens.argmax(-1)]
        return stages, eot @ t.text_projection
