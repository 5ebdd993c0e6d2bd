"""The CLIP4STR recognizer: CLIP image encoder (backbone) + CLIP4STR decoder."""
import logging
from typing import Dict, Optional

from mmengine.logging import print_log
from mmocr.models.textrecog.recognizers import EncoderDecoderRecognizer
from mmocr.registry import MODELS
from torch import Tensor

from ..clip.weights import (load_clip_state_dict, reference_fp16_names, round_to_fp16,
                            split_towers)
from ..losses.ctc_aux import CTCAuxHead
from .reference_parity import ParityType, apply_reference_parity, parity_options


@MODELS.register_module()
class CLIP4STR(EncoderDecoderRecognizer):
    """CLIP4STR (arXiv 2305.14014) in MMOCR.

    Args:
        backbone: :class:`CLIPImageEncoder` config.
        decoder: :class:`CLIP4STRDecoder` config (it owns the CLIP text encoder).
        clip_pretrained: optional local CLIP weight file (OpenAI ``.pt`` TorchScript or state
            dict, OpenCLIP checkpoint, or a reference CLIP4STR checkpoint) loaded into both
            towers by :meth:`init_weights` (i.e. when training starts). Without it the towers
            keep their random init: every variant builds from its config alone.
        clip_format: ``'auto'``, ``'openai'``, ``'openclip'`` or ``'clip4str'``.
        aux_ctc: optional ``dict(weight=1.0, upsample=2)``: an auxiliary CTC loss on the image
            encoder's patch columns (:class:`CTCAuxHead`), a training aid for models trained
            from scratch; ``loss_ctc`` joins the losses and prediction does not use it.
        reference_parity: ``True`` reads exactly as the reference CLIP4STR's test script
            (0.5/0.5 normalisation, its cross-branch step budget, no 25-character cap), for
            released checkpoints converted with ``tools/convert_ckpt.py``; a dict also opts in
            to ``literal_caption_cut`` and ``fp16_clip_weights``. An inference setting: the
            reference trained with CLIP's mean/std. See :mod:`.reference_parity`.
    """

    def __init__(self,
                 backbone: Dict,
                 decoder: Dict,
                 data_preprocessor: Optional[Dict] = None,
                 clip_pretrained: Optional[str] = None,
                 clip_format: str = 'auto',
                 aux_ctc: Optional[Dict] = None,
                 reference_parity: ParityType = False,
                 preprocessor: Optional[Dict] = None,
                 encoder: Optional[Dict] = None,
                 init_cfg=None) -> None:
        parity = parity_options(reference_parity)
        if parity is not None:
            data_preprocessor, decoder = apply_reference_parity(data_preprocessor, decoder,
                                                                parity)
        super().__init__(preprocessor=preprocessor, backbone=backbone, encoder=encoder,
                         decoder=decoder, data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        img_dim = getattr(self.backbone, 'embed_dim', None)
        if img_dim is not None and img_dim != self.decoder.embed_dim:
            raise ValueError(f'image features are {img_dim}-d but the decoders are '
                             f'{self.decoder.embed_dim}-d: use the same CLIP arch for backbone and '
                             'text encoder')
        self.clip_pretrained = clip_pretrained
        self.clip_format = clip_format
        self.reference_parity = parity
        self.aux_ctc = None
        if aux_ctc is not None:
            grid = self.backbone.visual.grid_size
            self.aux_ctc = CTCAuxHead(self.decoder.embed_dim, self.decoder.dictionary, grid,
                                      **aux_ctc)

    def loss(self, inputs: Tensor, data_samples, **kwargs) -> Dict[str, Tensor]:
        feat = self.extract_feat(inputs)
        out_enc = self.encoder(feat, data_samples) if self.with_encoder else None
        losses = self.decoder.loss(feat, out_enc, data_samples)
        if self.aux_ctc is not None:
            losses['loss_ctc'] = self.aux_ctc(feat, data_samples)
        return losses

    def init_weights(self) -> None:
        super().init_weights()
        if self.clip_pretrained:
            self.load_clip(self.clip_pretrained, self.clip_format)

    def load_clip(self, path: str, fmt: str = 'auto') -> None:
        """Load CLIP weights from a local file into the image and text towers."""
        visual, text = split_towers(load_clip_state_dict(path, fmt))
        if self.reference_parity and self.reference_parity['fp16_clip_weights']:
            visual = round_to_fp16(visual, reference_fp16_names(self.backbone.visual))
            if self.decoder.text_encoder is not None:
                text = round_to_fp16(text, reference_fp16_names(self.decoder.text_encoder.text))
        self.backbone.load_clip_weights(visual, path)
        if self.decoder.text_encoder is not None:
            self.decoder.text_encoder.load_clip_weights(text, path)
        print_log(f'loaded CLIP weights from {path}', logger='current', level=logging.INFO)
