"""CLIP-OCR's distillation: the Linguistic Consistency Loss, the frozen CLIP teacher, the student
and the recognizer that ties them."""
import math

import pytest
import torch
from mmengine.config import Config

from tests.helpers import REPO

from .helpers import TINY_ARCH, samples

CFG = REPO / 'configs' / 'textrecog' / 'clip4str'
WORDS = ['hello', 'World42', 'ab', 'Tesseract']
# a teacher with 4 blocks per tower: 4 stages, stages 1-3 distilled
TEACHER_ARCH = dict(TINY_ARCH, vision_cfg=dict(TINY_ARCH['vision_cfg'], layers=4),
                    text_cfg=dict(TINY_ARCH['text_cfg'], layers=4))


@pytest.fixture(scope='module')
def teacher_file(tmp_path_factory):
    """Random CLIP weights of TEACHER_ARCH in OpenAI layout, and the CLIP model itself."""
    from open_clip.model import CLIP
    torch.manual_seed(0)
    clip = CLIP(**TEACHER_ARCH, quick_gelu=True).eval()
    path = tmp_path_factory.mktemp('teacher') / 'clip.pt'
    torch.save(clip.state_dict(), path)
    return str(path), clip


# ---------------------------------------------------------------------- LCL
def test_lcl_matches_a_hand_computed_example():
    from clip4str.models.losses import linguistic_consistency_loss
    s = torch.tensor([[3.0, 4.0], [0.0, 2.0]])  # normalised: (0.6, 0.8), (0, 1)
    t = torch.tensor([[5.0, 0.0], [0.0, 0.5]])  # normalised: (1, 0), (0, 1)
    # s.t^T = [[0.6, 0.8], [0, 1]]; row i must pick column i at temperature 0.03
    row0 = math.log(1 + math.exp((0.8 - 0.6) / 0.03))
    row1 = math.log(1 + math.exp((0.0 - 1.0) / 0.03))
    # s.s^T = [[1, 0.8], [0.8, 1]], t.t^T = identity: mean |difference| = 1.6 / 4
    expected = 0.1 * (row0 + row1) / 2 + 5.0 * 1.6 / 4
    got = linguistic_consistency_loss(s, t)
    assert got.item() == pytest.approx(expected, rel=1e-5)
    assert got.item() == pytest.approx(2.3334, abs=1e-3)


def test_lcl_three_vectors_and_weights():
    from clip4str.models.losses import LinguisticConsistencyLoss
    s = torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    t = torch.tensor([[1.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 2.0]])
    r = 1 / math.sqrt(2)  # t normalised: (r, r, 0), (0, 1, 0), (0, 0, 1)
    logits = [[r, 0, 0], [r, 1, 0], [0, 0, 1]]  # s_i . t_j
    tau = 0.5
    ce = sum(-logits[i][i] / tau + math.log(sum(math.exp(v / tau) for v in logits[i]))
             for i in range(3)) / 3
    # s.s^T = I; t.t^T has r at (0, 1) and (1, 0): mean |diff| = 2r / 9
    expected = 2.0 * ce + 3.0 * 2 * r / 9
    loss = LinguisticConsistencyLoss(contrastive_weight=2.0, l1_weight=3.0, temperature=tau)
    assert loss(s, t).item() == pytest.approx(expected, rel=1e-5)
    assert loss(s, s).item() == pytest.approx(2.0 * sum(
        -1 / tau + math.log(math.exp(1 / tau) + 2) for _ in range(3)) / 3, rel=1e-5)
    with pytest.raises(ValueError, match='paired'):
        loss(s, t[:2])


# ---------------------------------------------------------------------- teacher
def test_position_grid_is_cropped_as_clip_ocr():
    from clip4str.models.distill import crop_pos_embed
    pos = torch.arange(197, dtype=torch.float32)[:, None].repeat(1, 3)  # 14x14 + class token
    out = crop_pos_embed(pos, (14, 14), (2, 8))
    assert out[:, 0].tolist() == [0, *range(1, 9), *range(15, 23)]  # reference's indices
    with pytest.raises(ValueError, match='larger'):
        crop_pos_embed(pos, (14, 14), (2, 16))


