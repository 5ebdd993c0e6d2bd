"""Recognition datasets: label files, MMOCR LMDB and MMOCR JSON, all with the same options
(``filter_cfg`` label filter, ``on_bad_image``; see :class:`STRDatasetMixin`)."""
import logging
import os.path as osp

import mmcv
from mmengine import fileio
from mmengine.logging import print_log
from mmocr.datasets import OCRDataset, RecogLMDBDataset, RecogTextDataset
from mmocr.registry import DATASETS

from .dataset_mixin import DATA_ROOT_HINT, STRDatasetMixin


@DATASETS.register_module()
class RecogLabelFileDataset(STRDatasetMixin, RecogTextDataset):
    """A folder of word crops plus a label file, one sample per line.

    Image paths in the file are relative to ``data_root`` + ``data_prefix['img_path']``.
    A UTF-8 byte-order mark, CRLF line ends and blank lines are accepted.

    Args:
        ann_file: the label file (relative to ``data_root``).
        parser_cfg: line parser (``TASK_UTILS``): ``SpaceSeparatedLabelParser`` (default,
            ``path LABEL``), ``QuotedLabelParser`` (``path, "LABEL"``), or MMOCR's
            ``LineStrParser`` / ``LineJsonParser``.
        on_bad_line: ``'raise'`` (default): a line the parser rejects raises ValueError naming
            ``file:line``; ``'skip'``: it is logged and skipped, counted in ``num_bad_lines``.
        **kwargs: see :class:`STRDatasetMixin` and MMOCR's ``RecogTextDataset``.
    """

    def __init__(self, ann_file: str = '',
                 parser_cfg: dict = dict(type='SpaceSeparatedLabelParser'),
                 on_bad_line: str = 'raise', **kwargs):
        if on_bad_line not in ('raise', 'skip'):
            raise ValueError(f"on_bad_line must be 'raise' or 'skip', got {on_bad_line!r}")
        self.on_bad_line = on_bad_line
        self.num_bad_lines = 0
        super().__init__(ann_file=ann_file, parser_cfg=parser_cfg, **kwargs)

    def load_data_list(self) -> list:
        text = fileio.get_text(self.ann_file, encoding='utf-8', backend_args=self.backend_args)
        text = text.removeprefix('\ufeff')
        data_list = []
        self.num_bad_lines = 0
        for line_no, line in enumerate(text.split('\n'), 1):
            line = line.rstrip('\r')
            if not line.strip():
                continue
            try:
                data_list.append(self.parse_data_info(line))
            except Exception as e:  # the parser's verdict on this one line
                where = f'{self.ann_file}:{line_no}'
                if self.on_bad_line == 'raise':
                    raise ValueError(f"{where}: malformed line {line!r}: {e} (set "
                                     "on_bad_line='skip' to skip such lines)") from e
                self.num_bad_lines += 1
                print_log(f'{where}: skipped malformed line {line!r}: {e}',
                          logger='current', level=logging.WARNING)
        if self.num_bad_lines:
            print_log(f'{self.ann_file}: skipped {self.num_bad_lines} malformed lines',
                      logger='current', level=logging.WARNING)
        return data_list


_LMDB_ENVS = {}


def lmdb_env(path: str):
    """The read-only environment of an LMDB, one per path and process: py-lmdb refuses to open a
    path twice in a process, so datasets sharing a database share this handle."""
    key = osp.realpath(path)
    env = _LMDB_ENVS.get(key)
    if env is None:
        import lmdb
        env = _LMDB_ENVS[key] = lmdb.open(path, readonly=True, lock=False, readahead=False,
                                          meminit=False)
    return env


def close_lmdb_env(path: str):
    env = _LMDB_ENVS.pop(osp.realpath(path), None)
    if env is not None:
        env.close()


@DATASETS.register_module()
class FilteredRecogLMDBDataset(STRDatasetMixin, RecogLMDBDataset):
    """MMOCR's LMDB format (``num-samples``, ``label-%09d``, ``image-%09d``) with the clip4str
    options. ``ann_file`` is the LMDB directory. Images are decoded here (as in MMOCR), so the
    pipeline starts with ``LoadImageFromNDArray`` (or ``InferencerLoader``, which accepts both
    decoded images and paths).

    Unlike MMOCR's class, the database is closed again after the labels are read, so that
    dataloader workers open their own handle after the fork, and several datasets may read the
    same database in one process.
    """

    def _check_ann_file(self, path: str):
        if not osp.isfile(osp.join(path, 'data.mdb')):
            raise FileNotFoundError(f'{type(self).__name__}: no LMDB database (data.mdb) in '
                                    f'{path} ({DATA_ROOT_HINT}, or fix ann_file)')

    def full_init(self):
        try:
            super().full_init()
        finally:
            close_lmdb_env(self.ann_file)

    def load_data_list(self) -> list:
        data_list = []
        with lmdb_env(self.ann_file).begin(write=False) as txn:
            num_samples = txn.get(b'num-samples')
            if num_samples is None:
                raise ValueError(f'{self.ann_file}: not an MMOCR recognition LMDB: no '
                                 'num-samples key')
            for idx in range(1, int(num_samples) + 1):
                label = txn.get(f'label-{idx:09d}'.encode())
                if label is None:
                    raise ValueError(f'{self.ann_file}: label-{idx:09d} is missing '
                                     f'(num-samples is {int(num_samples)})')
                data_list.append(self.parse_data_info([f'image-{idx:09d}',
                                                       label.decode('utf-8')]))
        return data_list

    def _image_name(self, info: dict) -> str:
        return f"{self.ann_file}:{info['img_key']}"

    def _read_image_bytes(self, info: dict) -> bytes:
        with lmdb_env(self.ann_file).begin(write=False) as txn:
            img_bytes = txn.get(info['img_key'].encode('utf-8'))
        if not img_bytes:
            raise KeyError(f"no image under key {info['img_key']}")
        return img_bytes

    def prepare_data(self, idx):
        data_info = self.get_data_info(idx)
        try:
            img = mmcv.imfrombytes(self._read_image_bytes(data_info), flag=self.color_type)
            if img is None:
                raise ValueError('image bytes do not decode')
        except Exception as e:
            return self._bad_image(self._image_name(data_info), e)
        data_info['img'] = img
        return self._run_pipeline(data_info)

    def close(self):
        close_lmdb_env(self.ann_file)


@DATASETS.register_module()
class FilteredOCRDataset(STRDatasetMixin, OCRDataset):
    """MMOCR's JSON annotation format (``OCRDataset``, one text instance per sample) with the
    clip4str options."""
