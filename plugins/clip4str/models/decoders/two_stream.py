"""PARSeq's two-stream (content + query) pre-LN transformer decoder, as a plain nn.Module.

Parameter names match the reference CLIP4STR/PARSeq decoders (``layers.N.self_attn.in_proj_weight``,
``text_embed.embedding.weight``, ``pos_queries``, ``head``...), so their weights load unchanged.

Attention runs through ``F.scaled_dot_product_attention`` on the ``nn.MultiheadAttention``
parameters. Keys/values of the memory are projected once per forward (and can be reused across
permutations); autoregressive decoding keeps a per-layer key/value cache of the content stream,
so each step costs one token instead of the whole prefix (see :meth:`TwoStreamDecoder.decode_ar`).
"""
import math
from typing import List, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

KV = Tuple[Tensor, Tensor]  # (B, heads, L, head_dim) each


def _split_heads(x: Tensor, heads: int) -> Tensor:
    b, n, d = x.shape
    return x.view(b, n, heads, d // heads).transpose(1, 2)


def project_kv(mha: nn.MultiheadAttention, x: Tensor) -> KV:
    """Key and value projections of ``x`` with ``mha``'s packed in-projection."""
    d = mha.embed_dim
    w, b = mha.in_proj_weight, mha.in_proj_bias
    k = F.linear(x, w[d:2 * d], None if b is None else b[d:2 * d])
    v = F.linear(x, w[2 * d:], None if b is None else b[2 * d:])
    return _split_heads(k, mha.num_heads), _split_heads(v, mha.num_heads)


def attend(mha: nn.MultiheadAttention, query: Tensor, kv: KV, mask: Optional[Tensor] = None,
           dropout: float = 0.0) -> Tensor:
    """Multi-head attention of ``query`` (B, Lq, D) over projected ``kv``; additive ``mask``
    broadcastable to (B, heads, Lq, Lk). Same maths as ``nn.MultiheadAttention``."""
    d = mha.embed_dim
    w, b = mha.in_proj_weight, mha.in_proj_bias
    q = _split_heads(F.linear(query, w[:d], None if b is None else b[:d]), mha.num_heads)
    k, v = kv
    if mask is not None:
        mask = mask.to(q.dtype)
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=dropout)
    out = out.transpose(1, 2).reshape(query.shape[0], query.shape[1], d)
    return mha.out_proj(out)


def combine_masks(attn_mask: Optional[Tensor], padding_mask: Optional[Tensor]) -> Optional[Tensor]:
    """(Lq, Lk) additive mask + (B, Lk) boolean key padding -> additive (B, 1, Lq, Lk) mask."""
    if padding_mask is None:
        return attn_mask
    pad = torch.zeros(padding_mask.shape, dtype=torch.float32, device=padding_mask.device)
    pad = pad.masked_fill(padding_mask, float('-inf'))[:, None, None, :]
    return pad if attn_mask is None else attn_mask.float()[None, None] + pad


class TwoStreamDecoderLayer(nn.Module):
    """One decoder layer with a content stream and a query stream (XLNet two-stream attention)."""

    def __init__(self, d_model: int, nhead: int, dim_feedforward: int = 2048,
                 dropout: float = 0.1, layer_norm_eps: float = 1e-5):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.linear1 = nn.Linear(d_model, dim_feedforward)
        self.dropout = nn.Dropout(dropout)
        self.linear2 = nn.Linear(dim_feedforward, d_model)
        self.norm1 = nn.LayerNorm(d_model, eps=layer_norm_eps)
        self.norm2 = nn.LayerNorm(d_model, eps=layer_norm_eps)
        self.norm_q = nn.LayerNorm(d_model, eps=layer_norm_eps)
        self.norm_c = nn.LayerNorm(d_model, eps=layer_norm_eps)
        self.dropout1 = nn.Dropout(dropout)
        self.dropout2 = nn.Dropout(dropout)
        self.dropout3 = nn.Dropout(dropout)
        self.attn_dropout = dropout

    def _p(self) -> float:
        return self.attn_dropout if self.training else 0.0

    def memory_kv(self, memory: Tensor) -> KV:
        return project_kv(self.cross_attn, memory)

    def content_kv(self, content_norm: Tensor) -> KV:
        return project_kv(self.self_attn, content_norm)

    def forward_stream(self, tgt: Tensor, tgt_norm: Tensor, content_kv: KV, memory_kv: KV,
                       mask: Optional[Tensor]) -> Tensor:
        tgt = tgt + self.dropout1(attend(self.self_attn, tgt_norm, content_kv, mask, self._p()))
        tgt = tgt + self.dropout2(attend(self.cross_attn, self.norm1(tgt), memory_kv, None,
                                         self._p()))
        ff = self.linear2(self.dropout(F.gelu(self.linear1(self.norm2(tgt)))))
        return tgt + self.dropout3(ff)

    def forward(self, query: Tensor, content: Tensor, memory_kv: KV,
                query_mask: Optional[Tensor] = None, content_mask: Optional[Tensor] = None,
                update_content: bool = True) -> Tuple[Tensor, Tensor]:
        """Masks are additive and already combined with key padding (see ``combine_masks``)."""
        content_norm = self.norm_c(content)
        kv = self.content_kv(content_norm)
        query = self.forward_stream(query, self.norm_q(query), kv, memory_kv, query_mask)
        if update_content:
            content = self.forward_stream(content, content_norm, kv, memory_kv, content_mask)
        return query, content