def test_teacher_features_match_open_clip(teacher_file):
    import open_clip

    from clip4str.models.distill import CLIPTeacher
    path, clip = teacher_file
    teacher = CLIPTeacher(TEACHER_ARCH, path, image_size=(32, 128), num_stages=4)
    assert not any(p.requires_grad for p in teacher.parameters())
    assert not teacher.train().training
    tokens = teacher.tokens(['Ab1', 'xyz'], 7)
    sot, eot = tokens[0, 0].item(), tokens[0, 4].item()
    tok = open_clip.tokenizer.SimpleTokenizer()
    assert tokens[0].tolist() == [sot, *[tok.encode(c)[0] for c in 'ab1'], eot, 0, 0]
    stages, word = teacher.text_stages(tokens)
    assert len(stages) == 3 and stages[0].shape == (2, 7, 32)
    with torch.no_grad():
        # causal attention: padding the context to CLIP's 77 changes nothing up to EOT
        padded = torch.nn.functional.pad(tokens, (0, 77 - 7))
        torch.testing.assert_close(word, clip.encode_text(padded), atol=1e-5, rtol=1e-4)
        images = torch.randn(2, 3, 32, 128)
        image_stages = teacher.image_stages(images)
        ref = clip.visual.forward_intermediates(images, indices=[0, 1, 2], output_fmt='NLC',
                                                intermediates_only=True, output_extra_tokens=True)
    assert [s.shape for s in image_stages] == [(2, 33, 32)] * 3
    # stage k ends after block k of 4 (open_clip returns the class token separately)
    for ours, cls, patches in zip(image_stages, ref['image_intermediates_prefix'],
                                  ref['image_intermediates']):
        torch.testing.assert_close(ours, torch.cat([cls, patches], 1), atol=1e-5, rtol=1e-4)


def test_teacher_needs_a_file():
    from clip4str.models.distill import CLIPTeacher
    with pytest.raises(ValueError, match='teacher.pretrained'):
        CLIPTeacher(TEACHER_ARCH, None)


# ---------------------------------------------------------------------- student + recognizer
def student_cfg(teacher_path=None):
    import clip4str  # noqa: F401
    from mmocr.utils import register_all_modules
    register_all_modules()
    cfg = Config.fromfile(str(CFG / 'clipocr_mini.py'))
    cfg.model.backbone.update(embed_dim=32, depth=4, num_heads=2)
    cfg.model.decoder.update(embed_dim=32, num_heads=2)
    cfg.model.teacher = dict(arch=TEACHER_ARCH, pretrained=teacher_path)
    return cfg


def build_student(teacher_path=None):
    from mmocr.registry import MODELS
    torch.manual_seed(0)
    return MODELS.build(student_cfg(teacher_path).model)


def test_student_stages_are_its_forward_pass():
    from clip4str.models.distill import decoder_stages
    model = build_student().eval()
    x = torch.randn(2, 3, 32, 128)
    with torch.no_grad():
        stages = model.backbone.forward_stages(x)
        assert len(stages) == 4
        torch.testing.assert_close(stages[-1], model.backbone(x))
        dec = model.decoder.visual_decoder
        tgt = torch.randint(0, 90, (2, 6))
        dec_stages = decoder_stages(dec, tgt, stages[-1])
        logits, _ = dec(tgt, stages[-1])
        torch.testing.assert_close(dec.head(dec_stages[-1]), logits)


def test_inference_needs_no_teacher():
    model = build_student().eval()  # no teacher file configured
    out = model.predict(torch.randn(2, 3, 32, 128), samples(WORDS[:2]))
    assert all(isinstance(o.pred_text.item, str) for o in out)
    with pytest.raises(ValueError, match='teacher.pretrained'):
        model.init_weights()  # training start: the missing teacher is reported at once


def test_distillation_gradients_reach_the_student_only(teacher_file):
    model = build_student(teacher_file[0]).train()
    losses = model.loss(torch.randn(4, 3, 32, 128), samples(WORDS))
    assert set(losses) == {'loss_ce', 'loss_kd_image', 'loss_kd_text', 'loss_kd_word'}
    teacher = model.get_teacher()
    assert not any(n.startswith('_teacher') for n in model.state_dict())
    assert {id(p) for p in model.parameters()}.isdisjoint(id(p) for p in teacher.parameters())
    head_of = dict(loss_kd_image='image', loss_kd_text='text', loss_kd_word='word')
    for key, head in head_of.items():
        model.zero_grad()
        model.loss(torch.randn(4, 3, 32, 128), samples(WORDS))[key].backward()
        got = {n for n, p in model.named_parameters()
               if p.grad is not None and p.grad.abs().sum() > 0}
        assert any(n.startswith('backbone.vit.') for n in got), key
        # each term trains its own heads only
        assert {n.split('.')[1].split('_')[0] for n in got if n.startswith('heads.')} == {head}
        # the text term trains the decoder; no distillation term reaches the character head
        assert any(n.startswith('decoder.') for n in got) == (key == 'loss_kd_text'), key
        assert not any(n.startswith('decoder.visual_decoder.head.') for n in got)
        assert all(p.grad is None for p in teacher.parameters())


