"""An independent re-implementation of the reference CLIP4STR's inference (mzhaoshuai/CLIP4STR,
commit 46a5cdf: ``strhub/models/vl_str/{system,modules}.py``, ``strhub/data/utils.py``), written
from its documented behaviour for the parity tests. It shares no decoding code with the plugin:
the decoders run on ``nn.MultiheadAttention`` with boolean key padding masks, token ids follow
the reference's ``[E]`` + charset + ``[B]`` + ``[P]`` layout, the heads have 95 outputs, and
captions and texts are read from strings as the reference does. The CLIP towers are passed in
(the outside check matched them to the reference to ~1e-6).
"""
import math
import re
from typing import Callable, List, Tuple

import open_clip
import torch
import torch.nn.functional as F
from torch import Tensor, nn

EOS, BOS, PAD = '[E]', '[B]', '[P]'
CAPTION_CHARSET = '0123456789abcdefghijklmnopqrstuvwxyz'  # the test script's default


class RefDecoderLayer(nn.Module):

    def __init__(self, d, heads, ff):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.linear1, self.linear2 = nn.Linear(d, ff), nn.Linear(ff, d)
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.norm_q, self.norm_c = nn.LayerNorm(d), nn.LayerNorm(d)

    def stream(self, tgt, tgt_norm, tgt_kv, memory, mask, pad):
        tgt = tgt + self.self_attn(tgt_norm, tgt_kv, tgt_kv, attn_mask=mask,
                                   key_padding_mask=pad)[0]
        tgt = tgt + self.cross_attn(self.norm1(tgt), memory, memory)[0]
        return tgt + self.linear2(F.gelu(self.linear1(self.norm2(tgt))))

    def forward(self, query, content, memory, query_mask, content_mask, pad, update_content):
        content_norm = self.norm_c(content)
        query = self.stream(query, self.norm_q(query), content_norm, memory, query_mask, pad)
        if update_content:
            content = self.stream(content, content_norm, content_norm, memory, content_mask, pad)
        return query, content


class RefDecoder(nn.Module):
    """PARSeq's decoder with the reference's parameter names (``text_embed.embedding``,
    ``pos_queries``, ``head`` over [E] + charset)."""

    def __init__(self, d, heads, mlp_ratio, depth, num_tokens, num_classes, num_queries):
        super().__init__()
        self.layers = nn.ModuleList(RefDecoderLayer(d, heads, d * mlp_ratio)
                                    for _ in range(depth))
        self.text_embed = nn.Module()
        self.text_embed.embedding = nn.Embedding(num_tokens, d)
        self.pos_queries = nn.Parameter(torch.zeros(1, num_queries, d))
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, num_classes)

    def forward(self, tgt, memory, query, query_mask=None, content_mask=None, pad=None):
        d = self.pos_queries.shape[-1]
        emb = math.sqrt(d) * self.text_embed.embedding(tgt)
        length = tgt.shape[1]
        content = torch.cat([emb[:, :1], self.pos_queries[:, :length - 1] + emb[:, 1:]], dim=1)
        for i, layer in enumerate(self.layers):
            query, content = layer(query, content, memory, query_mask, content_mask, pad,
                                   i < len(self.layers) - 1)
        return self.head(self.norm(query))


class RefTokenizer:
    """``strhub.data.utils.Tokenizer``: [E] first, the charset, then [B] and [P]."""

    def __init__(self, charset: str):
        self.itos = (EOS,) + tuple(charset) + (BOS, PAD)
        self.eos_id, self.bos_id, self.pad_id = 0, len(charset) + 1, len(charset) + 2

    def decode(self, probs: Tensor) -> Tuple[List[str], List[Tensor]]:
        """Final read-out: ids up to the first EOS id, probabilities incl. the EOS one."""
        texts, confs = [], []
        for dist in probs:
            p, ids = dist.max(-1)
            ids = ids.tolist()
            end = ids.index(self.eos_id) if self.eos_id in ids else len(ids)
            texts.append(''.join(self.itos[i] for i in ids[:end]))
            confs.append(p[:end + 1])
        return texts, confs

    def captions(self, logits: Tensor, lowercase_charset: str = CAPTION_CHARSET) -> List[str]:
        """``decode_fast`` + ``CharsetAdapter``: the joined string cut at the literal '[E]',
        lower-cased, characters outside the test charset dropped."""
        unsupported = f'[^{re.escape(lowercase_charset)}]'
        out = []
        for ids in logits.softmax(-1).max(-1)[1].tolist():
            text = ''.join(self.itos[i] for i in ids).partition(EOS)[0]
            out.append(re.sub(unsupported, '', text.lower()))
        return out


