"""Tensor-only wrappers around the recognizer's own modules, one per exported ONNX graph.

The decoding loop (AR steps, caption tokenisation, refinement) stays in Python (see
``ort_decoder.py``); these graphs are the pieces it calls. Per-layer key/value tensors travel
stacked, ``(layers, B, heads, L, head_dim)``, so one graph serves any decoder depth.

* ``ImageEncoderGraph``: normalised images -> image tokens (B, N, D).
* ``TextEncoderGraph``: caption tokens (B, context_length) -> text features (B, ctx, D).
* ``MemoryGraph``: memory (B, S, D) -> the decoder's per-layer memory keys/values.
* ``StepGraph``: one KV-cached AR step: new token + past content keys/values -> logits of the
  next position + the keys/values with the new token appended.
* ``ClozeGraph``: a full pass over a token prefix with the cloze mask (refinement; also the
  NAR first pass, which is the cloze pass over BOS alone).
"""
from typing import List, Tuple

import torch
from torch import Tensor, nn

from ..models.decoders.clip4str_decoder import cloze_mask
from ..models.decoders.two_stream import KV, TwoStreamDecoder


def stack_kv(kv: List[KV]) -> Tuple[Tensor, Tensor]:
    return torch.stack([k for k, _ in kv]), torch.stack([v for _, v in kv])


def unstack_kv(keys: Tensor, values: Tensor, depth: int) -> List[KV]:
    return [(keys[i], values[i]) for i in range(depth)]


class ImageEncoderGraph(nn.Module):

    def __init__(self, backbone: nn.Module):
        super().__init__()
        self.backbone = backbone

    def forward(self, images: Tensor) -> Tensor:
        return self.backbone(images)


class TextEncoderGraph(nn.Module):

    def __init__(self, text_encoder: nn.Module):
        super().__init__()
        self.text_encoder = text_encoder

    def forward(self, tokens: Tensor) -> Tensor:
        return self.text_encoder(tokens)


class MemoryGraph(nn.Module):

    def __init__(self, decoder: TwoStreamDecoder):
        super().__init__()
        self.decoder = decoder

    def forward(self, memory: Tensor) -> Tuple[Tensor, Tensor]:
        return stack_kv(self.decoder.prepare_memory(memory))


class StepGraph(nn.Module):
    """``TwoStreamDecoder._step_cached`` with the cache as tensors; the new token's position is
    the past length, so the graph needs no position input."""

    def __init__(self, decoder: TwoStreamDecoder):
        super().__init__()
        self.decoder = decoder
        self.depth = len(decoder.layers)

    def forward(self, token: Tensor, past_k: Tensor, past_v: Tensor, mem_k: Tensor,
                mem_v: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        pos = past_k.shape[3]
        query = self.decoder.pos_queries[:, pos:pos + 1].expand(token.shape[0], -1, -1)
        cache = unstack_kv(past_k, past_v, self.depth)
        logits = self.decoder._step_cached(token, pos, query,
                                           unstack_kv(mem_k, mem_v, self.depth), cache)
        present_k, present_v = stack_kv(cache)
        return logits[:, 0], present_k, present_v


class ClozeGraph(nn.Module):
    """``CLIP4STRDecoder._refine`` after the argmax: every one of the ``num_queries`` positions
    sees all tokens of ``tgt_in`` (BOS first) but its own; nothing after the first EOS."""

    def __init__(self, decoder: TwoStreamDecoder, eos_id: int):
        super().__init__()
        self.decoder = decoder
        self.depth = len(decoder.layers)
        self.eos_id = eos_id
        self.register_buffer('cloze', cloze_mask(decoder.num_queries), persistent=False)

    def forward(self, tgt_in: Tensor, mem_k: Tensor, mem_v: Tensor) -> Tensor:
        length = tgt_in.shape[1]
        padding_mask = (tgt_in == self.eos_id).to(torch.int32).cumsum(-1) > 0
        query = self.decoder.pos_queries.expand(tgt_in.shape[0], -1, -1)
        logits, _ = self.decoder(tgt_in, query=query, query_mask=self.cloze[:, :length],
                                 content_mask=self.cloze[:length, :length],
                                 padding_mask=padding_mask,
                                 memory_kv=unstack_kv(mem_k, mem_v, self.depth))
        return logits
