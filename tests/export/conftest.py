"""One tiny CLIP4STR, trained a little on rendered words, saved and exported once per session.

With random weights every prediction is long garbage; after 100 steps on 16 rendered words the
model reads crops as words of various lengths, so comparing texts means something.
"""
from types import SimpleNamespace

import numpy as np
import pytest

from tests.helpers import REPO

TINY_CFG = REPO / 'configs' / 'textrecog' / 'clip4str' / 'clip4str_tiny_toy.py'
WORDS = ['hello', 'World42', 'a', 'Tesseract', 'PP-OCR', 'x', 'clip4str', 'MMOCR!', 'STOP',
         'cafe', 'EXIT', 'parking', 'Salutes', '2024', 'open', 'Hotel']
TRAIN_STEPS = 100


def render_words(words, seed=0):
    """Coloured word crops of various sizes, in MMOCR's channel order (BGR)."""
    from PIL import Image, ImageDraw, ImageFont
    rng = np.random.default_rng(seed)
    font = ImageFont.load_default(size=22)
    crops = []
    for word in words:
        bg = tuple(int(c) for c in rng.integers(150, 256, 3))
        fg = tuple(int(c) for c in rng.integers(0, 90, 3))
        img = Image.new('RGB', (int(16 * len(word) + rng.integers(20, 60)),
                                int(rng.integers(30, 50))), bg)
        ImageDraw.Draw(img).text((8, 3), word, fill=fg, font=font)
        crops.append(np.ascontiguousarray(np.asarray(img)[:, :, ::-1]))
    return crops


def torch_inputs(recognizer, crops):
    """Network input of the PyTorch path: MMOCR test pipeline + data preprocessor."""
    data = recognizer.collate([recognizer.pipeline(c) for c in crops])
    return recognizer.model.data_preprocessor(data, False)['inputs']


@pytest.fixture(scope='session')
def exported(tmp_path_factory):
    pytest.importorskip('onnxruntime')
    pytest.importorskip('onnxscript')
    import torch

    from clip4str.cli.export_onnx import main as export_main
    from clip4str.ocr.models import TextRecognizer
    from tests.models.helpers import samples

    torch.manual_seed(0)
    rec = TextRecognizer(str(TINY_CFG))
    model = rec.model
    crops = render_words(WORDS)
    inputs = torch_inputs(rec, crops)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    model.train()
    for _ in range(TRAIN_STEPS):
        opt.zero_grad()
        sum(model.loss(inputs, samples(WORDS)).values()).backward()
        opt.step()
    model.eval()
    root = tmp_path_factory.mktemp('onnx')
    ckpt = root / 'tiny.pth'
    torch.save({'state_dict': model.state_dict()}, ckpt)
    folder = root / 'export'
    assert export_main([str(TINY_CFG), str(ckpt), '--out', str(folder), '--no-check']) == 0
    return SimpleNamespace(config=TINY_CFG, ckpt=ckpt, folder=folder, crops=crops,
                           torch_rec=TextRecognizer(str(TINY_CFG), str(ckpt)))
