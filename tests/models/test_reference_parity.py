"""Reference parity: a converted reference checkpoint, read with ``reference_parity=True``, gives
the reference CLIP4STR's texts and confidences (checked against an independent
re-implementation of its inference, tests/models/reference_clip4str.py), at batch 1 and 32."""
import pytest
import torch
from mmengine.config import Config

from clip4str.models.reference_checkpoint import REFERENCE_CHARSET_94

from .helpers import build, samples, tiny_cfg
from .reference_clip4str import RefCLIP4STR, RefDecoder, RefTokenizer, reference_test_transform
from .test_weights import reference_state_dict

WORDS = ['hello', 'World42', 'a', 'Tesseract', 'PP-OCR', 'x', 'clip4str', 'MMOCR!']
NUM_POSITIONS = 26


def _images():
    """32 BGR uint8 crops: 8 the model was trained on and 24 blends of two of them (readings of
    various lengths, some ending early in the visual pass and late in the cross one)."""
    g = torch.Generator().manual_seed(0)
    base = torch.randint(0, 256, (8, 3, 32, 128), generator=g, dtype=torch.uint8)
    pairs = torch.randint(0, 8, (24, 2), generator=g)
    alpha = torch.rand(24, 1, 1, 1, generator=g)
    blends = alpha * base[pairs[:, 0]].float() + (1 - alpha) * base[pairs[:, 1]].float()
    return torch.cat([base, blends.round().to(torch.uint8)])


def _train(model, images, steps=30):
    torch.manual_seed(0)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    x = reference_test_transform(images[:8])
    model.train()
    for _ in range(steps):
        opt.zero_grad()
        sum(model.loss(x, samples(WORDS)).values()).backward()
        opt.step()
    return model.eval()


def _reference_decoder(ref_sd, prefix, width, heads):
    n_tok, _ = ref_sd[f'{prefix}.text_embed.embedding.weight'].shape
    dec = RefDecoder(width, heads, 4, 1, n_tok, ref_sd[f'{prefix}.head.weight'].shape[0],
                     ref_sd[f'{prefix}.pos_queries'].shape[1])
    dec.load_state_dict({k[len(prefix) + 1:]: v for k, v in ref_sd.items()
                         if k.startswith(prefix + '.')})
    return dec.eval()


@pytest.fixture(scope='module')
def converted(tmp_path_factory):
    """(reference, plugin in parity mode, plugin in default mode, images), the plugin models
    loaded from a reference checkpoint converted with the converter's defaults."""
    from clip4str.cli.convert_ckpt import convert
    tmp = tmp_path_factory.mktemp('parity')
    images = _images()
    torch.manual_seed(0)
    source = _train(build(tiny_cfg()), images)
    ref_sd = reference_state_dict(source, REFERENCE_CHARSET_94)
    torch.save(dict(state_dict=ref_sd), tmp / 'ref.ckpt')
    tiny_cfg().dump(str(tmp / 'tiny.py'))
    report = convert(str(tmp / 'ref.ckpt'), str(tmp / 'converted.pth'), str(tmp / 'tiny.py'))
    weights = torch.load(tmp / 'converted.pth', weights_only=True)['state_dict']
    parity = build(Config.fromfile(report['config']))
    default = build(tiny_cfg())
    for m in (parity, default):
        m.load_state_dict(weights)
        m.eval()
    dec = source.decoder
    width, heads = dec.embed_dim, dec.visual_decoder.layers[0].self_attn.num_heads
    reference = RefCLIP4STR(source.backbone, dec.text_encoder,
                            _reference_decoder(ref_sd, 'visual_decoder', width, heads),
                            _reference_decoder(ref_sd, 'cross_decoder', width, heads),
                            RefTokenizer(REFERENCE_CHARSET_94))
    return reference, parity, default, images


def _plugin_read(model, images):
    """Texts and per-character (+ EOS, when one was predicted) confidences, through the
    model's own preprocessing, as MMOCR runs it."""
    data_samples = samples([''] * len(images))
    for s in data_samples:
        s.set_metainfo(dict(valid_ratio=1.0))
    with torch.no_grad():
        out = model.test_step(dict(inputs=list(images), data_samples=data_samples))
    texts = [s.pred_text.item for s in out]
    confs = [s.pred_text.score + ([s.pred_text.eos_score] if len(t) < NUM_POSITIONS else [])
             for s, t in zip(out, texts)]
    return texts, confs