def test_distillation_losses_fall(teacher_file):
    model = build_student(teacher_file[0]).train()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3)
    x = torch.randn(4, 3, 32, 128)
    history = []
    for _ in range(10):
        losses = model.loss(x, samples(WORDS))
        assert all(torch.isfinite(v) for v in losses.values())
        history.append({k: v.item() for k, v in losses.items()})
        opt.zero_grad()
        sum(losses.values()).backward()
        opt.step()
    for key in history[0]:
        assert history[-1][key] < history[0][key], (key, history[0][key], history[-1][key])


def test_recognizer_config_errors(teacher_file):
    from mmocr.registry import MODELS
    cfg = student_cfg(teacher_file[0])
    cfg.model.decoder.module_loss = dict(type='PSMLoss', num_perms=6)
    with pytest.raises(ValueError, match='canonical'):
        MODELS.build(cfg.model)
    cfg = student_cfg(teacher_file[0])
    cfg.model.decoder.depth = 2
    with pytest.raises(ValueError, match='num_stages'):
        MODELS.build(cfg.model)


@pytest.mark.slow
def test_paper_config_builds_the_clip_ocr_student():
    """PARSeq-S-sized encoder (21.4M) + 4 decoder layers; the ViT-B/16 teacher is not built."""
    import clip4str  # noqa: F401
    from mmocr.registry import MODELS
    from mmocr.utils import register_all_modules
    register_all_modules()
    model = MODELS.build(Config.fromfile(str(CFG / 'clipocr_vit-b16-teacher.py')).model)
    assert model.__dict__['_teacher'] is None
    assert model.backbone.num_tokens == 129 and model.backbone.stage_ends == [3, 6, 9, 12]
    assert abs(sum(p.numel() for p in model.backbone.parameters()) - 21.4e6) < 0.1e6
    # heads sized for the teacher: 17 image tokens (2x8 grid + class), 768 / 512 wide
    assert model.heads.image_mix[0].shape == (17, 129)
    assert model.heads.image_proj[0][0].out_features == 768
    assert model.heads.text_proj[0][0].out_features == 512


def test_teacher_from_a_trained_clip4str_checkpoint(tmp_path):
    """tools/extract_clip.py: the towers of a CLIP4STR checkpoint load as CLIP weights, into
    another CLIP4STR (identical encoders) and as a CLIP-OCR teacher."""
    from clip4str.cli.extract_clip import extract
    from clip4str.models.distill import CLIPTeacher

    from .helpers import build, tiny_cfg
    torch.manual_seed(3)
    trained = build(tiny_cfg()).eval()
    ckpt = tmp_path / 'iter_10.pth'
    torch.save(dict(meta=dict(iter=10), state_dict=trained.state_dict()), ckpt)
    out = tmp_path / 'clip.pth'
    assert extract(str(ckpt), str(out)) == len(
        [k for k in trained.state_dict() if k.startswith(('backbone.visual.',
                                                         'decoder.text_encoder.'))])
    fresh = build(tiny_cfg()).eval()
    fresh.load_clip(str(out))
    x, tokens = torch.randn(2, 3, 32, 128), torch.randint(1, 400, (2, 16))
    with torch.no_grad():
        torch.testing.assert_close(fresh.backbone(x), trained.backbone(x))
        torch.testing.assert_close(fresh.decoder.text_encoder(tokens),
                                   trained.decoder.text_encoder(tokens))
    teacher = CLIPTeacher(TINY_ARCH, str(out), image_size=(32, 128), num_stages=2)
    torch.testing.assert_close(teacher.visual.conv1.weight, trained.backbone.visual.conv1.weight)
    with pytest.raises(SystemExit, match='not a CLIP4STR checkpoint'):
        torch.save(dict(state_dict={'x': torch.zeros(1)}), tmp_path / 'bad.pth')
        extract(str(tmp_path / 'bad.pth'), str(out))
