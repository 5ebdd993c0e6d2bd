"""Resize to the CLIP input size, aspect ratio not kept (the reference's ``T.Resize(img_size,
BICUBIC)`` on a PIL image)."""
from typing import Sequence

from mmocr.datasets.transforms import Resize
from mmocr.registry import TRANSFORMS


@TRANSFORMS.register_module()
class CLIPResize(Resize):
    """MMOCR's ``Resize`` to a fixed ``img_size = (height, width)`` with Pillow's bicubic filter.

    Pillow (not OpenCV) because Pillow's bicubic antialiases when shrinking, as the reference's
    torchvision resize on PIL images does; OpenCV's does not.

    Args:
        img_size: (height, width), e.g. (224, 224) for ViT-B/16, (32, 128) for a small variant.
        interpolation: any Pillow filter name mmcv knows; 'bicubic' as in the reference.
    """

    def __init__(self, img_size: Sequence[int] = (224, 224), interpolation: str = 'bicubic'):
        if len(img_size) != 2 or min(img_size) < 1:
            raise ValueError(f'img_size must be (height, width), got {img_size}')
        self.img_size = tuple(int(s) for s in img_size)
        height, width = self.img_size
        super().__init__(scale=(width, height), keep_ratio=False, backend='pillow',
                         interpolation=interpolation)

    def __repr__(self):
        return (f'{self.__class__.__name__}(img_size={self.img_size}, '
                f'interpolation={self.interpolation})')