def _read(read, images, batch):
    texts, confs = [], []
    for i in range(0, len(images), batch):
        t, c = read(images[i:i + batch])
        texts += t
        confs += [torch.as_tensor(x, dtype=torch.float32) for x in c]
    return texts, confs


def _ref_read(reference, images, batch):
    return _read(lambda im: reference.read(reference_test_transform(im)), images, batch)


@pytest.mark.parametrize('batch', [1, 32])
def test_parity_mode_reads_as_the_reference(converted, batch):
    reference, parity, _, images = converted
    want_texts, want_confs = _ref_read(reference, images, batch)
    got_texts, got_confs = _read(lambda im: _plugin_read(parity, im), images, batch)
    assert got_texts == want_texts
    assert len(set(want_texts)) > 4  # not a degenerate reading
    for got, want in zip(got_confs, want_confs):
        torch.testing.assert_close(got, want, atol=2e-5, rtol=1e-4)


def test_the_reference_reads_some_crops_differently_in_a_batch(converted):
    """What makes ``cross_steps='visual'`` matter (and the fixture non-vacuous): the reference's
    cross branch gets as many steps as the batch's visual pass took."""
    reference, parity, default, images = converted
    alone, _ = _ref_read(reference, images, 1)
    together, _ = _ref_read(reference, images, 32)
    assert alone != together
    # the default mode reads each crop as it would alone, so it differs from the reference
    x = reference_test_transform(images)
    with torch.no_grad():
        dec = default.decoder
        default_texts = [dec.postprocessor(dec.forward_test(default.backbone(x)),
                                           samples([''] * 32))[i].pred_text.item
                         for i in range(32)]
    assert default_texts != together


def test_default_mode_normalises_with_clip_statistics(converted):
    _, parity, default, _ = converted
    assert default.data_preprocessor.mean.flatten().tolist() == pytest.approx(
        [122.7709383, 116.7460125, 104.09373615])
    assert parity.data_preprocessor.mean.flatten().tolist() == [127.5] * 3
    assert parity.data_preprocessor.std.flatten().tolist() == [127.5] * 3
    assert (parity.decoder.cross_steps, default.decoder.cross_steps) == ('visual', 'all')


def test_without_eos_parity_reads_all_26_positions_the_default_25(converted):
    reference, parity, default, images = converted
    eos_rows = ((reference.cross.head.bias, 0),
                *((m.decoder.cross_decoder.head.bias, m.decoder.eos_id) for m in (parity, default)))
    saved = [b[i].item() for b, i in eos_rows]
    try:
        for bias, i in eos_rows:
            bias.data[i] = -1e4  # the cross branch never ends a reading
        want, want_conf = _ref_read(reference, images[:4], 4)
        got, got_conf = _plugin_read(parity, images[:4])
        short, _ = _plugin_read(default, images[:4])
    finally:
        for (bias, i), value in zip(eos_rows, saved):
            bias.data[i] = value
    assert [len(t) for t in want] == [26] * 4
    assert got == want
    assert [len(t) for t in short] == [25] * 4  # the default caps at max_seq_len
    for g, w in zip(got_conf, want_conf):
        torch.testing.assert_close(torch.as_tensor(g), w, atol=2e-5, rtol=1e-4)


def test_literal_caption_cut_as_the_reference():
    """The reference joins the prediction to a string and cuts it at the first '[E]', so the
    characters '[', 'E', ']' in a row end the caption too; opt-in in parity mode."""
    cfg = tiny_cfg()
    cfg.model.reference_parity = dict(literal_caption_cut=True)
    literal = build(cfg).decoder
    default = build(tiny_cfg()).decoder
    d = default.dictionary
    ref_tok = RefTokenizer(REFERENCE_CHARSET_94)
    words = ['ab[E]cd', '[E]', 'x[E', 'Q]E[E]z', 'plain']
    ours = torch.full((len(words), 26, d.num_classes), -10.0)
    ref = torch.full((len(words), 26, 95), -10.0)
    for row, word in enumerate(words):
        for pos in range(26):
            c = word[pos] if pos < len(word) else None
            ours[row, pos, d.char2idx(c) if c else d.end_idx] = 10.0
            ref[row, pos, ref_tok.itos.index(c) if c else 0] = 10.0
    normalise = literal.tokenizer.normalise
    assert [normalise(c) for c in literal.decode_ids(ours)] == ref_tok.captions(ref) == \
        ['ab', '', 'xe', 'qe', 'plain']
    assert [normalise(c) for c in default.decode_ids(ours)] == ['abecd', 'e', 'xe', 'qeez',
                                                                'plain']


