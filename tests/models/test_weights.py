"""CLIP weights from OpenAI (TorchScript / state dict), OpenCLIP and reference CLIP4STR files."""
import string

import pytest
import torch

from .helpers import TINY_ARCH, build, samples, tiny_cfg

CAPTIONS = ['hello', 'clip4str', 'x']


@pytest.fixture(scope='module')
def clip_model():
    from open_clip.model import CLIP
    torch.manual_seed(0)
    return CLIP(**TINY_ARCH, quick_gelu=True).eval()


def save_openai_torchscript(model, path):
    """As OpenAI's released .pt: a traced CLIP whose state dict carries three int entries."""
    import open_clip
    extras = dict(input_resolution=128, context_length=77, vocab_size=49408)
    saved = {name: model.__dict__.pop(name) for name in extras if name in model.__dict__}
    for name, value in extras.items():
        model.register_buffer(name, torch.tensor(value))
    traced = torch.jit.trace(model, (torch.randn(1, 3, 32, 128), open_clip.tokenize(['a'])),
                             check_trace=False)
    torch.jit.save(traced, str(path))
    for name in extras:
        delattr(model, name)
    model.__dict__.update(saved)
    assert set(extras) <= set(torch.jit.load(str(path)).state_dict())


def weight_files(clip_model, tmp_path):
    from safetensors.torch import save_file
    sd = {k: v for k, v in clip_model.state_dict().items()}
    files = {}
    files['openai_state_dict'] = tmp_path / 'openai_sd.pt'
    torch.save(sd, files['openai_state_dict'])
    files['openai_torchscript'] = tmp_path / 'ViT-tiny.pt'
    save_openai_torchscript(clip_model, files['openai_torchscript'])
    files['openclip'] = tmp_path / 'openclip_epoch_3.pt'
    torch.save(dict(epoch=3, name='tiny', state_dict={'module.' + k: v for k, v in sd.items()}),
               files['openclip'])
    files['openclip_safetensors'] = tmp_path / 'open_clip_model.safetensors'
    save_file({k: v.contiguous() for k, v in sd.items()}, str(files['openclip_safetensors']))
    files['clip4str'] = tmp_path / 'clip4str.ckpt'
    torch.save(dict(state_dict={'clip_model.' + k: v for k, v in sd.items()}),
               files['clip4str'])
    return files


def test_every_format_loads_the_same_weights_and_matches_open_clip(clip_model, tmp_path):
    import open_clip
    from clip4str.models.clip.weights import is_torchscript
    files = weight_files(clip_model, tmp_path)
    assert is_torchscript(str(files['openai_torchscript']))
    torch.manual_seed(1)
    image = torch.randn(2, 3, 32, 128)
    tokens77 = open_clip.tokenize(CAPTIONS)
    outputs = {}
    for fmt, path in files.items():
        model = build(tiny_cfg()).eval()
        model.load_clip(str(path))
        with torch.no_grad():
            outputs[fmt] = (model.backbone(image), model.decoder.text_encoder(tokens77[:, :16]))
    ref_img, ref_txt = outputs.pop('openai_state_dict')
    for fmt, (img, txt) in outputs.items():
        torch.testing.assert_close(img, ref_img, msg=fmt)
        torch.testing.assert_close(txt, ref_txt, msg=fmt)
    with torch.no_grad():
        # our class-token output is CLIP's image embedding; our EOT feature its text embedding
        torch.testing.assert_close(ref_img[:, 0], clip_model.encode_image(image), atol=1e-5,
                                   rtol=1e-4)
        eot = tokens77.argmax(-1)
        torch.testing.assert_close(ref_txt[torch.arange(3), eot],
                                   clip_model.encode_text(tokens77), atol=1e-5, rtol=1e-4)


def test_clip_pretrained_is_loaded_by_init_weights(clip_model, tmp_path):
    path = tmp_path / 'clip.pt'
    torch.save(clip_model.state_dict(), path)
    cfg = tiny_cfg()
    cfg.model.clip_pretrained = str(path)
    model = build(cfg)
    assert not torch.equal(model.backbone.visual.proj, clip_model.visual.proj)
    model.init_weights()
    assert torch.equal(model.backbone.visual.proj, clip_model.visual.proj)
    assert torch.equal(model.decoder.text_encoder.logit_scale, clip_model.logit_scale)


def test_mismatched_clip_weights_name_the_file(tmp_path):
    from open_clip.model import CLIP
    other = dict(TINY_ARCH, embed_dim=48)
    path = tmp_path / 'wrong_arch.pt'
    torch.save(CLIP(**other, quick_gelu=True).state_dict(), path)
    with pytest.raises(ValueError, match=r'wrong_arch.pt(?s:.*)shape'):
        build(tiny_cfg()).load_clip(str(path))


