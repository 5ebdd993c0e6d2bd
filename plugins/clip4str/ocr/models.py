"""Adapters over MMOCR models for the engine: a text detector and a text recognizer.

Both are built from (config, weights, device) the way MMOCR's inferencers build them, and then run
their own batching under ``torch.inference_mode()``:

* config: a config file, an ``mmocr::textdet/...`` path into MMOCR's bundled configs, or an MMOCR
  model-zoo name (e.g. ``DBNet``), which is handed to MMOCR as is (and may download).
* weights: a local checkpoint (loaded with ``weights_only=True`` and checked key by key: a
  mismatched file is an error naming it), an http(s) URL (MMEngine downloads it), or None for
  random initialisation.

Backbones' ``Pretrained`` init_cfg entries are dropped: nothing is downloaded behind the user's
back, and the checkpoint supplies every weight anyway.
"""
import copy
import json
import os
import sys
import threading
import warnings
from typing import List, Optional, Sequence, Tuple

import numpy as np

from ..config_check import check_overrides
from .errors import ModelLoadError, error_line, file_problem

PRECISIONS = ('fp32', 'bf16', 'fp16')
BACKENDS = ('torch', 'onnx')
QUANTIZE = (None, 'int8')  # det.quantize: the onnx backend's detector graph
CALIBRATION_LONG_SIDE = 1600  # the presets' detector input size


def _is_url(s: str) -> bool:
    return s.startswith(('http://', 'https://'))


def _drop_pretrained(node) -> None:
    """Remove init_cfg=Pretrained (torchvision://, open-mmlab://, URLs) anywhere in a model cfg."""
    if isinstance(node, dict):
        init = node.get('init_cfg')
        if isinstance(init, dict) and init.get('type') == 'Pretrained':
            node['init_cfg'] = None
        for v in node.values():
            _drop_pretrained(v)
    elif isinstance(node, (list, tuple)):
        for v in node:
            _drop_pretrained(v)


def load_model_config(config, kind: str):
    """A Config from a file or an ``mmocr::`` path; a model-zoo name is returned unchanged (str)."""
    from mmengine.config import Config
    if not isinstance(config, str):
        return Config(dict(config)) if not isinstance(config, Config) else config
    if os.path.isfile(config):
        try:
            cfg = Config.fromfile(config)
        except Exception as e:
            raise ModelLoadError(f'cannot load {kind} config {config}: {type(e).__name__}: {e}')
    elif config.startswith('mmocr::'):
        from mmengine.hub import get_config
        try:
            cfg = get_config(config)
        except Exception as e:
            raise ModelLoadError(f'cannot load {kind} config {config} from MMOCR: {e}')
    elif config.endswith('.py') or os.sep in config:
        raise ModelLoadError(f'{kind} config file not found: {config}')
    else:
        return config  # an MMOCR model-zoo name
    if 'model' not in cfg:
        raise ModelLoadError(f'{kind} config {config} defines no `model`: is it a model config?')
    if 'test_dataloader' not in cfg and 'test_pipeline' not in cfg:
        raise ModelLoadError(f'{kind} config {config} has no test_pipeline/test_dataloader, so '
                             'inputs cannot be prepared')
    if 'test_dataloader' not in cfg:  # inferencers read the pipeline from here
        cfg.test_dataloader = dict(dataset=dict(pipeline=cfg.test_pipeline))
    return cfg


