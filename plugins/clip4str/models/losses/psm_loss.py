"""Permuted sequence modelling (PSM) loss of PARSeq / CLIP4STR, as an MMOCR module loss."""
import math
from itertools import permutations
from typing import Dict, List, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmocr.models.textrecog.module_losses import BaseTextRecogModuleLoss
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample
from torch import Tensor

# For 4-character batches with mirrored permutations the reference samples from this half of
# the 24 orderings: none of them is the mirror image of another.
_FOUR_CHAR_MIRROR_POOL = [0, 3, 4, 6, 9, 10, 12, 16, 17, 18, 19, 21]


@MODELS.register_module()
class PSMLoss(BaseTextRecogModuleLoss):
    """Cross entropy over ``num_perms`` factorisation orders of each target sequence.

    Orders: canonical (left to right), reversed, then random ones, each followed by its mirror
    (``perm_mirrored``): 6 = canonical, reversed, 2 random + mirrors. Targets are padded to the
    longest label of the batch. After the first two orders EOS targets become padding (EOS is
    learned from the full and the null context only). Each order adds ``n * CE`` for the visual
    and ``cross_loss_weight * n * CE`` for the cross-modal decoder; the total is divided by the
    summed token counts ``n``, as in the reference.

    Returns ``loss_visual`` and ``loss_cross``, whose sum is the reference's loss.
    """

    def __init__(self,
                 dictionary,
                 max_seq_len: int = 25,
                 num_perms: int = 6,
                 perm_forward: bool = True,
                 perm_mirrored: bool = True,
                 cross_loss_weight: float = 1.0,
                 letter_case: str = 'unchanged',
                 **kwargs) -> None:
        super().__init__(dictionary, max_seq_len, letter_case=letter_case, pad_with='none')
        d = self.dictionary
        if d.start_idx is None or d.end_idx is None or d.padding_idx is None \
                or d.start_idx == d.end_idx:
            raise ValueError('PSMLoss needs a Dictionary with distinct start and end tokens and '
                             'padding (with_start=True, with_end=True, same_start_end=False, '
                             'with_padding=True)')
        self.bos_id, self.eos_id, self.pad_id = d.start_idx, d.end_idx, d.padding_idx
        self.num_perms = num_perms
        self.max_gen_perms = num_perms // 2 if perm_mirrored else num_perms
        self.perm_forward = perm_forward
        self.perm_mirrored = perm_mirrored
        self.cross_loss_weight = cross_loss_weight

    # ------------------------------------------------------------------ targets
    def batch_targets(self, data_samples: Sequence[TextRecogDataSample],
                      device: torch.device) -> Tensor:
        """(B, L + 2) tokens: BOS, label, EOS, PAD up to the batch's longest label L."""
        data_samples = self.get_targets(data_samples)
        rows = [s.gt_text.indexes[:self.max_seq_len] for s in data_samples]
        length = max(len(r) for r in rows)
        tgt = torch.full((len(rows), length + 2), self.pad_id, dtype=torch.long)
        tgt[:, 0] = self.bos_id
        for i, r in enumerate(rows):
            tgt[i, 1:len(r) + 1] = r
            tgt[i, len(r) + 1] = self.eos_id
        return tgt.to(device)

    # ------------------------------------------------------------------ permutations
    def permutations(self, tgt: Tensor) -> Tensor:
        """(P, L + 2) position orders shared by the batch; position 0 (BOS) always first and the
        EOS position last, except in the reversed order (row 1) whose EOS comes first."""
        device = tgt.device
        max_chars = tgt.shape[1] - 2
        if max_chars == 1:
            return torch.arange(3, device=device).unsqueeze(0)
        perms = [torch.arange(max_chars, device=device)] if self.perm_forward else []
        max_perms = math.factorial(max_chars)
        if self.perm_mirrored:
            max_perms //= 2
        num_gen = min(self.max_gen_perms, max_perms)
        if max_chars < 5:
            # small label lengths: sample without replacement from all orders (no collisions)
            selector = (_FOUR_CHAR_MIRROR_POOL if max_chars == 4 and self.perm_mirrored
                        else list(range(max_perms)))
            pool = torch.as_tensor(list(permutations(range(max_chars), max_chars)),
                                   device=device)[selector]
            if self.perm_forward:
                pool = pool[1:]
            perms = torch.stack(perms) if perms else pool[:0]
            if len(pool):
                pick = torch.randperm(len(pool))[:num_gen - len(perms)].to(device)
                perms = torch.cat([perms, pool[pick]])
        else:
            perms.extend(torch.randperm(max_chars, device=device)
                         for _ in range(num_gen - len(perms)))
            perms = torch.stack(perms)
        if self.perm_mirrored:
            perms = torch.stack([perms, perms.flip(-1)]).transpose(0, 1).reshape(-1, max_chars)
        bos = perms.new_zeros((len(perms), 1))
        eos = perms.new_full((len(perms), 1), max_chars + 1)
        perms = torch.cat([bos, perms + 1, eos], dim=1)
        if len(perms) > 1:
            # reversed order with EOS first: the null context for EOS (needed for NAR decoding)
            perms[1, 1:] = max_chars + 1 - torch.arange(max_chars + 1, device=device)
        return perms

    @staticmethod
    def attn_masks(perm: Tensor) -> Tuple[Tensor, Tensor]:
        """Additive (content, query) masks for one order; both (L + 1, L + 1).

        Position a may see b iff b comes earlier than a in the order; the query stream may not
        see its own position's content either.
        """
        size = perm.shape[0]
        rank = torch.empty_like(perm)
        rank[perm] = torch.arange(size, device=perm.device)
        later = rank[None, :] > rank[:, None]  # [a, b]: b after a in the order
        mask = torch.zeros(size, size, device=perm.device).masked_fill(later, float('-inf'))
        content_mask = mask[:-1, :-1].clone()
        mask.fill_diagonal_(float('-inf'))
        query_mask = mask[1:, :-1]
        return content_mask, query_mask

    # ------------------------------------------------------------------ loss
    def forward(self, outputs: Dict, data_samples: Sequence[TextRecogDataSample] = None,
                **kwargs) -> Dict[str, Tensor]:
        """``outputs``: ``targets`` (B, L + 2) and ``logits``, a list with one
        ``(visual_logits, cross_logits or None)`` pair per order, each (B, L + 1, C)."""
        tgt_out = outputs['targets'][:, 1:]
        logits: List[Tuple[Tensor, Tensor]] = outputs['logits']
        loss_vis = loss_cross = 0.
        numel = 0
        n = (tgt_out != self.pad_id).sum()
        for i, (vis, cross) in enumerate(logits):
            loss_vis = loss_vis + n * F.cross_entropy(
                vis.flatten(0, 1).float(), tgt_out.flatten(), ignore_index=self.pad_id)
            if cross is not None:
                loss_cross = loss_cross + n * F.cross_entropy(
                    cross.flatten(0, 1).float(), tgt_out.flatten(), ignore_index=self.pad_id)
            numel = numel + n
            if i == 1:
                tgt_out = torch.where(tgt_out == self.eos_id, self.pad_id, tgt_out)
                n = (tgt_out != self.pad_id).sum()
        losses = dict(loss_visual=loss_vis / numel)
        if not isinstance(loss_cross, float):
            losses['loss_cross'] = self.cross_loss_weight * loss_cross / numel
        return losses