def test_fp16_clip_weights_round_as_the_reference_loader(tmp_path):
    """``clip.load`` -> ``convert_weights`` keeps conv/linear weights and biases, attention
    in-projections and the projections in fp16; embeddings and LayerNorms stay fp32."""
    torch.manual_seed(0)
    source = build(tiny_cfg())
    clip_sd = {'visual.' + k: v for k, v in source.backbone.visual.state_dict().items()}
    clip_sd.update(source.decoder.text_encoder.text.state_dict())
    clip_sd = {k: v + 1e-4 * torch.randn_like(v) for k, v in clip_sd.items()}  # not fp16 values
    path = tmp_path / 'clip.pt'
    torch.save(clip_sd, path)
    cfg = tiny_cfg()
    cfg.model.reference_parity = dict(fp16_clip_weights=True)
    rounded, plain = build(cfg), build(tiny_cfg())
    rounded.load_clip(str(path))
    plain.load_clip(str(path))
    loaded = {'visual.' + k: v for k, v in rounded.backbone.visual.state_dict().items()}
    loaded.update(rounded.decoder.text_encoder.text.state_dict())
    fp16_kinds = ('conv1.weight', 'in_proj_weight', 'in_proj_bias', 'out_proj.weight',
                  'out_proj.bias', 'c_fc.weight', 'c_fc.bias', 'c_proj.weight', 'c_proj.bias',
                  'visual.proj', 'text_projection')
    assert any(k.endswith('c_fc.weight') for k in clip_sd)
    for key, value in clip_sd.items():
        if key == 'attn_mask':
            continue
        want = value.half().float() if key.endswith(fp16_kinds) else value
        assert torch.equal(loaded[key], want), key
    assert torch.equal(plain.backbone.visual.conv1.weight, clip_sd['visual.conv1.weight'])


def _assert_spelled_out(cfg_part, overrides, where=''):
    """The config holds the switch's settings itself (tools that read configs see them)."""
    for key, value in overrides.items():
        if isinstance(value, dict):
            _assert_spelled_out(cfg_part[key], value, f'{where}{key}.')
        else:
            assert cfg_part[key] == value, f'{where}{key}'


def test_converter_names_the_parity_config_of_shipped_sizes(tmp_path):
    from clip4str.cli.convert_ckpt import parity_config
    from clip4str.models.recognizers.reference_parity import config_overrides

    from .helpers import CFG_DIR
    for size in ('b16', 'b32', 'l14', 'h14'):
        named = parity_config(str(CFG_DIR / f'clip4str_vit-{size}.py'), str(tmp_path / 'x.pth'))
        assert named == str(CFG_DIR / f'clip4str_vit-{size}_reference.py')
        cfg = Config.fromfile(named)
        _assert_spelled_out(cfg.model, config_overrides())
        assert cfg.model.backbone.arch == Config.fromfile(
            str(CFG_DIR / f'clip4str_vit-{size}.py')).model.backbone.arch
    assert not list(tmp_path.iterdir())  # nothing written for them


def test_converter_writes_a_parity_config_for_other_configs(tmp_path):
    from clip4str.cli.convert_ckpt import parity_config
    from clip4str.models.recognizers.reference_parity import config_overrides
    tiny_cfg().dump(str(tmp_path / 'tiny.py'))
    written = parity_config(str(tmp_path / 'tiny.py'), str(tmp_path / 'out.pth'))
    assert written == str(tmp_path / 'out.py')
    cfg = Config.fromfile(written)
    _assert_spelled_out(cfg.model, config_overrides())
    assert cfg.model.backbone.arch == tiny_cfg().model.backbone.arch
    assert parity_config(written, str(tmp_path / 'again.pth')) == written


def test_converter_default_mode_keeps_the_given_config(tmp_path):
    from clip4str.cli.convert_ckpt import convert
    torch.save(dict(state_dict=reference_state_dict(build(tiny_cfg()), REFERENCE_CHARSET_94)),
               tmp_path / 'ref.ckpt')
    tiny_cfg().dump(str(tmp_path / 'tiny.py'))
    report = convert(str(tmp_path / 'ref.ckpt'), str(tmp_path / 'out.pth'),
                     str(tmp_path / 'tiny.py'), reference_parity=False)
    assert report['config'] == str(tmp_path / 'tiny.py')
    assert not (tmp_path / 'out.py').exists()
    meta = torch.load(tmp_path / 'out.pth', weights_only=True)['meta']
    assert meta['reference_parity'] is False and meta['config'] == report['config']
