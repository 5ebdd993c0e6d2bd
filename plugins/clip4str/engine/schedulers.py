"""One-cycle learning rate whose peak in each parameter group is that group's own lr."""
from mmengine.optim.scheduler import OneCycleLR
from mmocr.registry import PARAM_SCHEDULERS


@PARAM_SCHEDULERS.register_module()
class GroupOneCycleLR(OneCycleLR):
    """``OneCycleLR`` with ``eta_max`` defaulting to each group's configured lr (after MMEngine's
    ``auto_scale_lr``), so encoder and decoder groups keep their 1:19 ratio at every step, as the
    reference's ``OneCycleLR(optimizer, [lr, lr, 19 lr, 19 lr], ...)``. No momentum cycling."""

    def __init__(self, optimizer, eta_max=None, **kwargs):
        if eta_max is None:
            eta_max = [group['lr'] for group in optimizer.param_groups]
        super().__init__(optimizer, eta_max=eta_max, **kwargs)
