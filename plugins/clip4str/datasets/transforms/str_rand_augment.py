"""The STR RandAugment of PARSeq / CLIP4STR, built on timm's RandAugment.

Reference recipe (PARSeq ``strhub/data/augment.py``, used unchanged by CLIP4STR): timm's
"increasing" RandAugment op set without Sharpness (it interferes with the blur), plus GaussianBlur
and PoissonNoise; magnitude 5 of 10, 3 distinct ops per image, each applied with probability 0.5.
Geometric ops are re-scaled for text; at magnitude M an op uses ``M / 10`` of its maximum, with a
random sign:

- Rotate: up to ``rotate_deg`` = 30 degrees (15 at M=5), canvas expanded so no character is cut;
- ShearX / ShearY: shear factor up to ``shear_x_pct`` = 0.9 / ``shear_y_pct`` = 0.2 (0.45 / 0.1);
- TranslateXRel / TranslateYRel: shift up to ``translate_x_pct`` = 0.1 of the width /
  ``translate_y_pct`` = 0.3 of the height (0.05 / 0.15 at M=5);
- GaussianBlur: radius ``4 * M / 10`` (2 at M=5), capped at 2% of the longer side, rounded, >= 1;
- PoissonNoise: lambda ``40 * M / 10`` (20 at M=5), capped at 20% of the longer side, rounded to
  an odd value; signed Poisson noise, one value per pixel shared by the channels (imgaug's
  ``AdditivePoissonNoise``).

The text-specific ops are added to timm's op tables under new ``STR*`` names, so timm's own ops
keep their behaviour for any other user of timm. Randomness comes from ``random`` and
``numpy.random`` (as in timm), both seeded by MMEngine per worker.
"""
import random
from functools import partial
from typing import Optional

import numpy as np
from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS
from PIL import Image, ImageFilter
from timm.data import auto_augment as timm_aa

# Reference hyper-parameters: the maxima reached at magnitude 10.
STR_HPARAMS = dict(rotate_deg=30, shear_x_pct=0.9, shear_y_pct=0.2,
                   translate_x_pct=0.10, translate_y_pct=0.30)

# timm's increasing RandAugment set, Sharpness removed, text variants of the geometric ops,
# blur and noise appended; order as in the reference (it fixes which op a random draw picks).
STR_RAND_OPS = (
    'AutoContrast', 'Equalize', 'Invert', 'STRRotate', 'PosterizeIncreasing',
    'SolarizeIncreasing', 'SolarizeAdd', 'ColorIncreasing', 'ContrastIncreasing',
    'BrightnessIncreasing', 'STRShearX', 'STRShearY', 'STRTranslateXRel', 'STRTranslateYRel',
    'STRGaussianBlur', 'STRPoissonNoise')


def _signed_level(level, hparams, key, default):
    """``level / 10`` of ``hparams[key]``, negated with probability 0.5."""
    value = level / timm_aa._LEVEL_DENOM * hparams.get(key, default)
    return (-value if random.random() > 0.5 else value),


def _level(level, _hparams, maximum):
    return level / timm_aa._LEVEL_DENOM * maximum,


def _bounded(level, img, max_dim_factor, min_level=1):
    """Limit an op strength to a fraction of the image's longer side (small crops get less)."""
    max_level = max(min_level, max_dim_factor * max(img.size))
    return round(min(level, max_level))


def _rotate_expand(img, degrees, **kwargs):
    return timm_aa.rotate(img, degrees, expand=True, **kwargs)


def _gaussian_blur(img, radius, **_):
    return img.filter(ImageFilter.GaussianBlur(_bounded(radius, img, 0.02)))


def _poisson_noise(img, lam, **_):
    lam = _bounded(lam, img, 0.2) | 1  # odd values only
    arr = np.asarray(img)
    shape = arr.shape[:2] + ((1,) if arr.ndim == 3 else ())
    noise = np.random.poisson(lam, size=shape) * np.random.choice((-1, 1), size=shape)
    return Image.fromarray(np.clip(arr.astype(np.int64) + noise, 0, 255).astype(np.uint8))


