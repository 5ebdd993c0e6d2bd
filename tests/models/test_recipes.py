"""Every CLIP4STR recipe config (mini scale): exactly its trainable parameters get gradients,
the frozen ones none, and its loss on a fixed batch is finite and falls."""
import pytest
import torch
from mmengine.config import Config

from tests.helpers import REPO

from .helpers import build, samples

CFG = REPO / 'configs' / 'textrecog' / 'clip4str'
WORDS = ['hello', 'World42', 'ab', 'Tesseract']
TEXT_EMB = ('decoder.text_encoder.logit_scale', 'decoder.text_encoder.text.token_embedding',
            'decoder.text_encoder.text.positional_embedding')
IMG_EMB = ('backbone.visual.class_embedding', 'backbone.visual.positional_embedding')


def blocks(prefix, n):
    return tuple(f'{prefix}.transformer.resblocks.{i}.' for i in range(n))


# recipe -> (prefixes of exactly the frozen parameters, parts the recipe leaves out)
RECIPES = {
    'clip4str_mini.py': (TEXT_EMB + blocks('decoder.text_encoder.text', 2), ()),
    'clip4str_mini_text-freeze-emb.py': (TEXT_EMB, ()),
    'clip4str_mini_text-freeze-all.py': (('decoder.text_encoder.', ), ()),
    'clip4str_mini_image-freeze-2.py': (
        TEXT_EMB + blocks('decoder.text_encoder.text', 2) + IMG_EMB + blocks('backbone.visual', 2),
        ()),
    'clip4str_mini_image-freeze-all.py': (
        ('backbone.visual.', ) + TEXT_EMB + blocks('decoder.text_encoder.text', 2), ()),
    'clip4str_mini_clip-adapter.py': (('backbone.visual.', ),
                                      ('decoder.text_encoder.', 'decoder.cross_decoder.')),
    'clip4str_mini_lst.py': (('backbone.visual.', ),
                             ('decoder.text_encoder.', 'decoder.cross_decoder.')),
}


def load(name):
    import clip4str  # noqa: F401
    from mmocr.utils import register_all_modules
    register_all_modules()
    torch.manual_seed(0)
    return build(Config.fromfile(str(CFG / name))).train()


@pytest.mark.parametrize('name', sorted(RECIPES))
def test_exactly_the_trainable_parameters_get_gradients(name):
    frozen_prefixes, absent = RECIPES[name]
    model = load(name)
    names = [n for n, _ in model.named_parameters()]
    if absent:
        assert not any(n.startswith(absent) for n in names)
    frozen = {n for n, p in model.named_parameters() if not p.requires_grad}
    assert frozen == {n for n in names if n.startswith(frozen_prefixes)}
    sum(model.loss(torch.randn(4, 3, 32, 128), samples(WORDS)).values()).backward()
    with_grad = {n for n, p in model.named_parameters()
                 if p.grad is not None and p.grad.abs().sum() > 0}
    assert with_grad == set(names) - frozen
    assert all(model.get_parameter(n).grad is None for n in frozen)


@pytest.mark.parametrize('name', sorted(RECIPES))
def test_loss_is_finite_and_falls(name):
    model = load(name)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=3e-3)
    x = torch.randn(4, 3, 32, 128)
    history = []
    for _ in range(8):
        losses = model.loss(x, samples(WORDS))
        assert all(torch.isfinite(v) for v in losses.values())
        history.append(sum(losses.values()).item())
        opt.zero_grad()
        sum(losses.values()).backward()
        opt.step()
    assert history[-1] < 0.9 * history[0], history
