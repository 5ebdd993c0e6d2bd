"""The reference's AdamW parameter groups as an MMEngine optimizer-wrapper constructor."""
import logging
from typing import Dict, List, Optional, Sequence

from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.optim import OptimWrapper
from mmocr.registry import OPTIM_WRAPPER_CONSTRUCTORS, OPTIM_WRAPPERS, OPTIMIZERS
from torch import nn

# open_clip's rule, as CLIP4STR uses it: no weight decay on gains, biases, the temperature,
# position queries and the decoders' token embedding
NO_DECAY_KEYS = ('bn', 'ln', 'bias', 'logit_scale', 'pos_queries', 'text_embed')
CLIP_PREFIXES = ('backbone.', 'decoder.text_encoder.')


def no_weight_decay(name: str, param: nn.Parameter,
                    keys: Sequence[str] = NO_DECAY_KEYS) -> bool:
    return param.ndim < 2 or any(k in name for k in keys)


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class CLIP4STROptimWrapperConstructor:
    """Four groups: CLIP encoders (base lr) and decoders (``decoder_lr_mult`` x base lr, 19 in
    CLIP4STR), each split into decayed / not-decayed parameters. Frozen parameters are left out.

    ``paramwise_cfg`` keys: ``decoder_lr_mult`` (19.0), ``decoder_wd_mult`` (1.0),
    ``encoder_prefixes`` (the CLIP towers), ``no_decay_keys``.
    """

    def __init__(self, optim_wrapper_cfg: Dict, paramwise_cfg: Optional[Dict] = None):
        self.optim_wrapper_cfg = dict(optim_wrapper_cfg)
        self.optimizer_cfg = dict(self.optim_wrapper_cfg.pop('optimizer'))
        paramwise_cfg = dict(paramwise_cfg or {})
        self.decoder_lr_mult = paramwise_cfg.pop('decoder_lr_mult', 19.0)
        self.decoder_wd_mult = paramwise_cfg.pop('decoder_wd_mult', 1.0)
        self.encoder_prefixes = tuple(paramwise_cfg.pop('encoder_prefixes', CLIP_PREFIXES))
        self.no_decay_keys = tuple(paramwise_cfg.pop('no_decay_keys', NO_DECAY_KEYS))
        if paramwise_cfg:
            raise ValueError(f'unknown paramwise_cfg keys: {sorted(paramwise_cfg)}')

    def param_groups(self, model: nn.Module) -> List[Dict]:
        lr = self.optimizer_cfg['lr']
        wd = self.optimizer_cfg.get('weight_decay', 0.0)
        buckets = {k: [] for k in ('enc_no_wd', 'enc_wd', 'dec_no_wd', 'dec_wd')}
        for name, param in model.named_parameters():
            if not param.requires_grad:
                continue
            part = 'enc' if name.startswith(self.encoder_prefixes) else 'dec'
            decay = 'no_wd' if no_weight_decay(name, param, self.no_decay_keys) else 'wd'
            buckets[f'{part}_{decay}'].append(param)
        settings = dict(enc_no_wd=(lr, 0.0), enc_wd=(lr, wd),
                        dec_no_wd=(lr * self.decoder_lr_mult, 0.0),
                        dec_wd=(lr * self.decoder_lr_mult, wd * self.decoder_wd_mult))
        groups = []
        for key, params in buckets.items():
            if params:
                group_lr, group_wd = settings[key]
                groups.append(dict(params=params, lr=group_lr, weight_decay=group_wd, name=key))
        return groups

    def __call__(self, model: nn.Module) -> OptimWrapper:
        if is_model_wrapper(model):
            model = model.module
        groups = self.param_groups(model)
        total = sum(p.numel() for p in model.parameters())
        trainable = sum(p.numel() for g in groups for p in g['params'])
        summary = ', '.join(f"{g['name']}: {sum(p.numel() for p in g['params']) / 1e6:.2f}M "
                            f"(lr {g['lr']:.3g}, wd {g['weight_decay']:g})" for g in groups)
        print_log(f'parameters: {total / 1e6:.2f}M total, {trainable / 1e6:.2f}M trainable, '
                  f'{(total - trainable) / 1e6:.2f}M frozen; groups: {summary}',
                  logger='current', level=logging.INFO)
        optimizer = OPTIMIZERS.build(dict(self.optimizer_cfg, params=groups))
        return OPTIM_WRAPPERS.build(dict(self.optim_wrapper_cfg, type=self.optim_wrapper_cfg.get(
            'type', 'OptimWrapper')), default_args=dict(optimizer=optimizer))
