"""The recognizer: shapes, gradient flow, freezing, decoding modes and the fast AR path."""
import pytest
import torch

from .helpers import build, samples, tiny_cfg

WORDS = ['hello', 'World42', 'a', 'Tesseract', 'PP-OCR', 'x', 'clip4str', 'MMOCR!']


def test_encoder_shapes(tiny_model):
    feats = tiny_model.backbone(torch.randn(3, 3, 32, 128))
    assert feats.shape == (3, 1 + 4 * 8, 32)  # class token + (32/8) x (128/16) patches
    text = tiny_model.decoder.text_encoder(torch.zeros(3, 16, dtype=torch.long))
    assert text.shape == (3, 16, 32)


def test_loss_terms_and_gradient_isolation(tiny_model):
    """The cross-modal loss reaches the cross decoder and the trainable text blocks, never the
    image encoder, the visual decoder or any frozen parameter."""
    model = tiny_model.train()
    x = torch.randn(4, 3, 32, 128)
    losses = model.loss(x, samples(WORDS[:4]))
    assert set(losses) == {'loss_visual', 'loss_cross'}
    losses['loss_cross'].backward()
    grads = {n: p.grad for n, p in model.named_parameters()}
    assert all(g is None or g.abs().sum() == 0 for n, g in grads.items()
               if n.startswith(('backbone.', 'decoder.visual_decoder.')))
    assert any(g is not None and g.abs().sum() > 0 for n, g in grads.items()
               if n.startswith('decoder.cross_decoder.'))
    text_trainable = [n for n, p in model.named_parameters()
                      if n.startswith('decoder.text_encoder.') and p.requires_grad]
    assert any(grads[n] is not None and grads[n].abs().sum() > 0 for n in text_trainable)

    model.zero_grad()
    sum(model.loss(x, samples(WORDS[:4])).values()).backward()
    frozen = [n for n, p in model.named_parameters() if not p.requires_grad]
    assert frozen and all(model.get_parameter(n).grad is None for n in frozen)
    assert model.backbone.visual.conv1.weight.grad.abs().sum() > 0  # visual loss does reach it


def test_reference_freezing_and_eval_mode(tiny_model):
    text = tiny_model.decoder.text_encoder
    frozen = {n for n, p in text.named_parameters() if not p.requires_grad}
    assert frozen == {'logit_scale', 'text.token_embedding.weight', 'text.positional_embedding',
                      *[n for n, _ in text.named_parameters()
                        if n.startswith('text.transformer.resblocks.0.')]}
    tiny_model.train()
    assert not text.text.transformer.resblocks[0].training
    assert text.text.transformer.resblocks[1].training


@pytest.mark.parametrize('mode,refine,branch', [('ar', 1, 'cross'), ('ar', 0, 'cross'),
                                                ('ar', 2, 'cross'), ('nar', 1, 'cross'),
                                                ('ar', 1, 'visual'), ('nar', 0, 'visual')])
def test_decoding_modes_produce_texts_and_scores(mode, refine, branch):
    torch.manual_seed(0)
    model = build(tiny_cfg(decode_mode=mode, refine_iters=refine, output_branch=branch)).eval()
    out = model.predict(torch.randn(3, 3, 32, 128), samples(WORDS[:3]))
    for sample in out:
        text, scores = sample.pred_text.item, sample.pred_text.score
        assert isinstance(text, str) and len(text) == len(scores) <= 25
        assert all(0 <= s <= 1 for s in scores)
        assert 0 <= sample.pred_text.word_score <= 1


def test_visual_branch_only_skips_the_text_encoder(monkeypatch):
    model = build(tiny_cfg(output_branch='visual')).eval()
    monkeypatch.setattr(model.decoder, 'text_features',
                        lambda *a: pytest.fail('cross branch used'))
    model.predict(torch.randn(2, 3, 32, 128), samples(WORDS[:2]))


