"""BF16OptimWrapper (bf16 autocast on any device) and ChannelsLastHook."""
import torch
from torch import nn

from clip4str.engine import BF16OptimWrapper, ChannelsLastHook


def test_forward_runs_in_bf16_and_fp32_params_get_updated():
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Conv2d(4, 1, 1))
    wrapper = BF16OptimWrapper(optimizer=torch.optim.SGD(model.parameters(), lr=0.1))
    before = model[0].weight.detach().clone()
    with wrapper.optim_context(model):
        out = model(torch.randn(2, 3, 8, 8))
    assert out.dtype == torch.bfloat16
    wrapper.update_params(out.float().mean())
    assert model[0].weight.dtype == torch.float32
    assert not torch.equal(before, model[0].weight)
    with torch.no_grad():  # outside the training context nothing is autocast
        assert model(torch.randn(1, 3, 8, 8)).dtype == torch.float32


def test_channels_last_hook_keeps_parameter_identity():
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4))
    params = list(model.parameters())

    class Runner:
        pass

    runner = Runner()
    runner.model = model
    ChannelsLastHook().before_train(runner)
    assert model[0].weight.is_contiguous(memory_format=torch.channels_last)
    assert all(a is b for a, b in zip(params, model.parameters()))  # optimizers stay valid
    out = model(torch.randn(1, 3, 9, 9))
    assert out.is_contiguous(memory_format=torch.channels_last)
