"""CLIP-Adapter and ladder side-tuning on the frozen CLIP towers, and their recipe configs."""
import pytest
import torch
from mmengine.config import Config

from tests.helpers import REPO

from .helpers import TINY_ARCH, build, tiny_cfg

CFG = REPO / 'configs' / 'textrecog' / 'clip4str'


def image_encoder(**kwargs):
    from clip4str.models import CLIPImageEncoder
    return CLIPImageEncoder(arch=TINY_ARCH, **kwargs)


# ---------------------------------------------------------------------- CLIP-Adapter
def test_clip_adapter_is_a_residual_bottleneck():
    from clip4str.models import CLIPAdapter
    torch.manual_seed(0)
    adapter = CLIPAdapter(512, reduction=2, ratio=0.2)
    assert sum(p.numel() for p in adapter.parameters()) == 2 * 512 * 256  # paper: 262K
    x = torch.randn(2, 5, 512)
    w1, w2 = adapter.fc[0].weight, adapter.fc[2].weight
    expected = 0.2 * torch.relu(torch.relu(x @ w1.t()) @ w2.t()) + 0.8 * x
    torch.testing.assert_close(adapter(x), expected)
    with pytest.raises(ValueError, match='reduction'):
        CLIPAdapter(30, reduction=4)


def test_clip_adapter_on_both_towers():
    from clip4str.models import CLIPTextEncoder
    enc = image_encoder(freeze_layers='all', adapter=dict(type='CLIPAdapter', reduction=4))
    assert {n for n, p in enc.named_parameters() if p.requires_grad} == {
        'adapter.fc.0.weight', 'adapter.fc.2.weight'}
    assert enc(torch.randn(1, 3, 32, 128)).shape == (1, 33, 32)
    text = CLIPTextEncoder(arch=TINY_ARCH, freeze_layers='all', adapter=dict(type='CLIPAdapter'))
    assert text(torch.zeros(2, 16, dtype=torch.long)).shape == (2, 16, 32)
    assert text.adapter.fc[0].weight.requires_grad
    with pytest.raises(ValueError, match='image tower only'):
        CLIPTextEncoder(arch=TINY_ARCH, adapter=dict(type='LadderSideAdapter'))
    with pytest.raises(ValueError, match='unknown CLIP adapter'):
        image_encoder(adapter=dict(type='NoSuchAdapter'))


# ---------------------------------------------------------------------- LST
def test_unpruned_full_ladder_reproduces_the_frozen_tower():
    """With every block on the ladder and nothing pruned, the side network starts as an exact
    copy of the tower: the ladder wiring, the block copies and ln_post/proj copies all agree."""
    torch.manual_seed(0)
    enc = image_encoder(freeze_layers='all',
                        adapter=dict(type='LadderSideAdapter', block_ids=[0, 1],
                                     inner_reduction=1)).eval()
    x = torch.randn(2, 3, 32, 128)
    enc_plain = image_encoder(freeze_layers='all').eval()
    enc_plain.load_state_dict(enc.state_dict(), strict=False)
    with torch.no_grad():
        torch.testing.assert_close(enc(x), enc_plain(x), atol=1e-5, rtol=1e-4)
        torch.testing.assert_close(enc.adapter.gates(), torch.full((2, ), 0.5))


def test_pruned_side_blocks_keep_the_largest_channels():
    from open_clip.transformer import ResidualAttentionBlock

    from clip4str.models.adapters.ladder_side import SideBlock
    torch.manual_seed(0)
    block = ResidualAttentionBlock(8, 2)
    side = SideBlock(8, 2, inner=4, mlp_inner=8, act=torch.nn.GELU())
    side.init_pruned(block)
    w = block.attn.in_proj_weight
    qk = (w[:8].abs().sum(1) + w[8:16].abs().sum(1)).topk(4).indices.sort().values
    torch.testing.assert_close(side.qkv.weight[:4], w[:8][qk])
    torch.testing.assert_close(side.qkv.weight[4:8], w[8:16][qk])
    hid = (block.mlp.c_fc.weight.abs().sum(1) + block.mlp.c_proj.weight.abs().sum(0)).topk(8)
    torch.testing.assert_close(side.c_proj.weight, block.mlp.c_proj.weight[:, hid.indices.sort()
                                                                          .values])


def test_lst_options_and_errors():
    enc = image_encoder(freeze_layers='all',
                        adapter=dict(type='LadderSideAdapter', width_reduction=2,
                                     inner_reduction=2, prune_init=False))
    assert enc.adapter.block_ids == [0, 1]  # default {0, d/3, 2d/3, d-1} for 2 blocks
    assert enc(torch.randn(1, 3, 32, 128)).shape == (1, 33, 32)
    with pytest.raises(ValueError, match='prune_init'):
        image_encoder(adapter=dict(type='LadderSideAdapter', width_reduction=2))
    with pytest.raises(ValueError, match='block_ids'):
        image_encoder(adapter=dict(type='LadderSideAdapter', block_ids=[0, 5]))


def test_side_network_follows_loaded_clip_weights(tmp_path):
    """CLIP weights load after construction (init_weights): the side network is rebuilt from
    them, so an unpruned full ladder still equals the tower."""
    from open_clip.model import CLIP
    torch.manual_seed(1)
    path = tmp_path / 'clip.pt'
    torch.save(CLIP(**TINY_ARCH, quick_gelu=True).state_dict(), path)
    cfg = tiny_cfg(text_encoder=None, embed_dim=32, output_branch='visual')
    cfg.model.backbone.update(freeze_layers='all', adapter=dict(
        type='LadderSideAdapter', block_ids=[0, 1], inner_reduction=1))
    model = build(cfg).eval()
    model.load_clip(str(path))
    plain = image_encoder(freeze_layers='all').eval()
    plain.load_clip_weights({k[len('visual.'):]: v for k, v in torch.load(
        path, weights_only=True).items() if k.startswith('visual.')}, str(path))
    x = torch.randn(2, 3, 32, 128)
    with torch.no_grad():
        torch.testing.assert_close(model.backbone(x), plain(x), atol=1e-5, rtol=1e-4)


# ---------------------------------------------------------------------- paper scale
def recipe(name):
    import clip4str  # noqa: F401
    from mmocr.utils import register_all_modules
    register_all_modules()
    return build(Config.fromfile(str(CFG / name)))


@pytest.mark.slow
def test_vit_b16_peft_recipes_parameter_counts():
    """Paper-scale recipes: CLIP-Adapter 262K (the paper's number) and the LST side network
    (4 side blocks of 768 width with inner widths / 4, plus ln_post and proj copies and 4 gates)
    are all that trains in the image tower."""
    block = 768 * 2 * 2 + (768 * 576 + 576) + (192 * 768 + 768) + 2 * (768 * 768 + 768)
    for name, adapter in (('clip4str_vit-b16_clip-adapter.py', 262144),
                          ('clip4str_vit-b16_lst.py', 4 * block + 2 * 768 + 768 * 512 + 4)):
        model = recipe(name)
        assert model.decoder.text_encoder is None and model.decoder.cross_decoder is None
        assert not any(p.requires_grad for p in model.backbone.visual.parameters())
        assert sum(p.numel() for p in model.backbone.adapter.parameters()
                   if p.requires_grad) == adapter
        del model