def _trained_a_little(steps=30):
    """A model whose predictions are no longer random noise (EOS appears at various places)."""
    torch.manual_seed(0)
    model = build(tiny_cfg())
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    x = torch.randn(8, 3, 32, 128)
    ds = samples(WORDS)
    model.train()
    for _ in range(steps):
        opt.zero_grad()
        sum(model.loss(x, ds).values()).backward()
        opt.step()
    return model.eval(), x


@pytest.mark.parametrize('cross_steps', ['all', 'visual'])
def test_fast_ar_path_matches_the_reference_path(cross_steps):
    """KV cache + early stop give the same texts and probabilities as recomputing the prefix
    and memory projections at every step and running the cross branch to the end."""
    model, x = _trained_a_little()
    feat = model.backbone(x)
    dec = model.decoder
    dec.cross_steps = cross_steps
    dec.kv_cache = True
    fast = dec.predict_logits(feat)
    dec.kv_cache = False
    slow = dec.predict_logits(feat)
    assert fast.shape == slow.shape
    torch.testing.assert_close(fast, slow, atol=2e-5, rtol=1e-4)
    texts = [dec.decode_ids(l) for l in (fast, slow)]
    assert texts[0] == texts[1]
    assert len(set(texts[0])) > 1  # not a degenerate all-equal prediction


def test_caption_cache_reencodes_only_changed_captions():
    model, _ = _trained_a_little(5)
    dec = model.decoder
    torch.manual_seed(3)
    first = torch.randn(4, 26, dec.logit_mask.shape[-1])
    cache = dec.caption_kv(first)
    second = first.clone()
    old = (first[2, 0] + dec.logit_mask).argmax().item()
    second[2, 0, 1 if old == 0 else 0] = 1e4  # another first character in row 2 only
    batches = []
    encode = dec.text_encoder.forward
    dec.text_encoder.forward = lambda tokens: batches.append(len(tokens)) or encode(tokens)
    captions, kv = dec.caption_kv(second, cache)
    assert batches == [1] and captions[2] != cache[0][2] and captions[:2] == cache[0][:2]
    assert dec.caption_kv(second, (captions, kv))[1] is kv  # nothing changed: reused as is
    _, fresh = dec.caption_kv(second)
    for (k, v), (fk, fv) in zip(kv, fresh):
        torch.testing.assert_close(k, fk, atol=1e-5, rtol=1e-4)
        torch.testing.assert_close(v, fv, atol=1e-5, rtol=1e-4)


def test_kv_cache_matches_prefix_recomputation_step_by_step():
    model, x = _trained_a_little(10)
    dec = model.decoder
    kv = dec.visual_decoder.prepare_memory(model.backbone(x))
    args = (kv, dec.bos_id, dec.eos_id, dec.pad_id, 26)
    cached, tok_c = dec.visual_decoder.decode_ar(*args, logit_mask=dec.logit_mask,
                                                 kv_cache=True, early_stop=False)
    plain, tok_p = dec.visual_decoder.decode_ar(*args, logit_mask=dec.logit_mask,
                                                kv_cache=False, early_stop=False)
    torch.testing.assert_close(cached, plain, atol=2e-5, rtol=1e-4)
    assert torch.equal(tok_c, tok_p)


def test_training_reduces_the_loss():
    untrained, x = _trained_a_little(0)
    trained, x2 = _trained_a_little(40)
    assert torch.equal(x, x2)
    ds = samples(WORDS)
    torch.manual_seed(1)
    first = sum(untrained.train().loss(x, ds).values()).item()
    torch.manual_seed(1)
    assert sum(trained.train().loss(x, ds).values()).item() < 0.5 * first


def test_readings_do_not_depend_on_the_other_crops_of_the_batch():
    model, x = _trained_a_little()
    dec = model.decoder
    assert dec.cross_steps == 'all'
    with torch.no_grad():
        together = dec.decode_ids(dec.predict_logits(model.backbone(x)))
        alone = [dec.decode_ids(dec.predict_logits(model.backbone(x[i:i + 1])))[0]
                 for i in range(len(x))]
    assert together == alone