def reference_state_dict(model, ref_charset):
    """What a reference CLIP4STR checkpoint of this architecture holds: exactly its key names
    and shapes ([E] + charset + [B] + [P] token rows; heads over [E] + charset)."""
    d = model.decoder.dictionary
    ours = {c: i for i, c in enumerate(d.dict)}
    emb_order = [d.end_idx] + [ours[c] for c in ref_charset] + [d.start_idx, d.padding_idx]
    head_order = [d.end_idx] + [ours[c] for c in ref_charset]
    sd = {}
    for k, v in model.state_dict().items():
        if k.startswith('backbone.visual.'):
            sd['clip_model.' + k[len('backbone.'):]] = v
        elif k.startswith('decoder.text_encoder.text.'):
            sd['clip_model.' + k[len('decoder.text_encoder.text.'):]] = v
        elif k == 'decoder.text_encoder.logit_scale':
            sd['clip_model.logit_scale'] = v
        elif k.startswith('decoder.'):
            name = k[len('decoder.'):]
            if name.endswith('text_embed.embedding.weight'):
                v = v[emb_order]
            elif name.endswith(('head.weight', 'head.bias')):
                v = v[head_order]
            sd[name] = v
    return sd


def test_reference_checkpoint_converts_to_identical_predictions(tmp_path):
    from clip4str.cli.convert_ckpt import convert
    from tests.models.test_clip4str import _trained_a_little
    model, x = _trained_a_little(20)
    ref_charset = (string.punctuation + string.ascii_uppercase + string.digits +
                   string.ascii_lowercase)  # another order than ours: rows must be moved
    ref_sd = reference_state_dict(model, ref_charset)
    width = model.decoder.embed_dim
    assert ref_sd['visual_decoder.text_embed.embedding.weight'].shape == (97, width)
    assert ref_sd['cross_decoder.head.weight'].shape == (95, width)
    assert ref_sd['visual_decoder.pos_queries'].shape == (1, 26, width)
    assert {'clip_model.visual.proj', 'clip_model.text_projection', 'clip_model.logit_scale',
            'visual_decoder.layers.0.self_attn.in_proj_weight',
            'cross_decoder.layers.0.norm_q.weight'} <= set(ref_sd)
    src = tmp_path / 'clip4str_tiny.ckpt'
    torch.save(dict(state_dict=ref_sd, hyper_parameters=dict(charset_train=ref_charset),
                    epoch=9), src)
    cfg_path = tmp_path / 'tiny.py'
    tiny_cfg().dump(str(cfg_path))
    dst = tmp_path / 'converted.pth'
    convert(str(src), str(dst), str(cfg_path))

    fresh = build(tiny_cfg()).eval()
    fresh.load_state_dict(torch.load(dst, weights_only=True)['state_dict'])
    with torch.no_grad():
        want = model.decoder.forward_test(model.backbone(x))
        got = fresh.decoder.forward_test(fresh.backbone(x))
    torch.testing.assert_close(got, want, atol=1e-5, rtol=1e-4)


def test_converter_rejects_a_checkpoint_of_another_architecture(tmp_path):
    from clip4str.cli.convert_ckpt import convert
    small = build(tiny_cfg())
    src = tmp_path / 'ref.ckpt'
    torch.save(dict(state_dict=reference_state_dict(small, string.digits + string.ascii_lowercase
                                                    + string.ascii_uppercase
                                                    + string.punctuation)), src)
    cfg = tiny_cfg()
    cfg.model.decoder.num_heads = 1
    cfg.model.decoder.mlp_ratio = 2  # another decoder width of the MLP: shapes differ
    cfg_path = tmp_path / 'other.py'
    cfg.dump(str(cfg_path))
    with pytest.raises(SystemExit, match='does not match'):
        convert(str(src), str(tmp_path / 'out.pth'), str(cfg_path))


def test_mmocr_inferencer_runs_the_recognizer(tmp_path):
    import numpy as np
    from mmocr.apis import MMOCRInferencer
    torch.manual_seed(0)
    cfg = tiny_cfg()
    cfg_path = tmp_path / 'tiny.py'
    cfg.dump(str(cfg_path))
    weights = tmp_path / 'tiny.pth'
    torch.save(dict(state_dict=build(cfg).state_dict()), weights)
    inferencer = MMOCRInferencer(rec=str(cfg_path), rec_weights=str(weights), device='cpu')
    image = (np.random.RandomState(0).rand(40, 160, 3) * 255).astype(np.uint8)
    result = inferencer(image, return_vis=False)['predictions'][0]
    assert isinstance(result['rec_texts'][0], str) and 0 <= result['rec_scores'][0] <= 1


@pytest.mark.slow
def test_vit_b16_parameter_counts_match_the_reference():
    """Paper/reference: 158M total, 114M trainable, 44.3M frozen, 4.3M per decoder (1%)."""
    from mmengine.config import Config

    from tests.helpers import REPO
    cfg = Config.fromfile(str(REPO / 'configs/textrecog/clip4str/clip4str_vit-b16.py'))
    model = build(cfg)
    total = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    decoder = sum(p.numel() for p in model.decoder.visual_decoder.parameters())
    for value, ref in ((total, 158e6), (trainable, 114e6), (total - trainable, 44.3e6),
                       (decoder, 4.3e6)):
        assert abs(value - ref) / ref < 0.01, (value, ref)
