"""Conv stem and auxiliary CTC loss: the optional training aids of the from-scratch variant."""
import pytest
import torch

from .helpers import TINY_ARCH, build, samples, tiny_cfg

WORDS = ['hello', 'WORLD', 'a', 'x' * 25]


def aided_cfg():
    cfg = tiny_cfg()
    cfg.model.backbone.stem = dict(type='conv', channels=(8, 16, 16, 32))
    cfg.model.aux_ctc = dict(weight=0.5, upsample=2)
    return cfg


def test_conv_stem_gives_the_patch_grid_of_the_convolution_it_replaces():
    from clip4str.models.encoders.conv_stem import ConvStem
    for patch in ((8, 8), (8, 16), (16, 16)):
        stem = ConvStem(24, patch, channels=(8, 8, 8, 8))
        assert stem(torch.randn(2, 3, 32, 128)).shape == (2, 24, 32 // patch[0], 128 // patch[1])
    with pytest.raises(ValueError, match='power-of-two'):
        ConvStem(24, (12, 12))
    with pytest.raises(ValueError, match='at least 4'):
        ConvStem(24, (8, 16), channels=(8, 8, 8))


def test_conv_stem_model_loads_clip_weights_except_the_patch_projection(tmp_path):
    from open_clip.model import CLIP
    clip = CLIP(**TINY_ARCH, quick_gelu=True)
    path = tmp_path / 'clip.pt'
    torch.save(clip.state_dict(), path)
    model = build(aided_cfg())
    stem_before = model.backbone.visual.conv1[0].weight.clone()
    model.load_clip(str(path))
    assert torch.equal(model.backbone.visual.proj, clip.visual.proj)
    assert torch.equal(model.backbone.visual.transformer.resblocks[1].mlp.c_fc.weight,
                       clip.visual.transformer.resblocks[1].mlp.c_fc.weight)
    assert torch.equal(model.backbone.visual.conv1[0].weight, stem_before)


def test_ctc_head_frames_and_infeasible_labels():
    from clip4str.models.losses.ctc_aux import CTCAuxHead
    model = build(tiny_cfg())
    head = CTCAuxHead(32, model.decoder.dictionary, grid=(4, 8), upsample=2)
    tokens = torch.randn(4, 1 + 32, 32, requires_grad=True)
    assert head.frame_logits(tokens).shape == (4, 16, model.decoder.dictionary.num_classes + 1)
    loss = head(tokens, samples(WORDS))
    assert torch.isfinite(loss)  # 'x' * 25 needs 49 frames of 16: dropped, not inf
    loss.backward()
    assert tokens.grad[3].abs().sum() == 0 and tokens.grad[0].abs().sum() > 0


def test_ctc_head_learns_to_read_columns():
    """Tokens that carry a character's one-hot code in their column (empty columns their own
    code): the head alone must learn to transcribe them (the loss falls and greedy CTC decoding
    gives the words)."""
    from clip4str.models.losses.ctc_aux import CTCAuxHead
    torch.manual_seed(0)
    d = build(tiny_cfg()).decoder.dictionary
    dim = d.num_classes + 1
    head = CTCAuxHead(dim, d, grid=(2, 8), upsample=1)
    words = ['cat', 'dog', 'ab', 'zoom']

    def tokens_of(word):
        cols = torch.zeros(8, dim)
        cols[:, -1] = 1.0
        for i, ch in enumerate(word):
            cols[2 * i] = 0.0
            cols[2 * i, d.char2idx(ch)] = 1.0
        return torch.cat([torch.zeros(1, dim), cols.repeat(2, 1)])  # class token + 2 rows

    tokens = torch.stack([tokens_of(w) for w in words])
    opt = torch.optim.Adam(head.parameters(), lr=0.05)
    first = None
    for _ in range(200):
        loss = head(tokens, samples(words))
        first = first if first is not None else loss.item()
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.item() < 0.1 * first
    best = head.frame_logits(tokens).argmax(-1)
    decoded = []
    for row in best.tolist():
        chars = [c for i, c in enumerate(row) if c != head.blank and (i == 0 or c != row[i - 1])]
        decoded.append(d.idx2str(chars))
    assert decoded == words


def test_aided_model_trains_with_ctc_and_predicts_like_the_plain_model():
    torch.manual_seed(0)
    aided = build(aided_cfg())
    aided.init_weights()
    images = torch.randn(4, 3, 32, 128)
    losses = aided.loss(images, samples(WORDS))
    assert set(losses) == {'loss_visual', 'loss_cross', 'loss_ctc'}
    sum(losses.values()).backward()
    assert aided.aux_ctc.proj.weight.grad.abs().sum() > 0
    assert aided.backbone.visual.conv1[0].weight.grad.abs().sum() > 0
    # the CTC head plays no part in prediction: removing it changes nothing
    plain_cfg = aided_cfg()
    plain_cfg.model.pop('aux_ctc')
    plain = build(plain_cfg)
    plain.load_state_dict({k: v for k, v in aided.state_dict().items()
                           if not k.startswith('aux_ctc.')})
    aided.eval(), plain.eval()
    with torch.no_grad():
        a = [s.pred_text.item for s in aided.predict(images, samples(WORDS))]
        b = [s.pred_text.item for s in plain.predict(images, samples(WORDS))]
    assert a == b