def load_weights(model, weights: str, kind: str, strict: bool = True) -> None:
    """Load a checkpoint into ``model``; a missing file or mismatched keys raise ModelLoadError."""
    from mmengine.runner.checkpoint import _load_checkpoint
    if not _is_url(weights) and not os.path.isfile(weights):
        raise ModelLoadError(f'{kind} checkpoint not found: {weights}')
    problem = '' if _is_url(weights) else file_problem(weights)
    if problem:
        raise ModelLoadError(f'cannot read {kind} checkpoint {weights}: {problem}')
    try:
        ckpt = _load_checkpoint(weights, map_location='cpu')
    except Exception as e:
        raise ModelLoadError(f'cannot read {kind} checkpoint {weights}: {error_line(e)}')
    state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else None
    if not isinstance(state, dict) or not state:
        raise ModelLoadError(f'{kind} checkpoint {weights} holds no state dict')
    state = {k[7:] if k.startswith('module.') else k: v for k, v in state.items()}
    try:
        result = model.load_state_dict(state, strict=False)
    except RuntimeError as e:  # shape mismatches
        lines = [ln.strip() for ln in str(e).splitlines() if 'size mismatch' in ln][:3]
        raise ModelLoadError(f'{kind} checkpoint {weights} does not fit the config\'s model '
                             f'(wrong config?): ' + ('; '.join(lines) or str(e)[:300]))
    missing, unexpected = list(result.missing_keys), list(result.unexpected_keys)
    if strict and (missing or unexpected):
        raise ModelLoadError(
            f'{kind} checkpoint {weights} does not match the config\'s model (wrong config or '
            f'checkpoint?): {len(missing)} missing keys {missing[:4]}, {len(unexpected)} '
            f'unexpected keys {unexpected[:4]}')
    meta = ckpt.get('meta', {}) if isinstance(ckpt, dict) else {}
    if isinstance(meta, dict) and 'dataset_meta' in meta:
        model.dataset_meta = meta['dataset_meta']


def cast_backbone(model, precision: str) -> None:
    """Run ``model.backbone`` (most of the compute of both detector and recognizer) in bf16 or
    fp16, the rest in fp32. Its weights are converted, not autocast: CPU autocast of the CLIP
    ViT was 20x slower at batch 8 here, while bf16 weights run ~4x faster than fp32 on CPUs with
    AMX. Results may differ slightly from fp32."""
    import torch

    dtype = {'bf16': torch.bfloat16, 'fp16': torch.float16}[precision]
    backbone = getattr(model, 'backbone', None)
    if backbone is None:
        raise ModelLoadError(f'precision {precision}: {type(model).__name__} has no backbone')
    forward = backbone.forward

    def to_fp32(out):
        if torch.is_tensor(out):
            return out.float() if out.is_floating_point() else out
        if isinstance(out, (list, tuple)):
            return type(out)(to_fp32(o) for o in out)
        if isinstance(out, dict):
            return {k: to_fp32(v) for k, v in out.items()}
        return out

    def cast_forward(x, *args, **kwargs):
        return to_fp32(forward(x.to(dtype), *args, **kwargs))

    backbone.to(dtype)
    backbone.forward = cast_forward


