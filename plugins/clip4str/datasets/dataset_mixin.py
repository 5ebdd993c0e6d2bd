"""What every clip4str recognition dataset adds to its MMOCR base class (mixed in before it)."""
import io
import logging
import os.path as osp
from typing import Any, Optional

import mmcv
from mmcv.transforms import LoadImageFromFile as MMCVLoadImageFromFile
from mmengine import fileio
from mmengine.logging import print_log
from mmocr.datasets.transforms import InferencerLoader
from PIL import Image

from .label_filter import LabelFilter

# Transforms whose failure means "this image cannot be read" (mmocr's LoadImageFromFile and
# LoadImageFromNDArray derive from mmcv's).
IMAGE_LOADERS = (MMCVLoadImageFromFile, InferencerLoader)

DATA_ROOT_HINT = ('shipped configs: set CLIP4STR_DATA_ROOT, or CLIP4STR_SYNTH_LMDB for the '
                  'synthetic LMDB; any config: --cfg-options '
                  '<dataloader>.dataset[.datasets.N].data_root=PATH (or .ann_file=PATH)')


class UnreadableImageError(IOError):
    """An image in a dataset is missing, empty or does not decode."""


def _is_local(path: str) -> bool:
    return '://' not in path


class STRDatasetMixin:
    """Adds to an MMOCR recognition dataset:

    - path checks: a missing data root or annotation file fails at once, naming the path;
    - the reference label filter, configured through MMEngine's ``filter_cfg`` (keys: see
      :class:`LabelFilter`, ``dict()`` for the defaults); drop counts per reason are logged and
      kept in ``filter_stats``; ``filter_cfg=None`` keeps MMOCR's behaviour (no filtering);
    - ``on_bad_image``: what to do when an image cannot be read while loading a sample.
      ``'raise'`` (default) raises :class:`UnreadableImageError` naming the image; ``'skip'``
      logs a warning, counts it in ``num_bad_images`` (per worker process) and returns None so
      that MMEngine draws another sample (training only: a test set cannot skip without changing
      its sample count; use ``filter_cfg=dict(check_images=True)`` to drop such images, counted,
      at load time instead).
    """

    METAINFO = dict(dataset_type='TextRecogDataset', task_name='textrecog')

    def __init__(self, *args, on_bad_image: str = 'raise', **kwargs):
        if on_bad_image not in ('raise', 'skip'):
            raise ValueError(f"on_bad_image must be 'raise' or 'skip', got {on_bad_image!r}")
        self.on_bad_image = on_bad_image
        self.num_bad_images = 0
        self.filter_stats = {}
        super().__init__(*args, **kwargs)

    # ------------------------------------------------------------------ paths
    @property
    def display_name(self) -> str:
        path = osp.normpath(self.ann_file) if _is_local(self.ann_file) else self.ann_file
        return f'{type(self).__name__}({path})'

    def full_init(self):
        if not self._fully_initialized:
            self._check_paths()
        super().full_init()

    def _check_paths(self):
        root = self.data_root
        if root and _is_local(root) and not osp.isdir(root):
            raise FileNotFoundError(f'{type(self).__name__}: data root not found: {root} '
                                    f'({DATA_ROOT_HINT})')
        if not self.ann_file:
            raise ValueError(f'{type(self).__name__}: ann_file is not set')
        if _is_local(self.ann_file):
            self._check_ann_file(self.ann_file)

    def _check_ann_file(self, path: str):
        if not osp.isfile(path):
            raise FileNotFoundError(f'{type(self).__name__}: annotation file not found: {path} '
                                    f'({DATA_ROOT_HINT}, or fix ann_file)')

    # ------------------------------------------------------------------ filtering
    def filter_data(self) -> list:
        data_list = super().filter_data()
        if not data_list:
            raise ValueError(f'{self.display_name}: the annotation file lists no samples')
        if self.filter_cfg is None:  # dict() filters with the defaults
            return data_list
        try:
            label_filter = LabelFilter(**self.filter_cfg)
        except TypeError as e:
            raise TypeError(f'{self.display_name}: bad filter_cfg {dict(self.filter_cfg)}: {e}')
        stats = label_filter.stats
        kept = []
        for info in data_list:
            stats['total'] += 1
            instances = info.get('instances', [])
            if len(instances) != 1:
                raise ValueError(f'{self.display_name}: a recognition sample needs exactly one '
                                 f'text instance, got {len(instances)} in {info}')
            text, reason = label_filter.clean(instances[0]['text'])
            if reason is None and label_filter.needs_images:
                reason = self._image_drop_reason(info, label_filter)
            if reason is not None:
                stats[reason] += 1
                continue
            if text != instances[0]['text']:
                stats['changed'] += 1
                info['instances'] = [dict(instances[0], text=text)]
            stats['kept'] += 1
            kept.append(info)
        self.filter_stats = dict(stats)
        summary = label_filter.summary(self.display_name)
        if not kept:
            raise ValueError(f'no samples left after filtering: {summary}')
        level = logging.WARNING if stats['kept'] < stats['total'] else logging.INFO
        print_log(summary, logger='current', level=level)
        return kept

    def _image_drop_reason(self, info: dict, label_filter: LabelFilter) -> Optional[str]:
        try:
            img_bytes = self._read_image_bytes(info)
            if label_filter.check_images:
                img = mmcv.imfrombytes(img_bytes, flag='unchanged')
                if img is None:
                    raise ValueError('does not decode')
                height, width = img.shape[:2]
            else:
                width, height = Image.open(io.BytesIO(img_bytes)).size
        except Exception as e:  # any read/decode failure means the image is unusable
            print_log(f'{self.display_name}: dropping unreadable image '
                      f'{self._image_name(info)}: {e}', logger='current', level=logging.WARNING)
            return 'unreadable_image'
        if min(width, height) < label_filter.min_image_dim:
            return 'small_image'
        return None

    # ------------------------------------------------------------------ images
    def _image_name(self, info: dict) -> str:
        return info['img_path']

    def _read_image_bytes(self, info: dict) -> bytes:
        img_bytes = fileio.get(info['img_path'], backend_args=getattr(self, 'backend_args', None))
        if not img_bytes:
            raise ValueError('empty file')
        return img_bytes

    def prepare_data(self, idx) -> Any:
        return self._run_pipeline(self.get_data_info(idx))

    def _run_pipeline(self, data: dict) -> Any:
        """``self.pipeline(data)``, with failures of the image-loading step handled by
        ``on_bad_image`` (failures of other transforms propagate unchanged)."""
        image_name = self._image_name(data)
        for transform in self.pipeline.transforms:
            is_loader = isinstance(transform, IMAGE_LOADERS)
            try:
                out = transform(data)
            except Exception as e:
                if is_loader:
                    return self._bad_image(image_name, e)
                raise
            if out is None:
                return self._bad_image(image_name, 'image loader returned None') \
                    if is_loader else None
            data = out
        return data

    def _bad_image(self, image_name: str, error) -> None:
        msg = f'{self.display_name}: cannot read image {image_name}: {error}'
        if self.on_bad_image == 'raise':
            raise UnreadableImageError(msg + " (set on_bad_image='skip' to skip such images "
                                       'in training)') from (
                error if isinstance(error, BaseException) else None)
        if self.test_mode:
            raise UnreadableImageError(
                msg + "; on_bad_image='skip' cannot skip in a test set (its sample count would "
                'change): use filter_cfg=dict(check_images=True) to drop unreadable images '
                'at load time, counted in the log')
        self.num_bad_images += 1
        print_log(f'{msg}; skipped ({self.num_bad_images} so far in this process)',
                  logger='current', level=logging.WARNING)
        return None
