"""CLIPResize and the reference STR RandAugment."""
import random

import numpy as np
import pytest
from PIL import Image
from timm.data import auto_augment as timm_aa

from clip4str.datasets.transforms import STR_HPARAMS, STR_RAND_OPS, CLIPResize, STRRandAugment
from clip4str.datasets.transforms.str_rand_augment import _STR_OPS, str_rand_augment


def word_image(height=40, width=150, seed=0):
    rng = np.random.default_rng(seed)
    img = np.full((height, width, 3), 230, np.uint8)
    img[10:30, 10:140] = rng.integers(0, 120, (20, 130, 3), dtype=np.uint8)
    return img


@pytest.mark.parametrize('size', [(224, 224), (32, 128)])
def test_clip_resize_to_size_without_keeping_ratio(size):
    results = CLIPResize(img_size=size)(dict(img=word_image(), img_shape=(40, 150)))
    assert results['img'].shape == size + (3,)
    assert results['img_shape'] == size


def test_clip_resize_is_pillow_bicubic():
    # the reference resizes PIL images with torchvision (Pillow's antialiased bicubic)
    img = word_image(height=60, width=300)
    out = CLIPResize(img_size=(32, 128))(dict(img=img.copy(), img_shape=(60, 300)))['img']
    expected = np.asarray(Image.fromarray(img).resize((128, 32), Image.BICUBIC))
    assert np.array_equal(out, expected)


def test_clip_resize_rejects_bad_size():
    with pytest.raises(ValueError, match='height, width'):
        CLIPResize(img_size=(224,))


def test_op_set_is_timm_increasing_set_without_sharpness_plus_blur_and_noise():
    text_variants = {'Rotate', 'ShearX', 'ShearY', 'TranslateXRel', 'TranslateYRel'}
    expected = [('STR' + n if n in text_variants else n)
                for n in timm_aa._RAND_INCREASING_TRANSFORMS if n != 'SharpnessIncreasing']
    assert list(STR_RAND_OPS) == expected + ['STRGaussianBlur', 'STRPoissonNoise']
    ra = str_rand_augment()
    assert [op.name for op in ra.ops] == list(STR_RAND_OPS)
    assert ra.num_layers == 3
    assert all(op.magnitude == 5 and op.prob == 0.5 for op in ra.ops)
    # timm's own ops are untouched
    assert timm_aa.NAME_TO_OP['Rotate'] is timm_aa.rotate
    assert timm_aa.LEVEL_TO_ARG['ShearX'] is timm_aa._shear_level_to_arg


@pytest.mark.parametrize('name, expected', [
    ('STRRotate', 15.0), ('STRShearX', 0.45), ('STRShearY', 0.1),
    ('STRTranslateXRel', 0.05), ('STRTranslateYRel', 0.15),
    ('STRGaussianBlur', 2.0), ('STRPoissonNoise', 20.0)])
def test_levels_at_magnitude_5_are_half_the_maxima(name, expected):
    level_fn = _STR_OPS[name][1]
    values = [level_fn(5, STR_HPARAMS)[0] for _ in range(40)]
    assert [abs(v) for v in values] == pytest.approx([expected] * 40)
    if name not in ('STRGaussianBlur', 'STRPoissonNoise'):  # geometric ops take both signs
        assert min(values) < 0 < max(values)


def test_rotation_expands_the_canvas():
    img = Image.fromarray(word_image())
    out = _STR_OPS['STRRotate'][0](img, 15.0, fillcolor=(128, 128, 128), resample=Image.BILINEAR)
    assert out.size[0] > img.size[0] and out.size[1] > img.size[1]


def test_blur_and_noise_strength_shrink_with_small_crops():
    blur, noise = _STR_OPS['STRGaussianBlur'][0], _STR_OPS['STRPoissonNoise'][0]
    flat = Image.fromarray(np.full((10, 30, 3), 128, np.uint8))
    np.random.seed(0)
    # 30 px wide: noise lambda capped at 0.2 * 30 = 6 (-> 7, odd), far below 20
    assert np.abs(np.asarray(noise(flat, 20.0)).astype(int) - 128).mean() < 9
    assert np.array_equal(np.asarray(blur(flat, 2.0)), np.asarray(flat))  # radius 1, flat image


def run(transform, img, seed):
    random.seed(seed)
    np.random.seed(seed)
    return transform(dict(img=img.copy(), img_shape=img.shape[:2]))


def test_rand_augment_is_deterministic_under_a_seed():
    aug, img = STRRandAugment(), word_image()
    first = [run(aug, img, seed)['img'] for seed in range(6)]
    again = [run(aug, img, seed)['img'] for seed in range(6)]
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert any(not np.array_equal(first[0], other) for other in first[1:])
    assert any(out.shape != img.shape or not np.array_equal(out, img) for out in first)


def test_rand_augment_keeps_format_and_updates_shape():
    aug = STRRandAugment(magnitude=9, num_ops=3, prob=1.0)
    for seed in range(5):
        results = run(aug, word_image(), seed)
        assert results['img'].dtype == np.uint8 and results['img'].ndim == 3
        assert results['img_shape'] == results['img'].shape[:2]
    with pytest.raises(ValueError, match='HxWx3 uint8'):
        aug(dict(img=np.zeros((10, 10), np.uint8)))
    with pytest.raises(ValueError, match='magnitude'):
        STRRandAugment(magnitude=10)


def test_rand_augment_sees_rgb_when_given_bgr():
    # saturation depends on channel order: Pillow's grey of pure blue is 29, of pure red 76.
    # ColorIncreasing at M=5 blends with factor 0.55 (or 1.45): the other channels of pure blue
    # become 0.45 * 29 = 13 (or 0); reading BGR as RGB would give 0.45 * 76 = 34.
    img = np.zeros((20, 40, 3), np.uint8)
    img[..., 0] = 255  # pure blue in BGR
    aug = STRRandAugment(num_ops=1, prob=1.0)
    aug.augment.ops = [op for op in aug.augment.ops if op.name == 'ColorIncreasing']
    aug.augment.choice_weights = [1.0]
    greens = {int(run(aug, img, seed)['img'][0, 0, 1]) for seed in range(8)}
    assert greens == {13, 0}
