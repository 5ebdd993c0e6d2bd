"""CLIP4STR's decoder: the visual branch, the cross-modal branch, PSM training and the dual
predict-and-refine inference, as an MMOCR decoder."""
from typing import Dict, List, Optional, Sequence, Tuple

import torch
from mmocr.models.textrecog.decoders import BaseDecoder
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample
from torch import Tensor

from ..clip.tokenizer import DEFAULT_CAPTION_CHARSET, CaptionTokenizer
from .two_stream import KV, TwoStreamDecoder

DECODE_MODES = ('ar', 'nar')
BRANCHES = ('cross', 'visual')
CAPTION_CUTS = ('eos', 'literal')
REFERENCE_EOS = '[E]'  # the reference's EOS token, as a string


@MODELS.register_module()
class CLIP4STRDecoder(BaseDecoder):
    """Visual decoder + cross-modal branch (CLIP text encoder + cross-modal decoder).

    Args:
        dictionary: MMOCR ``Dictionary`` config with distinct start/end tokens and padding.
        text_encoder: config of the CLIP text encoder (:class:`CLIPTextEncoder`); ``None`` builds
            a visual-branch-only recognizer (PARSeq-like).
        num_heads, mlp_ratio, depth, dropout: decoder layers (CLIP4STR: 8, 4, 1, 0.1). The width
            is the CLIP embedding dim (the text encoder's, or ``embed_dim`` without one).
        max_seq_len: maximum label length (25); the decoders get ``max_seq_len + 1`` queries.
        caption_charset / caption_lowercase: how the visual prediction becomes the CLIP caption
            (reference: lower case, alphanumerics only).
        caption_cut: where the caption ends: ``'eos'`` (default: at the first EOS id) or
            ``'literal'`` (the reference: the prediction joined to a string with EOS spelled
            ``[E]``, cut at the first ``[E]``, so the characters ``[``, ``E``, ``]`` in a row
            also end the caption).
        decode_mode: ``'ar'`` (autoregressive, default) or ``'nar'`` (one parallel pass).
        refine_iters: cloze-mask refinement passes (reference: 1).
        output_branch: ``'cross'`` (the cross-modal decoder's prediction, default) or
            ``'visual'`` (visual branch only; the cross-modal branch is skipped at inference).
        kv_cache: reuse keys/values during AR decoding and stop the cross branch once every
            sequence has ended. ``False`` computes as the reference does (the whole prefix and
            the memory projections recomputed at every step, the cross branch run for its full
            step budget): same results to float rounding, slower. It does not change the step
            budget: decoding as the reference also needs ``cross_steps='visual'``.
        cross_steps: the cross branch's AR step budget: ``'all'`` (default: ``max_seq_len + 1``,
            so a crop's reading never depends on the other crops of its batch) or ``'visual'``
            (the reference: as many steps as the batch's visual pass took, which stops when every
            sequence of the BATCH has ended, so readings can change with batch composition).
    """

    def __init__(self,
                 dictionary: Dict,
                 text_encoder: Optional[Dict] = None,
                 embed_dim: Optional[int] = None,
                 num_heads: int = 8,
                 mlp_ratio: int = 4,
                 depth: int = 1,
                 dropout: float = 0.1,
                 max_seq_len: int = 25,
                 caption_charset: str = DEFAULT_CAPTION_CHARSET,
                 caption_lowercase: bool = True,
                 caption_cut: str = 'eos',
                 decode_mode: str = 'ar',
                 refine_iters: int = 1,
                 output_branch: str = 'cross',
                 kv_cache: bool = True,
                 cross_steps: str = 'all',
                 module_loss: Optional[Dict] = None,
                 postprocessor: Optional[Dict] = None,
                 init_cfg=None) -> None:
        super().__init__(dictionary=dictionary, module_loss=module_loss,
                         postprocessor=postprocessor, max_seq_len=max_seq_len, init_cfg=init_cfg)
        d = self.dictionary
        if d.start_idx is None or d.end_idx is None or d.start_idx == d.end_idx \
                or d.padding_idx is None:
            raise ValueError('CLIP4STRDecoder needs a Dictionary with with_start=True, '
                             'with_end=True, same_start_end=False, with_padding=True')
        if decode_mode not in DECODE_MODES:
            raise ValueError(f'decode_mode must be one of {DECODE_MODES}, got {decode_mode!r}')
        if output_branch not in BRANCHES:
            raise ValueError(f'output_branch must be one of {BRANCHES}, got {output_branch!r}')
        if cross_steps not in ('all', 'visual'):
            raise ValueError(f"cross_steps must be 'all' or 'visual', got {cross_steps!r}")
        if caption_cut not in CAPTION_CUTS:
            raise ValueError(f'caption_cut must be one of {CAPTION_CUTS}, got {caption_cut!r}')
        self.bos_id, self.eos_id, self.pad_id = d.start_idx, d.end_idx, d.padding_idx

        self.text_encoder = MODELS.build(text_encoder) if text_encoder is not None else None
        if self.text_encoder is not None:
            embed_dim = self.text_encoder.embed_dim
            self.tokenizer = CaptionTokenizer(self.text_encoder.context_length, caption_charset,
                                              caption_lowercase)
        elif embed_dim is None:
            raise ValueError('embed_dim is required when there is no text_encoder')
        if output_branch == 'cross' and self.text_encoder is None:
            output_branch = 'visual'
        self.embed_dim = embed_dim

        def make_decoder():
            return TwoStreamDecoder(embed_dim, num_heads, mlp_ratio, depth, dropout,
                                    num_tokens=d.num_classes, num_classes=d.num_classes,
                                    num_queries=max_seq_len + 1)

        self.visual_decoder = make_decoder()
        self.cross_decoder = make_decoder() if self.text_encoder is not None else None

        self.decode_mode = decode_mode
        self.refine_iters = refine_iters
        self.output_branch = output_branch
        self.kv_cache = kv_cache
        self.cross_steps = cross_steps
        self.caption_cut = caption_cut
        # never predicted: BOS and PAD (the reference's head has no outputs for them)
        logit_mask = torch.zeros(d.num_classes)
        logit_mask[[self.bos_id, self.pad_id]] = float('-inf')
        self.register_buffer('logit_mask', logit_mask, persistent=False)
        # token id -> character for captions ('' for special tokens)
        self._id2char = [c if i < len(d.dict) and i not in (self.bos_id, self.eos_id,
                                                             self.pad_id) else ''
                         for i, c in enumerate(d.dict)]

    # ------------------------------------------------------------------ cross-modal memory
    def decode_ids(self, logits: Tensor) -> List[str]:
        """Greedy strings of a batch of logits, cut at the first EOS (for captions); with
        ``caption_cut='literal'`` also at the first ``[E]`` spelled out in characters."""
        ids = (logits.detach() + self.logit_mask.to(logits.dtype)).argmax(-1).tolist()
        texts = []
        for row in ids:
            if self.eos_id in row:
                row = row[:row.index(self.eos_id)]
            text = ''.join(self._id2char[i] for i in row)
            if self.caption_cut == 'literal':
                # joining EOS as '[E]' and cutting at the first '[E]' cuts at the same place
                # as the EOS id unless the characters spell '[E]' earlier
                text = text.partition(REFERENCE_EOS)[0]
            texts.append(text)
        return texts

    def text_features(self, logits: Tensor) -> Tensor:
        """CLIP text features (B, context_length, D) of the captions read from ``logits``;
        logits are detached (stop-gradient), the trainable text blocks do get gradients."""
        return self._encode_captions(self.decode_ids(logits), logits.device)

    def _encode_captions(self, captions: List[str], device) -> Tensor:
        return self.text_encoder(self.tokenizer(captions).to(device))

    def cross_memory(self, logits: Tensor, feat: Tensor) -> Tensor:
        """concat(detached image features, caption features) along the sequence."""
        return torch.cat([feat.detach(), self.text_features(logits)], dim=1)

    def cross_memory_kv(self, logits: Tensor, image_kv: List[KV]) -> List[KV]:
        """Per-layer K/V of concat(image features, caption features) along the sequence.

        ``image_kv`` holds the cross decoder's projections of the DETACHED image features; the
        projection is per token, so the image part is computed once and reused.
        """
        return self._with_image_kv(
            image_kv, self.cross_decoder.prepare_memory(self.text_features(logits)))

    @staticmethod
    def _with_image_kv(image_kv: List[KV], text_kv: List[KV]) -> List[KV]:
        return [(torch.cat([ik, tk], dim=2), torch.cat([iv, tv], dim=2))
                for (ik, iv), (tk, tv) in zip(image_kv, text_kv)]

    def caption_kv(self, logits: Tensor, cache: Optional[Tuple[List[str], List[KV]]] = None
                   ) -> Tuple[List[str], List[KV]]:
        """Captions of ``logits`` and the cross decoder's K/V of their CLIP text features.

        With ``cache`` (the captions and K/V of an earlier pass), only the rows whose caption
        changed go through the text encoder again: after refinement most captions are the same,
        and the text encoder (12 blocks in ViT-B/16) is a large part of decoding.
        """
        captions = self.decode_ids(logits)
        if cache is None:
            return captions, self.cross_decoder.prepare_memory(
                self._encode_captions(captions, logits.device))
        old_captions, old_kv = cache
        changed = [i for i, (a, b) in enumerate(zip(captions, old_captions)) if a != b]
        if not changed:
            return captions, old_kv
        new_kv = self.cross_decoder.prepare_memory(
            self._encode_captions([captions[i] for i in changed], logits.device))
        rows = torch.as_tensor(changed, device=logits.device)
        return captions, [(k.index_copy(0, rows, nk), v.index_copy(0, rows, nv))
                          for (k, v), (nk, nv) in zip(old_kv, new_kv)]

    # ------------------------------------------------------------------ training (PSM)
    def forward_train(self, feat: Tensor, out_enc: Optional[Tensor] = None,
                      data_samples: Sequence[TextRecogDataSample] = None) -> Dict:
        """Run both decoders over every PSM order; ``feat`` (B, N, D) are the image tokens."""
        loss = self.module_loss
        tgt = loss.batch_targets(data_samples, feat.device)
        perms = loss.permutations(tgt)
        tgt_in = tgt[:, :-1]
        # EOS is never context for anything; padding is not either
        padding_mask = (tgt_in == self.pad_id) | (tgt_in == self.eos_id)
        vis_kv = self.visual_decoder.prepare_memory(feat)
        img_kv = (self.cross_decoder.prepare_memory(feat.detach())
                  if self.cross_decoder is not None else None)
        outputs = []
        for perm in perms:
            content_mask, query_mask = loss.attn_masks(perm)
            vis, _ = self.visual_decoder(tgt_in, query_mask=query_mask, content_mask=content_mask,
                                         padding_mask=padding_mask, memory_kv=vis_kv)
            cross = None
            if self.cross_decoder is not None:
                # ground-truth context, same order and masks as the visual decoder
                cross, _ = self.cross_decoder(tgt_in, query_mask=query_mask,
                                              content_mask=content_mask,
                                              padding_mask=padding_mask,
                                              memory_kv=self.cross_memory_kv(vis, img_kv))
            outputs.append((vis, cross))
        return dict(targets=tgt, logits=outputs)

    def loss(self, feat: Tensor = None, out_enc: Tensor = None,
             data_samples: Sequence[TextRecogDataSample] = None) -> Dict:
        return self.module_loss(self.forward_train(feat, out_enc, data_samples), data_samples)

    # ------------------------------------------------------------------ inference
    def forward_test(self, feat: Tensor, out_enc: Optional[Tensor] = None,
                     data_samples: Optional[Sequence[TextRecogDataSample]] = None) -> Tensor:
        """Character probabilities (B, T, C) of the configured branch after refinement."""
        return (self.predict_logits(feat) + self.logit_mask.to(feat.dtype)).softmax(-1)

    @torch.no_grad()
    def predict_logits(self, feat: Tensor) -> Tensor:
        """The dual predict-and-refine procedure.

        1. visual decoder: AR greedy (or NAR), stopping once every sequence has EOS;
        2. cross branch: caption of that prediction through CLIP's text encoder, memory =
           concat(image, text features); cross decoder decodes AR with its own predictions;
        3. ``refine_iters`` cloze-mask passes: visual decoder over its own prediction, cross
           memory recomputed from the refined visual prediction, cross decoder over its own.
        Returns the cross decoder's logits (or the visual ones with ``output_branch='visual'``).
        """
        num_steps = self.max_seq_len + 1
        fast = self.kv_cache
        vis_kv = self.visual_decoder.prepare_memory(feat)
        vis, tgt_in = self._first_pass(self.visual_decoder, vis_kv, num_steps, None, True,
                                       None if fast else feat)
        use_cross = self.output_branch == 'cross'
        if use_cross:
            img_kv = self.cross_decoder.prepare_memory(feat)
            if fast:
                caption_cache = self.caption_kv(vis)
                cross_kv, memory = self._with_image_kv(img_kv, caption_cache[1]), None
            else:
                memory = self.cross_memory(vis, feat)
                cross_kv = self.cross_decoder.prepare_memory(memory)
            steps = num_steps if self.cross_steps == 'all' else vis.shape[1]
            buffer = None if self.cross_steps == 'all' else tgt_in  # the reference reuses it
            cross, _ = self._first_pass(self.cross_decoder, cross_kv, steps, buffer, fast,
                                        memory)
        for _ in range(self.refine_iters):
            vis = self._refine(self.visual_decoder, vis, vis_kv, num_steps)
            if use_cross:
                if fast:
                    caption_cache = self.caption_kv(vis, caption_cache)
                    cross_kv = self._with_image_kv(img_kv, caption_cache[1])
                else:
                    cross_kv = self.cross_memory_kv(vis, img_kv)
                cross = self._refine(self.cross_decoder, cross, cross_kv, num_steps)
        return cross if use_cross else vis

    def _first_pass(self, decoder: TwoStreamDecoder, memory_kv: List[KV], num_steps: int,
                    tgt_in: Optional[Tensor], early_stop: bool, memory: Optional[Tensor] = None):
        batch = memory_kv[0][0].shape[0]
        if self.decode_mode == 'ar':
            return decoder.decode_ar(memory_kv, self.bos_id, self.eos_id, self.pad_id, num_steps,
                                     tgt_in=tgt_in, logit_mask=self.logit_mask,
                                     kv_cache=self.kv_cache, early_stop=early_stop,
                                     memory=memory)
        bos = torch.full((batch, 1), self.bos_id, dtype=torch.long,
                         device=memory_kv[0][0].device)
        query = decoder.pos_queries[:, :num_steps].expand(batch, -1, -1)
        logits, _ = decoder(bos, query=query, memory_kv=memory_kv)
        return logits, None

    def _refine(self, decoder: TwoStreamDecoder, logits: Tensor, memory_kv: List[KV],
                num_steps: int) -> Tensor:
        """One cloze pass: every position sees all context tokens except its own."""
        batch = logits.shape[0]
        bos = torch.full((batch, 1), self.bos_id, dtype=torch.long, device=logits.device)
        prev = (logits[:, :-1] + self.logit_mask.to(logits.dtype)).argmax(-1)
        tgt_in = torch.cat([bos, prev], dim=1)
        padding_mask = (tgt_in == self.eos_id).cumsum(-1) > 0  # nothing after the first EOS
        cloze = cloze_mask(num_steps, logits.device)
        length = tgt_in.shape[1]
        query = decoder.pos_queries[:, :num_steps].expand(batch, -1, -1)
        refined, _ = decoder(tgt_in, query=query, query_mask=cloze[:, :length],
                             content_mask=cloze[:length, :length], padding_mask=padding_mask,
                             memory_kv=memory_kv)
        return refined


def cloze_mask(size: int, device=None) -> Tensor:
    """Additive mask where query i sees every content position except i + 1 (its own token)."""
    mask = torch.zeros(size, size, device=device)
    idx = torch.arange(size - 1, device=device)
    mask[idx, idx + 1] = float('-inf')
    return mask
