"""CLIP-OCR's symmetrical linguistic feature distillation (arXiv 2310.04999): a frozen CLIP
teacher and the heads that align a PARSeq-style student with it."""
from .align_heads import DistillHeads
from .clip_teacher import CLIPTeacher, crop_pos_embed, teacher_dims
from .stages import decoder_stages

__all__ = ['CLIPTeacher', 'DistillHeads', 'crop_pos_embed', 'decoder_stages', 'teacher_dims']
