"""End-to-end presets (pipelines/*.py, mmengine Config files) and building an engine from one.

A preset names the detector and recognizer (config + weights + batch size), the crop/rectify,
window and layout settings, page loading defaults and the outputs to write. See
pipelines/document.py for the keys.
"""
import os
import sys
from pathlib import Path
from typing import Optional

from ..config_check import check_overrides, type_problem
from .engine import EngineConfig, OCREngine, ScaleConfig, WindowConfig
from .errors import ModelLoadError
from .layout import LayoutConfig
from .gap_glyphs import GapGlyphConfig
from .lexicon import load_lexicon
from .margin_vote import MarginVoteConfig
from .neighbour_trim import NeighbourTrimConfig
from .orientation import OrientationConfig
from .rectify import RectifyConfig
from .small_glyphs import SmallGlyphConfig
from .space_split import SpaceSplitConfig
from .trailing_marks import TrailingMarkConfig
from .word_split import WordSplitConfig

PRESET_DIR = Path(__file__).resolve().parents[3] / 'pipelines'  # repo root (editable install)
ALL_OUTPUTS = ('json', 'txt', 'vis', 'pdf')


def find_preset(name: str) -> Path:
    """A preset file path from a name ('document') or a path."""
    if os.path.isfile(name):
        return Path(name)
    candidate = PRESET_DIR / f'{name}.py'
    if candidate.is_file():
        return candidate
    known = sorted(p.stem for p in PRESET_DIR.glob('*.py')) if PRESET_DIR.is_dir() else []
    raise ModelLoadError(f'unknown preset {name!r}: not a file, and not one of {known} in '
                         f'{PRESET_DIR}')


def load_preset(name: str, overrides: Optional[dict] = None):
    from mmengine.config import Config
    path = find_preset(name)
    try:
        cfg = Config.fromfile(str(path))
    except Exception as e:
        raise ModelLoadError(f'cannot load preset {path}: {type(e).__name__}: {e}')
    if overrides:
        try:
            check_overrides(cfg, overrides)
        except ValueError as e:
            raise ModelLoadError(str(e))
        cfg.merge_from_dict(overrides)
    for key in ('det', 'rec'):
        if key not in cfg or not ('config' in cfg[key] or key == 'rec' and cfg[key].get('onnx')):
            raise ModelLoadError(f'preset {path} needs `{key} = dict(config=..., weights=...)`'
                                 + (' or `rec = dict(onnx=FOLDER)`' if key == 'rec' else ''))
    bad = set(cfg.get('outputs', ALL_OUTPUTS)) - set(ALL_OUTPUTS)
    if bad:
        raise ModelLoadError(f'preset {path}: unknown outputs {sorted(bad)}; '
                             f'choose from {list(ALL_OUTPUTS)}')
    engine_config(cfg)  # its settings' names and types, before any model loads
    return cfg


def warn_loud(message: str) -> None:
    bar = '!' * 78
    print(f'{bar}\n{message}\n{bar}', file=sys.stderr, flush=True)


def resolve_model(part: dict, kind: str, explicit: bool = False):
    """(config, weights) to build, falling back (with warnings) where the preset allows it.

    Preset weights that are not installed mean random initialisation and a loud warning; a
    preset config that is not there yet falls back to ``fallback_config``. What the user named
    explicitly (``explicit``) must exist.
    """
    config, weights = part['config'], part.get('weights')
    is_path = config.endswith('.py') or os.sep in config
    if is_path and not config.startswith('mmocr::') and not os.path.isfile(config):
        fallback = part.get('fallback_config')
        if explicit or not fallback:
            raise ModelLoadError(f'{kind} config file not found: {config}')
        warn_loud(f'WARNING: the {kind} config {config} is not installed.\n'
                  f'Using the stand-in {fallback} with RANDOM weights: its results are '
                  'MEANINGLESS.')
        return fallback, None
    if weights and not weights.startswith(('http://', 'https://')) \
            and not os.path.isfile(weights):
        if explicit:
            raise ModelLoadError(f'{kind} checkpoint not found: {weights}')
        warn_loud(f'WARNING: no trained {kind} weights are installed ({weights} not found).\n'
                  f'The {kind} runs with RANDOM weights: its results are MEANINGLESS.\n'
                  'Install the shipped weights (see README) or pass --'
                  f'{kind[:3]}-weights.')
        weights = None
    elif not weights:
        warn_loud(f'WARNING: no {kind} weights given: RANDOM weights, meaningless results.')
    return config, weights


