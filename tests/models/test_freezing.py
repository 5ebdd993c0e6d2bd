"""Named freezing policies of the CLIP towers, their eval mode, and the parameter counts logged
when the optimizer is built."""
import pytest
import torch

from .helpers import TINY_ARCH, build, samples, tiny_cfg

TEXT_EMBEDDINGS = {'logit_scale', 'text.token_embedding.weight', 'text.positional_embedding'}
IMAGE_EMBEDDINGS = {'visual.class_embedding', 'visual.positional_embedding'}


def frozen(module):
    return {n for n, p in module.named_parameters() if not p.requires_grad}


def text_encoder(freeze):
    from clip4str.models import CLIPTextEncoder
    return CLIPTextEncoder(arch=TINY_ARCH, freeze_layers=freeze)


def image_encoder(freeze):
    from clip4str.models import CLIPImageEncoder
    return CLIPImageEncoder(arch=TINY_ARCH, freeze_layers=freeze)


def block(module, prefix, i):
    return {n for n, _ in module.named_parameters() if n.startswith(f'{prefix}.{i}.')}


def test_text_policies():
    enc = text_encoder('none')
    assert frozen(enc) == set()
    assert frozen(text_encoder(-1)) == set()
    # "token embeddings only" = the reference's text_freeze_nlayer=0
    assert frozen(text_encoder('embeddings')) == TEXT_EMBEDDINGS == frozen(text_encoder(0))
    blocks = 'text.transformer.resblocks'
    assert frozen(text_encoder(1)) == TEXT_EMBEDDINGS | block(enc, blocks, 0)
    everything = {n for n, _ in enc.named_parameters()}
    assert frozen(text_encoder('all')) == everything == frozen(text_encoder(2)) \
        == frozen(text_encoder(99))


def test_image_policies():
    enc = image_encoder('none')
    assert frozen(enc) == set()
    assert frozen(image_encoder('embeddings')) == IMAGE_EMBEDDINGS
    # N blocks: conv1, ln_pre, ln_post and proj keep training, as in the reference
    assert frozen(image_encoder(1)) == IMAGE_EMBEDDINGS | block(enc, 'visual.transformer.resblocks',
                                                                0)
    assert frozen(image_encoder('all')) == {n for n, _ in enc.named_parameters()}


def test_frozen_blocks_stay_in_eval_mode():
    text = text_encoder('all').train()
    assert not any(m.training for m in text.text.modules())
    image = image_encoder(1).train()
    blocks = image.visual.transformer.resblocks
    assert not blocks[0].training and blocks[1].training


@pytest.mark.parametrize('bad', ['half', -2, True, 1.5])
def test_bad_policies_are_rejected(bad):
    with pytest.raises(ValueError, match='freeze_layers'):
        text_encoder(bad)
    with pytest.raises(ValueError, match='freeze_layers'):
        image_encoder(bad)


@pytest.mark.parametrize('image,text', [('all', 'embeddings'), (1, 'all')])
def test_frozen_parameters_get_no_gradient(image, text):
    cfg = tiny_cfg()
    cfg.model.backbone.freeze_layers = image
    cfg.model.decoder.text_encoder.freeze_layers = text
    model = build(cfg).train()
    sum(model.loss(torch.randn(2, 3, 32, 128), samples(['hello', 'ab'])).values()).backward()
    for name, p in model.named_parameters():
        if p.requires_grad:
            continue
        assert p.grad is None, name
    trained = [n for n, p in model.named_parameters() if p.requires_grad and p.grad is not None
               and p.grad.abs().sum() > 0]
    assert any(n.startswith('decoder.visual_decoder.') for n in trained)
    assert any(n.startswith('backbone.') for n in trained) == (image != 'all')


def test_optimizer_constructor_logs_the_counts(monkeypatch):
    """The counts printed when training starts are the model's (frozen parameters excluded)."""
    import clip4str.engine.optim_constructor as oc
    messages = []
    monkeypatch.setattr(oc, 'print_log', lambda msg, **kw: messages.append(msg))
    cfg = tiny_cfg()
    cfg.model.backbone.freeze_layers = 'all'
    model = build(cfg)
    total = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    wrapper = oc.CLIP4STROptimWrapperConstructor(
        dict(optimizer=dict(type='AdamW', lr=1e-3, weight_decay=0.1)))(model)
    assert sum(p.numel() for g in wrapper.optimizer.param_groups for p in g['params']) == \
        trainable
    assert f'{total / 1e6:.2f}M total, {trainable / 1e6:.2f}M trainable, ' \
           f'{(total - trainable) / 1e6:.2f}M frozen' in messages[0]