class TokenEmbedding(nn.Module):

    def __init__(self, num_tokens: int, embed_dim: int):
        super().__init__()
        self.embedding = nn.Embedding(num_tokens, embed_dim)
        self.embed_dim = embed_dim

    def forward(self, tokens: Tensor) -> Tensor:
        return math.sqrt(self.embed_dim) * self.embedding(tokens)


class TwoStreamDecoder(nn.Module):
    """Decoder with token embedding, position queries and classification head.

    Args:
        embed_dim: width (CLIP4STR: the CLIP embedding dim, 512 for ViT-B/16).
        num_heads, mlp_ratio, depth, dropout: layer hyper-parameters (CLIP4STR: 8, 4, 1, 0.1).
        num_tokens: size of the token embedding (the dictionary incl. specials).
        num_classes: outputs of the head.
        num_queries: position queries = max label length + 1 (for EOS).
    """

    def __init__(self, embed_dim: int = 512, num_heads: int = 8, mlp_ratio: int = 4,
                 depth: int = 1, dropout: float = 0.1, num_tokens: int = 97,
                 num_classes: int = 97, num_queries: int = 26):
        super().__init__()
        self.layers = nn.ModuleList(
            TwoStreamDecoderLayer(embed_dim, num_heads, embed_dim * mlp_ratio, dropout)
            for _ in range(depth))
        self.text_embed = TokenEmbedding(num_tokens, embed_dim)
        self.pos_queries = nn.Parameter(torch.empty(1, num_queries, embed_dim))
        self.norm = nn.LayerNorm(embed_dim)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(embed_dim, num_classes)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """The reference's init: truncated normal (std .02) for linear layers and embeddings
        (the attention in-projections keep PyTorch's xavier init), unit LayerNorms."""
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.trunc_normal_(m.weight, std=.02)
                if isinstance(m, nn.Linear) and m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.LayerNorm):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
        nn.init.trunc_normal_(self.pos_queries, std=.02)

    @property
    def num_queries(self) -> int:
        return self.pos_queries.shape[1]

    def prepare_memory(self, memory: Tensor) -> List[KV]:
        """Per-layer key/value projections of the memory; reuse them while memory is fixed."""
        return [layer.memory_kv(memory) for layer in self.layers]

    def embed_content(self, tgt: Tensor, start: int = 0) -> Tensor:
        """Content of tokens ``tgt`` at positions ``start..``: position 0 (BOS) is the null
        context; position i > 0 is ``pos_queries[i - 1] + embed(token_i)``."""
        emb = self.text_embed(tgt)
        n = tgt.shape[1]
        pos = torch.arange(start, start + n, device=tgt.device)
        pos_add = torch.where((pos > 0)[:, None], self.pos_queries[0, (pos - 1).clamp(min=0)],
                              torch.zeros_like(self.pos_queries[0, :1]))
        return self.dropout(emb + pos_add)

    def forward(self, tgt: Tensor, memory: Optional[Tensor] = None,
                query: Optional[Tensor] = None, query_mask: Optional[Tensor] = None,
                content_mask: Optional[Tensor] = None, padding_mask: Optional[Tensor] = None,
                memory_kv: Optional[List[KV]] = None) -> Tuple[Tensor, Tensor]:
        """Full (non-incremental) pass, as in training and refinement.

        Args:
            tgt: (B, L) input tokens, BOS first.
            memory: (B, S, D) encoder features (or pass ``memory_kv`` from prepare_memory).
            query: (B, Lq, D) position queries; default ``pos_queries[:, :L]``.
            query_mask / content_mask: additive (Lq, L) / (L, L) masks.
            padding_mask: (B, L) True for content tokens nobody may attend to.

        Returns:
            logits (B, Lq, num_classes) and the normalised query features (B, Lq, D).
        """
        if memory_kv is None:
            memory_kv = self.prepare_memory(memory)
        n, length = tgt.shape
        content = self.embed_content(tgt)
        if query is None:
            query = self.pos_queries[:, :length].expand(n, -1, -1)
        query = self.dropout(query)
        query_mask = combine_masks(query_mask, padding_mask)
        content_mask = combine_masks(content_mask, padding_mask)
        for i, layer in enumerate(self.layers):
            last = i == len(self.layers) - 1
            query, content = layer(query, content, memory_kv[i], query_mask, content_mask,
                                   update_content=not last)
        query = self.norm(query)
        return self.head(query), query

    @torch.no_grad()
    def decode_ar(self, memory_kv: List[KV], bos_id: int, eos_id: int, pad_id: int,
                  num_steps: int, tgt_in: Optional[Tensor] = None,
                  logit_mask: Optional[Tensor] = None, kv_cache: bool = True,
                  early_stop: bool = True) -> Tuple[Tensor, Tensor]:
        """Greedy autoregressive decoding.

        Args:
            memory_kv: from :meth:`prepare_memory`.
            tgt_in: optional (B, >= num_steps) token buffer; it is overwritten with the
                predictions (the reference reuses one buffer across branches).
            logit_mask: additive (num_classes,) mask applied before argmax (e.g. -inf on BOS
                and PAD, which must never be predicted).
            kv_cache: reuse content keys/values between steps; False recomputes the whole
                prefix at each step (the reference's way; kept as the baseline).
            early_stop: stop once every sequence has produced EOS.

        Returns:
            logits (B, T, C) for the T <= num_steps steps run, and the token buffer.
        """
        batch = memory_kv[0][0].shape[0]
        device = memory_kv[0][0].device
        if tgt_in is None:
            tgt_in = torch.full((batch, num_steps), pad_id, dtype=torch.long, device=device)
        tgt_in[:, 0] = bos_id
        ended = torch.zeros(batch, dtype=torch.bool, device=device)
        cache: List[Optional[KV]] = [None] * len(self.layers)
        logits = []
        for i in range(num_steps):
            query = self.pos_queries[:, i:i + 1].expand(batch, -1, -1)
            if kv_cache:
                step_logits = self._step_cached(tgt_in[:, i:i + 1], i, query, memory_kv, cache)
            else:
                causal = torch.triu(torch.full((i + 1, i + 1), float('-inf'), device=device), 1)
                step_logits, _ = self.forward(tgt_in[:, :i + 1], query=query,
                                              query_mask=causal[i:i + 1], content_mask=causal,
                                              memory_kv=memory_kv)
            logits.append(step_logits)
            if i + 1 < num_steps:
                scores = step_logits[:, 0] if logit_mask is None else step_logits[:, 0] + logit_mask
                tgt_in[:, i + 1] = scores.argmax(-1)
                ended |= tgt_in[:, i + 1] == eos_id
                if early_stop and bool(ended.all()):
                    break
        return torch.cat(logits, dim=1), tgt_in

    def _step_cached(self, token: Tensor, pos: int, query: Tensor, memory_kv: List[KV],
                     cache: List[Optional[KV]]) -> Tensor:
        """One AR step: append the new token's keys/values to each layer's cache, then run the
        query at ``pos`` over the cached prefix (all of it visible: causal order)."""
        content = self.embed_content(token, start=pos)
        for i, layer in enumerate(self.layers):
            content_norm = layer.norm_c(content)
            k, v = layer.content_kv(content_norm)
            if cache[i] is not None:
                k = torch.cat([cache[i][0], k], dim=2)
                v = torch.cat([cache[i][1], v], dim=2)
            cache[i] = (k, v)
            query = layer.forward_stream(query, layer.norm_q(query), (k, v), memory_kv[i], None)
            if i < len(self.layers) - 1:
                content = layer.forward_stream(content, content_norm, (k, v), memory_kv[i], None)
        return self.head(self.norm(query))
