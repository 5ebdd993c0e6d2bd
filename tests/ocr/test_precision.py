"""--precision bf16: the models' backbones run in bf16, the rest (decoding) in fp32."""
import numpy as np
import pytest
import torch

from tests.models.helpers import CFG_DIR, TINY_ARCH


@pytest.fixture(scope='module')
def tiny_rec_config(tmp_path_factory):
    path = tmp_path_factory.mktemp('prec') / 'tiny_rec.py'
    path.write_text(f"""_base_ = ['{CFG_DIR}/clip4str_small.py']
arch = {TINY_ARCH!r}
model = dict(backbone=dict(arch=arch),
             decoder=dict(num_heads=2, text_encoder=dict(arch=arch, freeze_layers=1)))
""")
    return str(path)


def test_bf16_backbone_matches_fp32_features_and_reads(tiny_rec_config):
    from clip4str.ocr.models import TextRecognizer
    torch.manual_seed(0)
    full = TextRecognizer(tiny_rec_config, precision='fp32', batch_size=4)
    half = TextRecognizer(tiny_rec_config, precision='bf16', batch_size=4)
    half.model.load_state_dict({k: v.to(torch.bfloat16) if k.startswith('backbone.') else v
                                for k, v in full.model.state_dict().items()})
    assert {p.dtype for p in half.model.backbone.parameters()} == {torch.bfloat16}
    assert {p.dtype for p in half.model.decoder.parameters()} == {torch.float32}
    images = torch.randn(3, 3, 32, 128)
    with torch.inference_mode():
        a, b = full.model.backbone(images), half.model.backbone(images)
    assert b.dtype == torch.float32  # the decoders get fp32 features
    torch.testing.assert_close(b, a, atol=0.1, rtol=0.05)
    assert not torch.equal(a, b)
    crops = [np.random.RandomState(i).randint(0, 255, (20, 60 + 10 * i, 3), np.uint8)
             for i in range(5)]
    out = half(crops)
    assert len(out) == 5 and all(isinstance(t, str) for t, _ in out)


def test_unknown_precision_is_an_error(tiny_rec_config):
    from clip4str.ocr.errors import ModelLoadError
    from clip4str.ocr.models import TextRecognizer
    with pytest.raises(ModelLoadError, match='precision'):
        TextRecognizer(tiny_rec_config, precision='int8')
