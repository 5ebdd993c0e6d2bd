from .lcl_loss import LinguisticConsistencyLoss, linguistic_consistency_loss
from .psm_loss import PSMLoss

__all__ = ['LinguisticConsistencyLoss', 'PSMLoss', 'linguistic_consistency_loss']