def build_engine(cfg, device: str = 'cpu', explicit=(), det_batch: Optional[int] = None,
                 rec_batch: Optional[int] = None, precision: str = 'fp32',
                 backend: Optional[str] = None) -> OCREngine:
    """An OCREngine from a loaded preset. ``explicit``: {'det', 'rec'} parts the user named.
    ``precision``: 'fp32', or 'bf16' / 'fp16' backbones for both PyTorch models.
    ``backend``: 'torch' or 'onnx' (onnxruntime on exports cached next to the weights) for
    both models; default: the preset's ``backend``."""
    from .models import TextDetector, TextRecognizer
    det, rec = dict(cfg.det), dict(cfg.rec)
    if backend is None:
        backend = cfg.get('backend', 'torch')
        if device != 'cpu' or precision != 'fp32':  # the preset's onnx is for fp32 on CPUs
            backend = 'torch'

    engine_cfg = engine_config(cfg)
    engine_cfg.detect_ahead = ahead_allowed(engine_cfg.detect_ahead, device)
    rec_batch = rec_batch or rec.get('batch_size', 32)
    onnx = rec.get('onnx')
    if onnx:  # an export of tools/export_onnx.py, run by onnxruntime
        from ..export.ort_recognizer import OnnxTextRecognizer
        recognizer = OnnxTextRecognizer(onnx, device=device, batch_size=rec_batch)
    det_config, det_weights = resolve_model(det, 'detector', 'det' in explicit)
    if not onnx:
        rec_config, rec_weights = resolve_model(rec, 'recognizer', 'rec' in explicit)
    detector = TextDetector(det_config, det_weights, device=device,
                            batch_size=det_batch or det.get('batch_size', 1),
                            strict=det.get('strict', True), cfg_options=det.get('cfg_options'),
                            input_size=det.get('input_size'), precision=precision,
                            backend=backend, quantize=det.get('quantize'),
                            # side by side with the recognizer: no busy-waiting threads
                            spin=not engine_cfg.detect_ahead)
    if not onnx:
        recognizer = TextRecognizer(rec_config, rec_weights, device=device,
                                    batch_size=rec_batch, strict=rec.get('strict', True),
                                    cfg_options=rec.get('cfg_options'), precision=precision,
                                    backend=backend)
    if engine_cfg.small_glyphs.enabled:  # the postprocessor must hand over the faint regions
        detector.lower_min_text_score(engine_cfg.small_glyphs.min_score)
    return OCREngine(detector, recognizer, engine_cfg)


def ahead_allowed(detect_ahead: bool, device: str) -> bool:
    """Detection ahead needs a second thread to run in: not with one CPU thread (asked for by
    users who run several processes side by side)."""
    import torch
    return detect_ahead and (device != 'cpu' or torch.get_num_threads() >= 2)


def engine_config(cfg) -> EngineConfig:
    """The engine settings of a preset (rectify / windows / layout / det_max_side ...)."""
    def pick(cls, section):
        values = dict(cfg.get(section, {}) or {})
        unknown = set(values) - set(cls.__dataclass_fields__)
        if unknown:
            raise ModelLoadError(f'preset: unknown {section} settings {sorted(unknown)}')
        for key, value in values.items():
            check(f'{section}.{key}', cls.__dataclass_fields__[key].default, value)
        return cls(**values)

    def check(key, default, value):
        problem = type_problem(default, value)
        if problem:
            raise ModelLoadError(f'preset setting {key}={value!r}: {problem}')
        return value
    det = cfg.get('det', {})
    for key, default in (('batch_size', 1), ('input_size', [1, 1])):
        check(f'det.{key}', default, det.get(key))
    for key, default in (('batch_size', 1),):
        check(f'rec.{key}', default, cfg.get('rec', {}).get(key))
    for key, default in (('dpi', 200.0), ('max_pixels', 1), ('timeout', 1.0),
                         ('prefetch', 1)):
        check(f'load.{key}', default, (cfg.get('load', {}) or {}).get(key))
    engine = EngineConfig(rectify=pick(RectifyConfig, 'rectify'),
                          windows=pick(WindowConfig, 'windows'),
                          layout=pick(LayoutConfig, 'layout'),
                          word_split=pick(WordSplitConfig, 'word_split'),
                          orientation=pick(OrientationConfig, 'orientation'),
                          scale=pick(ScaleConfig, 'scale'),
                          small_glyphs=pick(SmallGlyphConfig, 'small_glyphs'),
                          space_split=pick(SpaceSplitConfig, 'space_split'),
                          trailing_marks=pick(TrailingMarkConfig, 'trailing_marks'),
                          neighbour_trim=pick(NeighbourTrimConfig, 'neighbour_trim'),
                          gap_glyphs=pick(GapGlyphConfig, 'gap_glyphs'),
                          margin_vote=pick(MarginVoteConfig, 'margin_vote'),
                          det_max_side=int(check('det.max_side', 1, det.get('max_side', 4096))),
                          page_batch=int(det.get('batch_size', 1)),
                          min_det_score=float(check('det.min_score', 0.0,
                                                    det.get('min_score', 0.0))),
                          min_text_score=float(check('rec.min_score', 0.0, (
                              cfg.get('rec', {}) or {}).get('min_score', 0.0))),
                          join_split_numbers=bool(cfg.get('join_split_numbers', False)),
                          join_touching_words=bool(cfg.get('join_touching_words', False)),
                          join_lexicon=str(check('join_lexicon', '', cfg.get('join_lexicon', ''))
                                           or ''),
                          detect_ahead=bool(check('detect_ahead', False,
                                                  cfg.get('detect_ahead', False))))
    for lexicon in (engine.space_split.lexicon, engine.join_lexicon):
        if lexicon:
            load_lexicon(lexicon)  # a missing or unreadable word list fails here, named
    return engine
