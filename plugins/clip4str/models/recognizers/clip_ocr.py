"""CLIP-OCR (arXiv 2310.04999): a PARSeq-style student trained with symmetrical linguistic
feature distillation from a frozen CLIP teacher."""
from typing import Dict, List, Optional, Sequence

import torch
from mmocr.models.textrecog.recognizers import EncoderDecoderRecognizer
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample
from torch import Tensor

from ...datasets.constants import OPENAI_CLIP_MEAN_255, OPENAI_CLIP_STD_255
from ..distill import CLIPTeacher, DistillHeads, decoder_stages, teacher_dims

LOSS_TERMS = ('image', 'text', 'word')


@MODELS.register_module()
class CLIPOCR(EncoderDecoderRecognizer):
    """Student = :class:`ViTStageEncoder` + a visual-only :class:`CLIP4STRDecoder` trained in the
    canonical order; teacher = frozen CLIP image tower cascaded with the REVERSED text tower.

    Training adds, through the Linguistic Consistency Loss, for each of the first
    ``num_stages - 1`` stages: student encoder stage k <-> teacher image stage k (image tokens),
    student decoder layer k <-> teacher text stage ``num_stages - 1 - k`` (per character
    position), plus the word-level term student class token <-> teacher EOT embedding.

    Args:
        backbone: :class:`ViTStageEncoder` config (with a class token).
        decoder: :class:`CLIP4STRDecoder` config with ``text_encoder=None``, ``depth`` equal to
            the backbone's ``num_stages`` and a ``PSMLoss`` of one (canonical) order.
        teacher: ``dict(arch='ViT-B-16', pretrained=<local CLIP file>, fmt='auto',
            quick_gelu=True, image_size=<student input>)``. Built and loaded on first use
            (``init_weights`` when training starts, or the first loss); never a submodule, so it
            stays out of checkpoints and the optimizer, and inference needs no teacher file.
        distill_loss: LCL config (``LinguisticConsistencyLoss``: 0.1, 5.0, temperature 0.03).
        loss_weights: weights of the ``image``, ``text`` and ``word`` terms (1.0 each).
    """

    def __init__(self,
                 backbone: Dict,
                 decoder: Dict,
                 teacher: Dict,
                 distill_loss: Optional[Dict] = None,
                 loss_weights: Optional[Dict] = None,
                 data_preprocessor: Optional[Dict] = None,
                 init_cfg=None) -> None:
        super().__init__(backbone=backbone, decoder=decoder,
                         data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        dec, psm = self.decoder, self.decoder.module_loss
        if getattr(dec, 'text_encoder', None) is not None or not hasattr(dec, 'visual_decoder'):
            raise ValueError('CLIPOCR needs a CLIP4STRDecoder without text_encoder')
        self.num_stages = self.backbone.num_stages
        if len(dec.visual_decoder.layers) != self.num_stages:
            raise ValueError(f'decoder depth ({len(dec.visual_decoder.layers)}) must equal the '
                             f'backbone num_stages ({self.num_stages})')
        if self.num_stages < 2:
            raise ValueError('CLIPOCR needs num_stages >= 2 (stages 1..n-1 are distilled)')
        if not (psm.perm_forward and psm.max_gen_perms == 1 and not psm.perm_mirrored):
            raise ValueError('CLIPOCR trains the canonical order only: module_loss='
                             "dict(type='PSMLoss', num_perms=1, perm_mirrored=False)")
        if self.backbone.vit.num_prefix_tokens < 1:
            raise ValueError('CLIPOCR distils the class token: ViTStageEncoder(class_token=True)')
        teacher = dict(teacher)
        teacher.setdefault('image_size', tuple(self.backbone.vit.patch_embed.img_size))
        self.teacher_cfg = dict(teacher, num_stages=self.num_stages)
        dims = teacher_dims(teacher['arch'], teacher['image_size'])
        self.heads = DistillHeads(
            self.num_stages - 1, enc_width=self.backbone.embed_dim,
            enc_tokens=self.backbone.num_tokens, dec_width=dec.embed_dim,
            vision_width=dims['vision_width'], image_tokens=dims['image_tokens'],
            text_width=dims['text_width'], embed_dim=dims['embed_dim'])
        self.distill_loss = MODELS.build(distill_loss or dict(type='LinguisticConsistencyLoss'))
        unknown = set(loss_weights or {}) - set(LOSS_TERMS)
        if unknown:
            raise ValueError(f'unknown loss_weights {sorted(unknown)}; use {LOSS_TERMS}')
        self.loss_weights = dict(dict.fromkeys(LOSS_TERMS, 1.0), **(loss_weights or {}))
        self.__dict__['_teacher'] = None  # not a submodule: see the class docstring

    # ------------------------------------------------------------------ teacher
    def get_teacher(self, device: Optional[torch.device] = None) -> CLIPTeacher:
        teacher = self.__dict__['_teacher']
        if teacher is None:
            teacher = self.__dict__['_teacher'] = CLIPTeacher(**self.teacher_cfg)
        return teacher.to(device) if device is not None else teacher

    def init_weights(self) -> None:
        super().init_weights()
        self.get_teacher()  # fail at the start of training, not at the first iteration

    def clip_inputs(self, inputs: Tensor) -> Tensor:
        """The student's normalised batch re-normalised with CLIP's mean/std."""
        pre = self.data_preprocessor
        if getattr(pre, '_enable_normalize', False):
            inputs = inputs * pre.std + pre.mean
        mean = inputs.new_tensor(OPENAI_CLIP_MEAN_255).view(1, -1, 1, 1)
        std = inputs.new_tensor(OPENAI_CLIP_STD_255).view(1, -1, 1, 1)
        return (inputs - mean) / std

    def _labels(self, tgt: Tensor) -> List[str]:
        """The (dictionary-mapped, truncated) labels in the target rows."""
        d = self.decoder.dictionary
        out = []
        for row in tgt[:, 1:].tolist():
            row = row[:row.index(d.end_idx)] if d.end_idx in row else row
            out.append(d.idx2str(row))
        return out

    # ------------------------------------------------------------------ training
    def loss(self, inputs: Tensor, data_samples: Sequence[TextRecogDataSample],
             **kwargs) -> Dict[str, Tensor]:
        stages = self.backbone.forward_stages(inputs)
        feat = stages[-1]
        dec, psm = self.decoder, self.decoder.module_loss
        tgt = psm.batch_targets(data_samples, feat.device)
        tgt_in = tgt[:, :-1]
        padding_mask = (tgt_in == dec.pad_id) | (tgt_in == dec.eos_id)
        content_mask, query_mask = psm.attn_masks(torch.arange(tgt.shape[1], device=tgt.device))
        dec_stages = decoder_stages(dec.visual_decoder, tgt_in, feat, query_mask, content_mask,
                                    padding_mask)
        logits = dec.visual_decoder.head(dec_stages[-1])
        losses = dict(loss_ce=psm(dict(targets=tgt, logits=[(logits, None)]))['loss_visual'])

        teacher = self.get_teacher(inputs.device)
        with torch.no_grad():
            t_image = teacher.image_stages(self.clip_inputs(inputs))
            tokens = teacher.tokens(self._labels(tgt), tgt.shape[1]).to(inputs.device)
            t_text, t_word = teacher.text_stages(tokens)
        t_text = t_text[::-1]  # the reversed text tower: decoder layer 1 <-> last text stage
        heads, lcl, w = self.heads, self.distill_loss, self.loss_weights
        pairs = range(self.num_stages - 1)
        losses['loss_kd_image'] = w['image'] * sum(
            lcl(*heads.image_pair(i, stages[i], t_image[i])) for i in pairs)
        losses['loss_kd_text'] = w['text'] * sum(
            lcl(*heads.text_pair(i, dec_stages[i], t_text[i])) for i in pairs)
        losses['loss_kd_word'] = w['word'] * lcl(heads.word(feat[:, 0]), t_word)
        return losses