_STR_OPS = {
    'STRRotate': (_rotate_expand, partial(_signed_level, key='rotate_deg', default=30.)),
    'STRShearX': (timm_aa.shear_x, partial(_signed_level, key='shear_x_pct', default=0.3)),
    'STRShearY': (timm_aa.shear_y, partial(_signed_level, key='shear_y_pct', default=0.3)),
    'STRTranslateXRel': (timm_aa.translate_x_rel,
                         partial(_signed_level, key='translate_x_pct', default=0.45)),
    'STRTranslateYRel': (timm_aa.translate_y_rel,
                         partial(_signed_level, key='translate_y_pct', default=0.45)),
    'STRGaussianBlur': (_gaussian_blur, partial(_level, maximum=4)),
    'STRPoissonNoise': (_poisson_noise, partial(_level, maximum=40)),
}


def _register_str_ops():
    """Add the STR ops to timm's tables (new names only; idempotent)."""
    for name, (op, level_fn) in _STR_OPS.items():
        timm_aa.NAME_TO_OP.setdefault(name, op)
        timm_aa.LEVEL_TO_ARG.setdefault(name, level_fn)


def str_rand_augment(magnitude: float = 5, num_ops: int = 3, prob: float = 0.5,
                     hparams: Optional[dict] = None) -> timm_aa.RandAugment:
    """timm ``RandAugment`` over :data:`STR_RAND_OPS`, on PIL RGB images."""
    _register_str_ops()
    hparams = dict(STR_HPARAMS, **(hparams or {}))
    ops = timm_aa.rand_augment_ops(magnitude, prob=prob, hparams=hparams,
                                   transforms=list(STR_RAND_OPS))
    # explicit uniform weights make timm draw the ops without replacement (no op twice)
    return timm_aa.RandAugment(ops, num_ops, choice_weights=[1. / len(ops)] * len(ops))


@TRANSFORMS.register_module()
class STRRandAugment(BaseTransform):
    """MMOCR transform applying the reference STR RandAugment to ``results['img']``.

    Put it before the resize, as the reference does (blur and noise strength depend on the
    original crop size). Expects a 3-channel uint8 image in BGR order (MMOCR's loaders);
    updates ``img`` and ``img_shape`` (rotation expands the canvas).

    Args:
        magnitude: RandAugment magnitude, 0 to below 10 (reference: 5; at 10 timm's posterize
            keeps 0 bits, which Pillow rejects).
        num_ops: ops drawn per image, without repetition (reference: 3).
        prob: probability that each drawn op is applied (timm default, reference: 0.5).
        hparams: overrides of :data:`STR_HPARAMS` (and timm hparams such as ``img_mean``).
    """

    def __init__(self, magnitude: float = 5, num_ops: int = 3, prob: float = 0.5,
                 hparams: Optional[dict] = None):
        if not 0 <= magnitude < 10:
            raise ValueError(f'magnitude must be in [0, 10), got {magnitude}')
        if not 1 <= num_ops <= len(STR_RAND_OPS):
            raise ValueError(f'num_ops must be in [1, {len(STR_RAND_OPS)}], got {num_ops}')
        self.magnitude, self.num_ops, self.prob = magnitude, num_ops, prob
        self.hparams = dict(STR_HPARAMS, **(hparams or {}))
        self.augment = str_rand_augment(magnitude, num_ops, prob, self.hparams)

    def transform(self, results: dict) -> dict:
        img = results['img']
        if img.dtype != np.uint8 or img.ndim != 3 or img.shape[2] != 3:
            raise ValueError(f'{self.__class__.__name__} needs an HxWx3 uint8 image, got '
                             f'{img.dtype} {img.shape} ({results.get("img_path")})')
        out = self.augment(Image.fromarray(np.ascontiguousarray(img[..., ::-1])))
        out = np.ascontiguousarray(np.asarray(out.convert('RGB'))[..., ::-1])
        results['img'] = out
        results['img_shape'] = out.shape[:2]
        return results

    def __repr__(self):
        return (f'{self.__class__.__name__}(magnitude={self.magnitude}, num_ops={self.num_ops}, '
                f'prob={self.prob}, hparams={self.hparams})')
