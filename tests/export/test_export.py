"""The exported graphs + onnxruntime decoding loop against the PyTorch recognizer."""
import json

import numpy as np
import pytest
import torch

from .conftest import WORDS, torch_inputs


@pytest.fixture(scope='module')
def ort_rec(exported):
    from clip4str.export import OnnxTextRecognizer
    return OnnxTextRecognizer(exported.folder, batch_size=32, threads=1)  # as torch_rec


def test_sidecar_describes_the_model(exported):
    meta = json.loads((exported.folder / 'model.json').read_text())
    model = exported.torch_rec.model
    d = model.decoder.dictionary
    pre = model.data_preprocessor
    assert meta['input'] == dict(height=32, width=128, bgr_to_rgb=True,
                                 mean=pytest.approx(pre.mean.flatten().tolist()),
                                 std=pytest.approx(pre.std.flatten().tolist()),
                                 resize=dict(backend='pillow', interpolation='bicubic'))
    assert meta['dictionary']['chars'] == d.dict and meta['dictionary']['num_classes'] == 97
    assert (meta['dictionary']['bos_id'], meta['dictionary']['eos_id'],
            meta['dictionary']['pad_id']) == (d.start_idx, d.end_idx, d.padding_idx)
    assert meta['max_seq_len'] == 25
    assert meta['decode'] == dict(mode='ar', refine_iters=1, cross_steps='all',
                                  output_branch='cross', num_steps=26)
    assert meta['caption'] == dict(context_length=16, lowercase=True,
                                   charset='0123456789abcdefghijklmnopqrstuvwxyz')
    for name, file in meta['graphs'].items():
        assert (exported.folder / file).is_file(), name
    assert len(meta['graphs']) == 8


def test_preprocessing_matches_the_mmocr_pipeline(exported, ort_rec):
    crops = exported.crops[:6]
    expected = torch_inputs(exported.torch_rec, crops).numpy()
    np.testing.assert_allclose(ort_rec.preprocess(crops), expected, atol=1e-5)


@pytest.mark.parametrize('variant', [dict(), dict(decode_mode='nar'), dict(refine_iters=0),
                                     dict(refine_iters=2), dict(output_branch='visual')])
def test_probabilities_match_pytorch(exported, ort_rec, variant, monkeypatch):
    """The same graphs serve every decode setting of the sidecar: switch both sides."""
    model = exported.torch_rec.model
    for key, value in variant.items():
        monkeypatch.setattr(model.decoder, key, value)
    ort = ort_rec.model
    monkeypatch.setattr(ort, 'mode', variant.get('decode_mode', 'ar'))
    monkeypatch.setattr(ort, 'refine_iters', variant.get('refine_iters', 1))
    monkeypatch.setattr(ort, 'use_cross', variant.get('output_branch', 'cross') == 'cross')
    torch.manual_seed(1)
    images = torch.cat([torch_inputs(exported.torch_rec, exported.crops),
                        torch.randn(2, 3, 32, 128)])
    with torch.no_grad():
        expected = model.decoder.forward_test(model.backbone(images)).numpy()
    got = ort.probabilities(ort.predict_logits(images.numpy()))
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, atol=1e-4)
    assert np.array_equal(got.argmax(-1), expected.argmax(-1))


def test_image_features_and_kv_step_match(exported, ort_rec):
    model = exported.torch_rec.model
    images = torch_inputs(exported.torch_rec, exported.crops[:4])
    with torch.no_grad():
        feat = model.backbone(images)
        vis_kv = model.decoder.visual_decoder.prepare_memory(feat)
        ref, _ = model.decoder.visual_decoder.decode_ar(
            vis_kv, model.decoder.bos_id, model.decoder.eos_id, model.decoder.pad_id, 26,
            logit_mask=model.decoder.logit_mask, early_stop=False)
    ort = ort_rec.model
    (got_feat,) = ort._run('image_encoder', images.numpy())
    np.testing.assert_allclose(got_feat, feat.numpy(), atol=1e-5)
    got = ort._first_pass('visual', ort._run('visual_memory', got_feat), 26)
    # onnxruntime stops once every row has EOS; up to there the steps agree
    np.testing.assert_allclose(got, ref[:, :got.shape[1]].numpy(), atol=1e-4)


def test_texts_match_on_the_training_words(exported, ort_rec):
    expected = exported.torch_rec(exported.crops)
    got = ort_rec(exported.crops)
    assert [t for t, _ in got] == [t for t, _ in expected]
    for (_, s1), (_, s2) in zip(got, expected):
        np.testing.assert_allclose(s1, s2, atol=1e-4)
    # trained enough to be meaningful: mostly the words it saw
    assert sum(t == w for (t, _), w in zip(got, WORDS)) >= len(WORDS) // 2


def test_same_texts_on_real_crops(exported, ort_rec, shared_data):
    import cv2
    root = shared_data / 'IIIT5K'
    lines = (root / 'test.tags').read_text().splitlines()[:96]
    crops = [cv2.imread(str(root / ln.split(' ', 1)[0])) for ln in lines]  # BGR, as the engine
    expected = exported.torch_rec(crops)
    got = ort_rec(crops)
    texts = [t for t, _ in got]
    assert texts == [t for t, _ in expected]
    for (_, s1), (_, s2) in zip(got, expected):
        np.testing.assert_allclose(s1, s2, atol=1e-4)
    assert len(set(texts)) >= 8 and len({len(t) for t in texts}) >= 3  # not degenerate
