import pytest
import torch

from .helpers import build, tiny_cfg


@pytest.fixture
def tiny_model():
    torch.manual_seed(0)
    return build(tiny_cfg())