class _MMOCRModel:
    """Shared construction: MMOCR's inferencer builds model + test pipeline; we load weights."""
    kind = 'model'
    inferencer_cls = None
    model_types: tuple = ()
    export_ignores: tuple = ()  # model config keys outside the ONNX graph (see fingerprints)

    def __init__(self, config, weights: Optional[str] = None, device: str = 'cpu',
                 batch_size: int = 8, strict: bool = True, cfg_options: Optional[dict] = None,
                 precision: str = 'fp32'):
        import torch  # noqa: F401
        from mmocr.utils import register_all_modules
        register_all_modules(init_default_scope=True)
        self.batch_size = max(1, int(batch_size))
        self.device = device
        self.weights = weights
        self.precision = precision
        self.model_cfg_text = None  # the model config, for export fingerprints
        if precision not in PRECISIONS:
            raise ModelLoadError(f'precision must be one of {PRECISIONS}, got {precision!r}')
        cfg = load_model_config(config, self.kind)
        if isinstance(cfg, str):  # model-zoo name: MMOCR resolves config and weights
            self.name = cfg
            self.inferencer = self._build(cfg, weights, device)
        else:
            self.name = getattr(cfg, 'filename', None) or str(config)
            if cfg_options:
                try:
                    check_overrides(cfg, cfg_options, f'{self.kind} cfg_options')
                except ValueError as e:
                    raise ModelLoadError(str(e))
                cfg.merge_from_dict(cfg_options)
            _drop_pretrained(cfg.model)
            self.model_cfg_text = export_fingerprint_text(cfg.model.to_dict(),
                                                          self.export_ignores)
            self._prepare_cfg(cfg)
            self.inferencer = self._build(cfg, None, device)
            if weights:
                load_weights(self.inferencer.model, weights, self.kind, strict)
                self.inferencer.model.to(device)
        self.model = self.inferencer.model.eval()
        if precision != 'fp32':
            cast_backbone(self.model, precision)
        if self.model_types and not isinstance(self.model, self.model_types):
            raise ModelLoadError(f'{self.kind} config {self.name} builds a '
                                 f'{type(self.model).__name__}, not a text {self.kind}')
        self.pipeline = self.inferencer.pipeline
        self.collate = self.inferencer.collate_fn
        self.cfg = None if isinstance(cfg, str) else cfg

    def _prepare_cfg(self, cfg) -> None:
        """Hook for adapter-specific config edits."""

    def _build(self, cfg, weights, device):
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')  # "checkpoint is not loaded": we load it ourselves
            try:
                return self.inferencer_cls(model=cfg, weights=weights, device=device)
            except ModelLoadError:
                raise
            except KeyError as e:  # registry misses: "X is not in the model registry"
                raise ModelLoadError(f'cannot build the {self.kind} from '
                                     f'{getattr(self, "name", cfg)}: {e} (a custom module? '
                                     'add custom_imports to the config)')
            except Exception as e:
                raise ModelLoadError(f'cannot build the {self.kind} from '
                                     f'{getattr(self, "name", cfg)}: {type(e).__name__}: {e}')

    def _run(self, images: Sequence[np.ndarray]):
        import torch
        data = self.collate([self.pipeline(img) for img in images])
        with torch.inference_mode():
            return self.model.test_step(data)

    def onnx_unavailable(self) -> Optional[str]:
        """Why this model cannot run on onnxruntime, or None."""
        if not self.model_cfg_text:
            return 'a model-zoo name, not a config file'
        if not self.weights or _is_url(self.weights) or not os.path.isfile(self.weights):
            return 'no local weights file to export'
        if self.device != 'cpu':
            return f'device {self.device} (the ONNX backend runs on the CPU)'
        if self.precision != 'fp32':
            return f'precision {self.precision} (the ONNX backend is fp32)'
        return None

    def cached_onnx_export(self, suffix: str, export):
        """The path of this model's ONNX export (``export(path)`` writes it on first use, next
        to the weights or in the user's cache), or None with a warning: the batch tool then
        goes on with PyTorch."""
        from ..export.cache import cached_export
        reason = self.onnx_unavailable()
        if reason:
            return onnx_fallback(self.kind, reason)
        try:
            path = cached_export(self.weights, self.model_cfg_text, suffix, export,
                                 log=lambda m: print(m, file=sys.stderr, flush=True))
        except Exception as e:  # an export failure must not stop the batch tool
            return onnx_fallback(self.kind, f'export failed: {type(e).__name__}: {str(e)[:300]}')
        return path or onnx_fallback(self.kind, 'no writable folder for the export')


def export_fingerprint_text(model_cfg: dict, ignores: Sequence[str] = ()) -> str:
    """The model config as the export cache's fingerprint sees it: without the dotted keys of
    ``ignores`` (settings applied outside the exported graph)."""
    model_cfg = copy.deepcopy(model_cfg)
    for dotted in ignores:
        *parents, leaf = dotted.split('.')
        node = model_cfg
        for key in parents:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(leaf, None)
    return json.dumps(model_cfg, sort_keys=True, default=str)


def onnx_fallback(kind: str, reason: str) -> None:
    print(f'warning: the {kind} runs on PyTorch, not onnxruntime: {reason}', file=sys.stderr,
          flush=True)


