"""CLIP4STR's dual predict-and-refine inference over onnxruntime sessions.

The same procedure as ``CLIP4STRDecoder.predict_logits`` with ``kv_cache=True`` (the default):
visual decoder AR with a KV cache and early stop -> caption (CLIP BPE) of its prediction through
the text encoder graph -> cross decoder AR over concat(image, caption) memory -> cloze
refinement passes. The loop, the argmaxes and the tokenisation run here in numpy/Python.
"""
import os
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..ocr.errors import ModelLoadError
from .sidecar import CROSS_GRAPHS, GRAPH_IO, VISUAL_GRAPHS, read_sidecar


BIG_GRAPHS = ('image_encoder',)


def session_options(threads: Optional[int], spin: bool = True):
    """``spin=False``: idle intra-op threads sleep instead of busy-waiting for work, for a
    session that shares the cores with another running at the same time (2 cores, detector
    beside the recognizer, 10 benchmark pages: 1.25-1.30 pages/s spinning, 1.35-1.40 not)."""
    import onnxruntime as ort
    opts = ort.SessionOptions()
    if threads is None and os.environ.get('OMP_NUM_THREADS', '').isdigit():
        threads = int(os.environ['OMP_NUM_THREADS'])
    if threads:
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
    opts.log_severity_level = 3  # errors only
    if not spin:
        opts.add_session_config_entry('session.intra_op.allow_spinning', '0')
    # input shapes change with every batch and page: per-shape memory patterns and a growing
    # arena only hold on to memory (the batch tool's peak RSS doubled with them)
    opts.enable_mem_pattern = False
    opts.enable_cpu_mem_arena = False
    return opts


def providers_for(device: str) -> list:
    import onnxruntime as ort
    if str(device).startswith('cuda'):
        if 'CUDAExecutionProvider' in ort.get_available_providers():
            index = str(device).partition(':')[2] or '0'
            return [('CUDAExecutionProvider', dict(device_id=int(index))),
                    'CPUExecutionProvider']
        print(f'warning: device {device} asked for, but this onnxruntime has no CUDA provider '
              '(install onnxruntime-gpu): the ONNX recognizer runs on the CPU', file=sys.stderr)
    return ['CPUExecutionProvider']


