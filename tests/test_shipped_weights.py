"""The shipped default models in weights/: the manifest describes the files, each loads strictly
(weights_only) into the model its config builds, and the presets use them with those configs."""
import hashlib
import json

from pathlib import Path

import pytest
import torch
from mmengine.config import Config

from tests.helpers import REPO

# of the first 200 IIIT5K test crops: the shipped file reads 177 (86.3% of all 3000), the last
# two read 172 and 151
MIN_IIIT5K_CORRECT = 168
MANIFEST = REPO / 'weights' / 'MANIFEST.json'
ENTRIES = json.loads(MANIFEST.read_text())['models'] if MANIFEST.is_file() else []


def test_manifest_lists_every_shipped_file():
    files = {e['file'] for e in ENTRIES}
    assert {'weights/dbnet_resnet18_synthdoc.pth', 'weights/clip4str_small.pth'} <= files
    on_disk = {f'weights/{p.name}' for p in (REPO / 'weights').glob('*.pth')}
    assert on_disk == files


@pytest.mark.parametrize('entry', ENTRIES, ids=[e['file'] for e in ENTRIES])
def test_shipped_file_matches_manifest_and_loads_strictly(entry):
    import clip4str  # noqa: F401
    from mmengine.registry import init_default_scope
    from mmengine.runner import load_checkpoint
    from mmocr.registry import MODELS
    init_default_scope('mmocr')
    path = REPO / entry['file']
    data = path.read_bytes()
    assert len(data) == entry['size_bytes'] and len(data) < 30e6
    assert hashlib.sha256(data).hexdigest() == entry['sha256']
    sd = torch.load(path, map_location='cpu', weights_only=True)['state_dict']
    assert all(torch.isfinite(t).all() for t in sd.values() if t.is_floating_point())
    model = MODELS.build(Config.fromfile(str(REPO / entry['config'])).model)
    load_checkpoint(model, str(path), map_location='cpu', strict=True, logger='silent')


@pytest.mark.parametrize('preset', ['document', 'photo'])
def test_presets_point_at_shipped_files(preset):
    from clip4str.ocr.preset import load_preset
    cfg = load_preset(preset)
    config_of = {(REPO / e['file']).resolve(): (REPO / e['config']).resolve() for e in ENTRIES}
    for part in ('det', 'rec'):
        weights = Path(cfg[part]['weights']).resolve()
        assert weights in config_of, f'{preset}: {part} weights {weights} are not shipped'
        assert Path(cfg[part]['config']).resolve() == config_of[weights]


def test_shipped_recognizer_reads_real_words(shared_data):
    """The default recognizer on the first 200 IIIT5K test crops (never trained on), through the
    same adapter the OCR engine uses, scored by the benchmark's STRMetric (36 characters)."""
    import cv2
    from clip4str.evaluation import word_accuracy
    from clip4str.ocr.models import TextRecognizer
    from clip4str.ocr.preset import load_preset
    rec = load_preset('document')['rec']
    lines = (shared_data / 'IIIT5K' / 'test.tags').read_text().splitlines()[:200]
    items = [ln.split(' ', 1) for ln in lines]
    crops = [cv2.imread(str(shared_data / 'IIIT5K' / path)) for path, _ in items]
    texts = [t for t, _ in TextRecognizer(rec['config'], rec['weights'], batch_size=50)(crops)]

    correct = round(word_accuracy(texts, [label for _, label in items]) * len(items))
    assert correct >= MIN_IIIT5K_CORRECT, (correct, list(zip(texts, items))[:10])
