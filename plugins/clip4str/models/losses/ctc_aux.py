"""Auxiliary CTC loss on the image encoder's patch tokens (a training aid, not in the paper).

A ViT recognizer trained from scratch first learns the language prior and only much later to
attend to single characters. CTC over the columns of the patch grid gives every column a direct
character target, which gets the encoder to localise characters early; the decoders then find
them. Only the loss uses this head: inference and exported models ignore it.
"""
from typing import Sequence

import torch
import torch.nn.functional as F
from mmocr.structures import TextRecogDataSample
from torch import Tensor, nn


class CTCAuxHead(nn.Module):
    """Column tokens -> ``upsample`` CTC frames each -> characters + blank (the last class).

    Args:
        in_dim: token width (the encoder's output dim).
        dictionary: the decoder's MMOCR ``Dictionary``: its characters are the CTC classes.
        grid: (gh, gw) of the patch grid; tokens are averaged over the height.
        upsample: frames per column: 2 gives 2 * gw frames, room for words longer than gw.
        weight: factor of the loss.
    """

    def __init__(self, in_dim: int, dictionary, grid: Sequence[int], upsample: int = 2,
                 weight: float = 1.0) -> None:
        super().__init__()
        self.dictionary = dictionary
        self.grid = tuple(grid)
        self.upsample = upsample
        self.weight = weight
        self.blank = dictionary.num_classes  # one past the dictionary's classes
        self.proj = nn.Linear(in_dim, upsample * (dictionary.num_classes + 1))

    def frame_logits(self, tokens: Tensor) -> Tensor:
        """(B, 1 + gh * gw, D) encoder output -> (B, gw * upsample, classes + 1)."""
        gh, gw = self.grid
        cols = tokens[:, 1:].unflatten(1, (gh, gw)).mean(1)  # (B, gw, D)
        return self.proj(cols).unflatten(-1, (self.upsample, -1)).flatten(1, 2)

    def forward(self, tokens: Tensor, data_samples: Sequence[TextRecogDataSample]) -> Tensor:
        logits = self.frame_logits(tokens).float()
        targets = [torch.as_tensor(self.dictionary.str2idx(s.gt_text.item), dtype=torch.long)
                   for s in data_samples]
        lengths = torch.as_tensor([len(t) for t in targets], dtype=torch.long)
        frames = torch.full((len(targets),), logits.shape[1], dtype=torch.long)
        log_probs = logits.log_softmax(-1).transpose(0, 1)  # (T, B, C)
        # labels longer than the frames (or with too many repeats) are infeasible: zero_infinity
        loss = F.ctc_loss(log_probs, torch.cat(targets).to(logits.device), frames, lengths,
                          blank=self.blank, reduction='mean', zero_infinity=True)
        return self.weight * loss