class TextDetector(_MMOCRModel):
    """``detector(images) -> [(polygons, scores), ...]``; polygons are (N, 2) float arrays in the
    input image's pixel coordinates."""
    kind = 'detector'
    # the ONNX export is the network up to the probability map; the postprocessor (thresholds)
    # runs in Python, so changing its settings must not re-export 49 MB
    export_ignores = ('det_head.postprocessor',)

    def __init__(self, config, weights=None, device='cpu', batch_size=1, strict=True,
                 cfg_options=None, input_size: Optional[Tuple[int, int]] = None,
                 precision: str = 'fp32', backend: str = 'torch',
                 quantize: Optional[str] = None, spin: bool = True):
        from mmocr.apis import TextDetInferencer
        from mmocr.models.textdet.detectors.base import BaseTextDetector
        self.inferencer_cls = TextDetInferencer
        self.model_types = (BaseTextDetector,)
        self.input_size = tuple(input_size) if input_size else None
        self.spin = spin  # onnxruntime's threads busy-wait for work (see .detect_ahead)
        # one call at a time: a call at another size sets the shared Resize transform's scale
        # for its duration (the engine detects ahead in a thread, see .detect_ahead)
        self._calls = threading.Lock()
        super().__init__(config, weights, device, batch_size, strict, cfg_options, precision)
        # read once: during a call at another size the transform holds that size
        self._long_side = self._pipeline_long_side()
        if backend not in BACKENDS:
            raise ModelLoadError(f'backend must be one of {BACKENDS}, got {backend!r}')
        if quantize not in QUANTIZE:
            raise ModelLoadError(f'det.quantize must be one of {QUANTIZE}, got {quantize!r}')
        self.net = self._onnx_net(quantize) if backend == 'onnx' else None
        self.backend = 'onnx' if self.net is not None else 'torch'
        self.quantize = quantize if self.net is not None else None

    def _onnx_net(self, quantize: Optional[str] = None):
        """The network on onnxruntime (exported once, cached; ``quantize='int8'``: its int8
        graph, built once from the fp32 export), or None with a warning."""
        import torch

        from ..export.detector import OnnxProbabilityMap, export_detector
        path = self.cached_onnx_export('.det.onnx', lambda p: export_detector(self.model, p))
        if path and quantize == 'int8':
            from ..export.quantize import CALIBRATION_VERSION
            fp32 = path
            path = self.cached_onnx_export(f'.det-int8c{CALIBRATION_VERSION}.onnx',
                                           lambda p: self._quantized(fp32, p))
        return OnnxProbabilityMap(path, torch.get_num_threads(), self.spin) if path else None

    def _quantized(self, fp32_path, out_path):
        """The int8 graph, calibrated on :mod:`..export.calibration`'s pictures as the test
        pipeline (resize, normalisation, padding) hands them to the network."""
        import torch

        from ..export.calibration import calibration_images
        from ..export.quantize import quantize_detector
        resize = self._resize()
        saved = getattr(resize, 'scale', None)
        if saved is not None:  # one calibration for every input size: the cache is shared
            resize.scale = (CALIBRATION_LONG_SIDE, CALIBRATION_LONG_SIDE)
        inputs = []
        try:
            with torch.inference_mode():
                for img in calibration_images():
                    data = self.model.data_preprocessor(self.collate([self.pipeline(img)]),
                                                        False)
                    inputs.append(data['inputs'].float().cpu().numpy())
        finally:
            if saved is not None:
                resize.scale = saved
        return quantize_detector(fp32_path, out_path, inputs)

    def _run(self, images: Sequence[np.ndarray]):
        if self.net is None:
            return super()._run(images)
        import torch
        data = self.collate([self.pipeline(img) for img in images])
        with torch.inference_mode():
            data = self.model.data_preprocessor(data, False)
            return self.model.det_head.postprocessor(self.net(data['inputs']),
                                                     data['data_samples'])

    def lower_min_text_score(self, score: float) -> None:
        """Let the head's postprocessor return regions down to ``score`` (the engine applies
        its own thresholds); postprocessors without ``min_text_score`` are left as they are."""
        post = getattr(getattr(self.model, 'det_head', None), 'postprocessor', None)
        if post is not None and hasattr(post, 'min_text_score'):
            post.min_text_score = min(post.min_text_score, score)

    def _prepare_cfg(self, cfg) -> None:
        if self.input_size:  # the test-time resize decides how small a word can be found
            for t in cfg.test_dataloader.dataset.pipeline:
                if t.get('type') == 'Resize':
                    t['scale'] = self.input_size

    @property
    def long_side(self) -> Optional[int]:
        """The long side the test pipeline resizes images to (None: unknown)."""
        return self._long_side

    def _pipeline_long_side(self) -> Optional[int]:
        resize = self._resize()
        scale = getattr(resize, 'scale', None) if resize is not None else None
        return int(max(scale)) if scale and getattr(resize, 'keep_ratio', False) else None

    def _resize(self):
        return next((t for t in getattr(self.pipeline, 'transforms', [])
                     if type(t).__name__ == 'Resize'), None)

    def __call__(self, images: Sequence[np.ndarray], long_side: Optional[int] = None
                 ) -> List[Tuple[List[np.ndarray], np.ndarray]]:
        """``long_side``: detect at this size instead of the pipeline's (all ``images``)."""
        with self._calls:
            resize = self._resize() if long_side else None
            if resize is None:
                return self._detect(images)
            saved = resize.scale
            resize.scale = (int(long_side), int(long_side))
            try:
                return self._detect(images)
            finally:
                resize.scale = saved

    def _detect(self, images):
        out = []
        for i in range(0, len(images), self.batch_size):
            for sample in self._run(images[i:i + self.batch_size]):
                inst = sample.pred_instances
                polys = [np.asarray(p, dtype=np.float64).reshape(-1, 2) for p in inst.polygons]
                scores = inst.scores
                scores = scores.cpu().numpy() if hasattr(scores, 'cpu') else np.asarray(scores)
                keep = [k for k, p in enumerate(polys) if len(p) >= 3]
                out.append(([polys[k] for k in keep], np.asarray(scores, dtype=float)[keep]))
        return out