class RefCLIP4STR:
    """``VL4STR.forward`` at test time (AR decoding, refine_iters=1) and the test script's
    read-out. ``encode_image(images)`` -> (B, N, D); ``encode_text(tokens)`` -> (B, 16, D)."""

    def __init__(self, encode_image: Callable, encode_text: Callable, visual: RefDecoder,
                 cross: RefDecoder, tokenizer: RefTokenizer, context_length: int = 16):
        self.encode_image, self.encode_text = encode_image, encode_text
        self.visual, self.cross, self.tok = visual, cross, tokenizer
        self.context_length = context_length

    def cross_memory(self, logits, image_feat):
        captions = self.tok.captions(logits)
        text = open_clip.tokenize(captions, context_length=self.context_length)
        return torch.cat([image_feat, self.encode_text(text)], dim=1)

    @torch.no_grad()
    def forward(self, images: Tensor, refine_iters: int = 1) -> Tensor:
        bs = images.shape[0]
        num_steps = self.visual.pos_queries.shape[1]
        memory = self.encode_image(images)
        vis_q = self.visual.pos_queries[:, :num_steps].expand(bs, -1, -1)
        crs_q = self.cross.pos_queries[:, :num_steps].expand(bs, -1, -1)
        # one tensor for both masks, as the reference (the refinement edits it in place)
        content_mask = query_mask = torch.triu(torch.full((num_steps, num_steps),
                                                          float('-inf')), 1)
        tgt_in = torch.full((bs, num_steps), self.tok.pad_id, dtype=torch.long)
        tgt_in[:, 0] = self.tok.bos_id
        logits = []
        for i in range(num_steps):
            j = i + 1
            p_i = self.visual(tgt_in[:, :j], memory, vis_q[:, i:j], query_mask[i:j, :j],
                              content_mask[:j, :j])
            logits.append(p_i)
            if j < num_steps:
                tgt_in[:, j] = p_i.squeeze().argmax(-1)
                if (tgt_in == self.tok.eos_id).any(dim=-1).all():
                    break
        logits = torch.cat(logits, dim=1)
        # the cross branch: as many steps as the visual pass took, the same token buffer
        crs_num_steps = logits.shape[1]
        cross_memory = self.cross_memory(logits, memory)
        cross_logits = []
        for i in range(crs_num_steps):
            j = i + 1
            p_i = self.cross(tgt_in[:, :j], cross_memory, crs_q[:, i:j], query_mask[i:j, :j],
                             content_mask[:j, :j])
            cross_logits.append(p_i)
            if j < crs_num_steps:
                tgt_in[:, j] = p_i.squeeze().argmax(-1)
        cross_logits = torch.cat(cross_logits, dim=1)
        query_mask[torch.triu(torch.ones(num_steps, num_steps, dtype=torch.bool), 2)] = 0
        bos = torch.full((bs, 1), self.tok.bos_id, dtype=torch.long)
        for _ in range(refine_iters):
            tgt_in = torch.cat([bos, logits[:, :-1].argmax(-1)], dim=1)
            pad = (tgt_in == self.tok.eos_id).cumsum(-1) > 0
            logits = self.visual(tgt_in, memory, vis_q, query_mask[:, :tgt_in.shape[1]],
                                 content_mask, pad)
            tgt_in = torch.cat([bos, cross_logits[:, :-1].argmax(-1)], dim=1)
            pad = (tgt_in == self.tok.eos_id).cumsum(-1) > 0
            cross_logits = self.cross(tgt_in, self.cross_memory(logits, memory), crs_q,
                                      query_mask[:, :tgt_in.shape[1]], content_mask, pad)
        return cross_logits

    def read(self, images: Tensor) -> Tuple[List[str], List[Tensor]]:
        """What the test script scores: texts and per-character (+ EOS) probabilities."""
        return self.tok.decode(self.forward(images).softmax(-1))


def reference_test_transform(images_bgr: Tensor) -> Tensor:
    """``ToTensor`` + ``Normalize(0.5, 0.5)`` of RGB uint8 images (B, 3, H, W given as BGR, as
    MMOCR loads them)."""
    return (images_bgr.flip(1).float() / 255 - 0.5) / 0.5
