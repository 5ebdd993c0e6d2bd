"""Export a CLIP4STR recognizer (config + checkpoint, or random init) to an ONNX folder.

The folder holds one graph per piece (see ``graphs.py``) and ``model.json`` (see
``sidecar.py``). Graphs come from ``torch.onnx.export(dynamo=True)`` with a dynamic batch and
dynamic sequence lengths where the decoding loop needs them (past length of the AR step, prefix
length of the cloze pass, memory length). The decoding loop itself runs in Python over
onnxruntime (``ort_decoder.py``).
"""
import importlib.util
import logging
import os
import warnings
from pathlib import Path
from typing import Dict, Optional

import torch

from ..ocr.errors import ModelLoadError
from .graphs import ClozeGraph, ImageEncoderGraph, MemoryGraph, StepGraph, TextEncoderGraph
from .sidecar import CROSS_GRAPHS, GRAPH_IO, SIDECAR, VISUAL_GRAPHS, write_sidecar

DEFAULT_OPSET = 18
# the transforms of a test pipeline whose effect the ONNX runtime reproduces
SUPPORTED_TRANSFORMS = {'LoadImageFromFile', 'LoadImageFromNDArray', 'InferencerLoader',
                        'CLIPResize', 'LoadOCRAnnotations', 'PackTextRecogInputs'}
EXTERNAL_DATA_BYTES = 1 << 30  # graphs with more weights than this keep them in a .data file


def build_recognizer(config, checkpoint: Optional[str] = None, cfg_options: Optional[Dict] = None):
    """(model in eval mode, config) from a config file and an optional checkpoint."""
    import clip4str  # noqa: F401
    from mmocr.registry import MODELS
    from mmocr.utils import register_all_modules

    from ..models.recognizers.clip4str import CLIP4STR
    from ..ocr.models import _drop_pretrained, load_model_config, load_weights
    register_all_modules(init_default_scope=True)
    cfg = load_model_config(config, 'recognizer')
    if isinstance(cfg, str):
        raise ModelLoadError(f'recognizer config file not found: {config}')
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    _drop_pretrained(cfg.model)
    cfg.model.pop('clip_pretrained', None)  # the checkpoint holds every weight
    try:
        model = MODELS.build(cfg.model)
    except Exception as e:
        raise ModelLoadError(f'cannot build the recognizer of {config}: {type(e).__name__}: {e}')
    if not isinstance(model, CLIP4STR):
        raise ModelLoadError(f'{config} builds a {type(model).__name__}; only CLIP4STR '
                             'recognizers are exported')
    if checkpoint:
        load_weights(model, checkpoint, 'recognizer')
    return model.eval(), cfg


def preprocessing(cfg, config_name: str) -> Dict:
    """Input size, channel order and normalisation of the config's test pipeline."""
    pipeline = cfg.test_dataloader.dataset.pipeline
    unknown = [t['type'] for t in pipeline if t['type'] not in SUPPORTED_TRANSFORMS]
    resize = [t for t in pipeline if t['type'] == 'CLIPResize']
    if unknown or len(resize) != 1:
        raise ModelLoadError(
            f'{config_name}: the ONNX runtime reproduces test pipelines of '
            f'{sorted(SUPPORTED_TRANSFORMS)} with one CLIPResize; this one has '
            f'{[t["type"] for t in pipeline]}')
    height, width = resize[0].get('img_size', (224, 224))
    pre = cfg.model.get('data_preprocessor') or {}
    return dict(height=int(height), width=int(width),
                resize=dict(backend='pillow', interpolation=resize[0].get(
                    'interpolation', 'bicubic')),
                # MMOCR treats input arrays as BGR; the data preprocessor may swap them
                bgr_to_rgb=bool(pre.get('bgr_to_rgb', False)),
                mean=[float(m) for m in pre.get('mean') or (0., 0., 0.)],
                std=[float(s) for s in pre.get('std') or (1., 1., 1.)])