def batches_by_aspect(crops: Sequence[np.ndarray], batch_size: int) -> List[List[int]]:
    """Indices of ``crops`` in batches of similar aspect ratio: less padding for variable-width
    recognizers, and the same batches for every recognizer backend."""
    order = sorted(range(len(crops)),
                   key=lambda i: crops[i].shape[1] / max(crops[i].shape[0], 1))
    return [order[i:i + batch_size] for i in range(0, len(order), batch_size)]


class TextRecognizer(_MMOCRModel):
    """``recognizer(crops) -> [(text, char_scores), ...]``, crops batched by similar width."""
    kind = 'recognizer'

    def __init__(self, config, weights=None, device='cpu', batch_size=32, strict=True,
                 cfg_options=None, precision: str = 'fp32', backend: str = 'torch'):
        from mmocr.apis import TextRecInferencer
        from mmocr.models.textrecog.recognizers.base import BaseRecognizer
        self.inferencer_cls = TextRecInferencer
        self.model_types = (BaseRecognizer,)
        super().__init__(config, weights, device, batch_size, strict, cfg_options, precision)
        if backend not in BACKENDS:
            raise ModelLoadError(f'backend must be one of {BACKENDS}, got {backend!r}')
        self.onnx = self._onnx_recognizer() if backend == 'onnx' else None
        self.backend = 'onnx' if self.onnx is not None else 'torch'
        if self.onnx is not None:  # the PyTorch copy is no longer needed: free its memory
            del self.model, self.inferencer

    def _onnx_recognizer(self):
        import torch

        from ..export import OnnxTextRecognizer, export_onnx
        from ..models.recognizers.clip4str import CLIP4STR
        if not isinstance(self.model, CLIP4STR):
            return onnx_fallback(self.kind, f'{type(self.model).__name__} has no ONNX export')
        folder = self.cached_onnx_export('.rec.onnx', lambda p: export_onnx(
            None, self.weights, p, model=self.model, cfg=self.cfg, log=lambda m: None))
        return OnnxTextRecognizer(folder, batch_size=self.batch_size,
                                  threads=torch.get_num_threads()) if folder else None

    def __call__(self, crops: Sequence[np.ndarray]) -> List[Tuple[str, List[float]]]:
        if self.onnx is not None:
            return self.onnx(crops)
        out: List[Tuple[str, List[float]]] = [('', [])] * len(crops)
        for ids in batches_by_aspect(crops, self.batch_size):
            for k, sample in zip(ids, self._run([crops[j] for j in ids])):
                pred = sample.pred_text
                score = pred.score
                score = score.tolist() if hasattr(score, 'tolist') else list(score)
                if not isinstance(score, list):
                    score = [float(score)] * len(pred.item)
                out[k] = (pred.item, [float(s) for s in score])
        return out
