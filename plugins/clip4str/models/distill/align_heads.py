"""CLIP-OCR's trainable heads that map student features onto the teacher's feature spaces."""
from typing import Tuple

import torch
from torch import Tensor, nn


def _linear_ln(d_in: int, d_out: int) -> nn.Module:
    return nn.Sequential(nn.Linear(d_in, d_out), nn.LayerNorm(d_out))


class DistillHeads(nn.Module):
    """Heads for ``num_pairs`` stage pairs of each kind, plus the word-level head.

    - image: a learned token mix (teacher tokens x student tokens, uniform at start) then
      linear + LayerNorm to the teacher's vision width; the teacher side gets a LayerNorm;
    - text: linear + LayerNorm per decoder position to the teacher's text width; teacher side
      LayerNorm;
    - word: MLP from the student's class token to the teacher's embedding (EOT) space.
    """

    def __init__(self, num_pairs: int, enc_width: int, enc_tokens: int, dec_width: int,
                 vision_width: int, image_tokens: int, text_width: int, embed_dim: int):
        super().__init__()
        self.image_mix = nn.ParameterList(
            nn.Parameter(torch.full((image_tokens, enc_tokens), 1.0 / enc_tokens))
            for _ in range(num_pairs))
        self.image_proj = nn.ModuleList(_linear_ln(enc_width, vision_width)
                                        for _ in range(num_pairs))
        self.image_norm = nn.ModuleList(nn.LayerNorm(vision_width) for _ in range(num_pairs))
        self.text_proj = nn.ModuleList(_linear_ln(dec_width, text_width)
                                       for _ in range(num_pairs))
        self.text_norm = nn.ModuleList(nn.LayerNorm(text_width) for _ in range(num_pairs))
        self.word = nn.Sequential(nn.Linear(enc_width, enc_width), nn.LayerNorm(enc_width),
                                  nn.ReLU(), nn.Linear(enc_width, embed_dim))
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.trunc_normal_(m.weight, std=.02)
                nn.init.zeros_(m.bias)

    def image_pair(self, i: int, student: Tensor, teacher: Tensor) -> Tuple[Tensor, Tensor]:
        """(B, S, enc_width) and (B, T, vision_width) -> paired rows (B * T, vision_width)."""
        s = self.image_proj[i](torch.matmul(self.image_mix[i], student))
        return s.flatten(0, 1), self.image_norm[i](teacher).flatten(0, 1)

    def text_pair(self, i: int, student: Tensor, teacher: Tensor) -> Tuple[Tensor, Tensor]:
        """Decoder outputs (B, L + 1, dec_width) and teacher text features (B, L + 2, width)
        whose first (SOT) token is dropped -> paired rows (B * (L + 1), text_width)."""
        s = self.text_proj[i](student)
        return s.flatten(0, 1), self.text_norm[i](teacher[:, 1:]).flatten(0, 1)
