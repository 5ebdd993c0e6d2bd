"""Mixed-precision training in bfloat16, on CPUs too (MMEngine's AmpOptimWrapper is GPU-only)."""
from contextlib import contextmanager

import torch
from mmengine.optim import OptimWrapper
from mmocr.registry import OPTIM_WRAPPERS


@OPTIM_WRAPPERS.register_module()
class BF16OptimWrapper(OptimWrapper):
    """Runs the forward pass under ``torch.autocast(dtype=torch.bfloat16)`` on the model's device.

    bfloat16 keeps float32's exponent range, so no loss scaling is needed. On CPUs with AMX or
    AVX512-BF16 matrix products run several times faster; weights and optimizer state stay fp32.
    """

    @contextmanager
    def optim_context(self, model: torch.nn.Module):
        param = next(model.parameters(), None)
        device = param.device.type if param is not None else 'cpu'
        with super().optim_context(model), torch.autocast(device_type=device,
                                                          dtype=torch.bfloat16):
            yield