class OnnxCLIP4STR:
    """The exported recognizer's graphs + decoding loop. ``predict_logits(images)`` maps
    normalised (B, 3, H, W) float32 images to the output branch's logits (B, T, C)."""

    def __init__(self, folder, device: str = 'cpu', threads: Optional[int] = None):
        self.folder = Path(folder)
        self.meta = read_sidecar(self.folder)
        d, dec = self.meta['dictionary'], self.meta['decode']
        self.bos_id, self.eos_id, self.pad_id = d['bos_id'], d['eos_id'], d['pad_id']
        self.num_classes = d['num_classes']
        self.num_steps = dec['num_steps']
        self.mode, self.refine_iters = dec['mode'], dec['refine_iters']
        self.cross_steps = dec.get('cross_steps', 'visual')  # older exports: the reference's
        self.use_cross = dec['output_branch'] == 'cross'
        self.logit_mask = np.zeros(self.num_classes, np.float32)
        self.logit_mask[[self.bos_id, self.pad_id]] = -np.inf
        specials = {self.bos_id, self.eos_id, self.pad_id}
        self.id2char = [c if i not in specials else '' for i, c in enumerate(d['chars'])]
        self.sessions = self._load(device, threads)
        if self.use_cross:
            from ..models.clip.tokenizer import CaptionTokenizer
            cap = self.meta['caption']
            self.tokenizer = CaptionTokenizer(cap['context_length'], cap['charset'],
                                              cap['lowercase'])

    def _load(self, device, threads) -> Dict:
        try:
            import onnxruntime as ort
        except ImportError:
            raise ModelLoadError(f'running the ONNX recognizer {self.folder} needs onnxruntime: '
                                 'pip install -r requirements/export.txt')
        providers = providers_for(device)
        # the image encoder is the one big graph; the decoders' per-step graphs and the caption
        # encoder run a few tokens at a time, where a second intra-op thread costs more in
        # hand-over than it saves (6 receipts, 2 threads: recognizer 4.5 s with 2 everywhere,
        # 3.3 s with 1 everywhere, 2.7 s with 2 for the image encoder only)
        big, small = session_options(threads), session_options(min(threads or 1, 1))
        sessions = {}
        for name in VISUAL_GRAPHS + (CROSS_GRAPHS if self.use_cross else ()):
            path = self.folder / self.meta['graphs'][name]
            try:
                sess = ort.InferenceSession(str(path), big if name in BIG_GRAPHS else small,
                                            providers=providers)
            except Exception as e:
                raise ModelLoadError(f'cannot load ONNX graph {path}: {type(e).__name__}: '
                                     f'{str(e).splitlines()[0] if str(e) else ""}')
            self._check_io(name, path, sess)
            sessions[name] = sess
        return sessions

    def _check_io(self, name: str, path: Path, sess) -> None:
        """A graph from another export or model would fail deep inside the loop: say so now."""
        inputs, outputs = GRAPH_IO[name]
        got_in = [i.name for i in sess.get_inputs()]
        got_out = [o.name for o in sess.get_outputs()]
        problem = None
        if got_in != inputs or got_out != outputs:
            problem = f'inputs {got_in} / outputs {got_out}, expected {inputs} / {outputs}'
        elif name == 'image_encoder':
            shape = sess.get_inputs()[0].shape
            want = [3, self.meta['input']['height'], self.meta['input']['width']]
            if list(shape[1:]) != want:
                problem = f'input images {shape}, but the sidecar says (B, {want})'
        elif name.endswith(('_step', '_cloze')):
            classes = sess.get_outputs()[0].shape[-1]
            if classes != self.num_classes:
                problem = (f'{classes} output classes, but the sidecar\'s dictionary has '
                           f'{self.num_classes}')
        if problem:
            raise ModelLoadError(f'ONNX graph {path} does not match {self.folder}/model.json '
                                 f'({problem}): export the model again into an empty folder')

    def _run(self, name: str, *arrays: np.ndarray):
        inputs = GRAPH_IO[name][0]
        return self.sessions[name].run(None, dict(zip(inputs, arrays)))

    # ------------------------------------------------------------------ decoding
    def predict_logits(self, images: np.ndarray) -> np.ndarray:
        (feat,) = self._run('image_encoder', np.ascontiguousarray(images, np.float32))
        vis_kv = self._run('visual_memory', feat)
        vis = self._first_pass('visual', vis_kv, self.num_steps)
        if self.use_cross:
            img_kv = self._run('cross_memory', feat)
            cross_kv = self._cross_memory(vis, img_kv)
            steps = self.num_steps if self.cross_steps == 'all' else vis.shape[1]
            cross = self._first_pass('cross', cross_kv, steps)
        for _ in range(self.refine_iters):
            vis = self._refine('visual', vis, vis_kv)
            if self.use_cross:
                cross = self._refine('cross', cross, self._cross_memory(vis, img_kv))
        return cross if self.use_cross else vis

    def probabilities(self, logits: np.ndarray) -> np.ndarray:
        """Softmax of the masked logits (as ``CLIP4STRDecoder.forward_test``)."""
        x = logits + self.logit_mask
        x = np.exp(x - x.max(-1, keepdims=True))
        return x / x.sum(-1, keepdims=True)

    def _argmax(self, logits: np.ndarray) -> np.ndarray:
        return (logits + self.logit_mask).argmax(-1)

    def _first_pass(self, branch: str, mem_kv: Sequence[np.ndarray], num_steps: int
                    ) -> np.ndarray:
        mem_k, mem_v = mem_kv
        batch = mem_k.shape[1]
        if self.mode == 'nar':
            bos = np.full((batch, 1), self.bos_id, np.int64)
            return self._run(f'{branch}_cloze', bos, mem_k, mem_v)[0]
        token = np.full((batch, 1), self.bos_id, np.int64)
        past_k = past_v = np.zeros(mem_k.shape[:3] + (0, mem_k.shape[4]), np.float32)
        ended = np.zeros(batch, bool)
        logits = []
        for i in range(num_steps):
            step, past_k, past_v = self._run(f'{branch}_step', token, past_k, past_v,
                                             mem_k, mem_v)
            logits.append(step)
            if i + 1 < num_steps:
                token = self._argmax(step)[:, None].astype(np.int64)
                ended |= token[:, 0] == self.eos_id
                if ended.all():
                    break
        return np.stack(logits, axis=1)

    def _refine(self, branch: str, logits: np.ndarray, mem_kv: Sequence[np.ndarray]
                ) -> np.ndarray:
        bos = np.full((logits.shape[0], 1), self.bos_id, np.int64)
        tgt_in = np.concatenate([bos, self._argmax(logits[:, :-1]).astype(np.int64)], axis=1)
        return self._run(f'{branch}_cloze', tgt_in, *mem_kv)[0]

    # ------------------------------------------------------------------ captions
    def decode_ids(self, logits: np.ndarray) -> List[str]:
        texts = []
        for row in self._argmax(logits).tolist():
            if self.eos_id in row:
                row = row[:row.index(self.eos_id)]
            texts.append(''.join(self.id2char[i] if i < len(self.id2char) else '' for i in row))
        return texts

    def _cross_memory(self, vis_logits: np.ndarray, img_kv: Sequence[np.ndarray]
                      ) -> Tuple[np.ndarray, np.ndarray]:
        tokens = self.tokenizer(self.decode_ids(vis_logits)).numpy().astype(np.int64)
        (text,) = self._run('text_encoder', tokens)
        text_k, text_v = self._run('cross_memory', text)
        return (np.concatenate([img_kv[0], text_k], axis=3),
                np.concatenate([img_kv[1], text_v], axis=3))
