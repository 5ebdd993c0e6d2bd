from .clip_image_encoder import CLIPImageEncoder
from .clip_text_encoder import CLIPTextEncoder
from .vit_stage_encoder import ViTStageEncoder

__all__ = ['CLIPImageEncoder', 'CLIPTextEncoder', 'ViTStageEncoder']