def metadata(model, cfg, config_name: str) -> Dict:
    dec = model.decoder
    d = dec.dictionary
    first = dec.visual_decoder.layers[0].self_attn
    meta = dict(
        input=preprocessing(cfg, config_name),
        dictionary=dict(chars=list(d.dict), bos_id=dec.bos_id, eos_id=dec.eos_id,
                        pad_id=dec.pad_id, num_classes=d.num_classes,
                        ignore_ids=sorted(int(i) for i in dec.postprocessor.ignore_indexes)),
        max_seq_len=int(dec.postprocessor.max_seq_len),
        decode=dict(mode=dec.decode_mode, refine_iters=int(dec.refine_iters),
                    cross_steps=getattr(dec, 'cross_steps', 'all'),
                    output_branch=dec.output_branch, num_steps=dec.max_seq_len + 1),
        decoder=dict(depth=len(dec.visual_decoder.layers), num_heads=first.num_heads,
                     head_dim=first.embed_dim // first.num_heads, embed_dim=dec.embed_dim))
    if dec.output_branch == 'cross':
        from ..models.clip.tokenizer import DEFAULT_CAPTION_CHARSET
        meta['caption'] = dict(
            context_length=dec.tokenizer.context_length, lowercase=dec.tokenizer.lowercase,
            charset=cfg.model.decoder.get('caption_charset', DEFAULT_CAPTION_CHARSET))
    return meta


def _example_inputs(model, meta) -> Dict[str, tuple]:
    """Example inputs per graph (batch 2, lengths > 1 so no dim specialises to 0/1)."""
    h, w = meta['input']['height'], meta['input']['width']
    dm = meta['decoder']
    with torch.no_grad():
        images = torch.randn(2, 3, h, w)
        feat = model.backbone(images)
        vis_k, vis_v = MemoryGraph(model.decoder.visual_decoder)(feat)
    past = torch.randn(dm['depth'], 2, dm['num_heads'], 3, dm['head_dim'])
    token = torch.full((2, 1), 1, dtype=torch.long)
    tgt_in = torch.tensor([[model.decoder.bos_id, 1, 2, 3]] * 2)
    ex = dict(image_encoder=(images,), visual_memory=(feat,),
              visual_step=(token, past, past.clone(), vis_k, vis_v),
              visual_cloze=(tgt_in, vis_k, vis_v))
    if model.decoder.output_branch == 'cross':
        ctx = meta['caption']['context_length']
        tokens = torch.zeros(2, ctx, dtype=torch.long)
        with torch.no_grad():
            text = model.decoder.text_encoder(tokens)
            ck, cv = MemoryGraph(model.decoder.cross_decoder)(torch.cat([feat, text], 1))
        ex.update(text_encoder=(tokens,), cross_memory=(feat,),
                  cross_step=(token, past, past.clone(), ck, cv),
                  cross_cloze=(tgt_in, ck, cv))
    return ex


def _dynamic_shapes(name: str, meta) -> Dict[str, Dict]:
    from torch.export import Dim
    batch = Dim('batch', min=1, max=4096)
    mem = Dim('mem_len', min=1, max=65536)
    steps = meta['decode']['num_steps']
    kv = {1: batch, 3: mem}
    if name == 'image_encoder':
        return dict(images={0: batch})
    if name == 'text_encoder':
        return dict(tokens={0: batch})
    if name.endswith('_memory'):
        return dict(memory={0: batch, 1: Dim('length', min=1, max=65536)})
    if name.endswith('_step'):
        past = {1: batch, 3: Dim('past_len', min=0, max=steps)}
        return dict(token={0: batch}, past_k=past, past_v=past, mem_k=kv, mem_v=kv)
    return dict(tgt_in={0: batch, 1: Dim('tgt_len', min=1, max=steps)}, mem_k=kv, mem_v=kv)


def _module(name: str, model) -> torch.nn.Module:
    dec = model.decoder
    part = dec.cross_decoder if name.startswith('cross') else dec.visual_decoder
    if name == 'image_encoder':
        return ImageEncoderGraph(model.backbone)
    if name == 'text_encoder':
        return TextEncoderGraph(dec.text_encoder)
    if name.endswith('_memory'):
        return MemoryGraph(part)
    if name.endswith('_step'):
        return StepGraph(part)
    return ClozeGraph(part, dec.eos_id)


def export_graph(name: str, module: torch.nn.Module, args: tuple, meta: Dict, path: Path,
                 opset: int) -> None:
    inputs, outputs = GRAPH_IO[name]
    size = sum(p.numel() * p.element_size() for p in module.parameters())
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter('ignore')
        logging.getLogger('torch.onnx').setLevel(logging.ERROR)
        torch.onnx.export(module.eval(), args, str(path), dynamo=True, opset_version=opset,
                          input_names=inputs, output_names=outputs,
                          dynamic_shapes=_dynamic_shapes(name, meta),
                          external_data=size > EXTERNAL_DATA_BYTES, verbose=False)


def export_onnx(config, checkpoint: Optional[str], out_dir, opset: int = DEFAULT_OPSET,
                cfg_options: Optional[Dict] = None, model=None, cfg=None, log=print) -> Path:
    """Write the graphs and ``model.json`` into ``out_dir``; returns the folder.

    ``model`` / ``cfg``: an already built recognizer and its config (tests), instead of
    building one from ``config`` and ``checkpoint``.
    """
    missing = [m for m in ('onnx', 'onnxscript') if importlib.util.find_spec(m) is None]
    if missing:
        raise ModelLoadError(f'ONNX export needs {missing}: pip install -r '
                             'requirements/export.txt')
    if model is None:
        model, cfg = build_recognizer(config, checkpoint, cfg_options)
    config_name = str(getattr(cfg, 'filename', None) or config)
    meta = metadata(model, cfg, config_name)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if (out / SIDECAR).exists():
        (out / SIDECAR).unlink()  # the folder is incomplete until the new sidecar is written
    names = VISUAL_GRAPHS + (CROSS_GRAPHS if meta['decode']['output_branch'] == 'cross' else ())
    examples = _example_inputs(model, meta)
    graphs = {}
    for name in names:
        path = out / f'{name}.onnx'
        log(f'exporting {name} -> {path}')
        export_graph(name, _module(name, model), examples[name], meta, path, opset)
        graphs[name] = path.name
    meta.update(graphs=graphs, opset=opset, source=dict(
        config=config_name, checkpoint=os.path.abspath(checkpoint) if checkpoint else None))
    write_sidecar(out, meta)
    return out

