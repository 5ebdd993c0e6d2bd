"""Synthetic words rendered while the model trains: sample i of the dataset is
``SynthGenerator(seed).render(i)`` (the generator of tools/make_synth.py), drawn by the
DataLoader's worker processes, so every CPU core of the device machine renders while the GPU
trains. Nothing is stored; an index always gives the same image."""
import cv2
from mmengine.dataset import BaseDataset
from mmocr.registry import DATASETS


@DATASETS.register_module()
class SynthStreamDataset(BaseDataset):
    """`length` synthetic word crops of `seed`, rendered on demand.

    Args:
        length: indices per epoch (0..length-1).
        seed: the generator seed (make_synth.py --seed); a new seed gives new words.
        gen_kwargs: SynthGenerator keyword arguments (fonts, text, style, ...).
        pipeline: the recognition training pipeline (starts with InferencerLoader).
    """
    METAINFO = dict(dataset_type='TextRecogDataset', task_name='textrecog')

    def __init__(self, length: int, seed: int = 1, gen_kwargs: dict = None, pipeline=(),
                 **kwargs):
        self.length, self.seed = int(length), int(seed)
        self.gen_kwargs = dict(gen_kwargs or {})
        self.generator = None
        super().__init__(ann_file='', pipeline=list(pipeline), lazy_init=True,
                         serialize_data=False, **kwargs)

    def full_init(self):
        # built once in the main process; forked DataLoader workers inherit it (fonts loaded)
        if self.generator is None:
            from clip4str.datasets.synth import SynthGenerator
            self.generator = SynthGenerator(seed=self.seed, **self.gen_kwargs)
        self._fully_initialized = True

    def __len__(self) -> int:
        return self.length

    def get_data_info(self, idx: int) -> dict:
        return dict(img_path=f'synth-{self.seed}-{idx}', sample_idx=idx)

    def prepare_data(self, idx: int):
        if self.generator is None:
            self.full_init()
        rgb, label = self.generator.render(idx)
        info = self.get_data_info(idx)
        info.update(img=cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), instances=[dict(text=label)])
        return self.pipeline(info)
