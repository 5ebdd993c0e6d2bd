from .psm_loss import PSMLoss

__all__ = ['PSMLoss']
