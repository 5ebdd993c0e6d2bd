"""Type checks of config overrides (``--cfg-options``), before anything is built with them.

An override must fit the value it replaces: a number for a number, True/False for a flag, a
list for a list... so ``det.min_score=high`` or ``model.decoder.refine_iters='two'`` is one
clear error up front instead of a failure on every input (or deep in training).
"""
from typing import Any, Optional

_MISSING = object()


def lookup(cfg, dotted: str) -> Any:
    """The value at ``a.b.c`` in nested dicts (or lists, by index); _MISSING when absent."""
    node = cfg
    for key in dotted.split('.'):
        if hasattr(node, 'keys') and key in node:  # dicts, mmengine Config and ConfigDict
            node = node[key]
        elif isinstance(node, (list, tuple)) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return _MISSING
    return node


def type_problem(old: Any, new: Any) -> Optional[str]:
    """Why ``new`` cannot replace ``old`` (None when it can, or when ``old`` says nothing)."""
    if old is _MISSING or old is None or new is None:
        return None
    if isinstance(old, bool):
        return None if isinstance(new, bool) else 'expected True or False'
    if isinstance(old, (int, float)):
        if isinstance(new, bool) or not isinstance(new, (int, float)):
            return f'expected a number like {old!r}'
        if isinstance(old, int) and isinstance(new, float) and not new.is_integer():
            return f'expected a whole number like {old!r}'
        return None
    if isinstance(old, str):
        return None if isinstance(new, str) else f'expected text like {old!r}'
    if isinstance(old, (list, tuple)):
        return None if isinstance(new, (list, tuple)) else 'expected a list like ' \
            f'{list(old)!r}'
    if isinstance(old, dict):
        return None if isinstance(new, dict) else 'expected a dict'
    return None


def check_overrides(cfg, overrides: Optional[dict], where: str = '--cfg-options',
                    prefix: str = '') -> None:
    """Raise ValueError('WHERE KEY=VALUE: problem') for the first override of the wrong type;
    nested dicts of overrides are checked key by key."""
    for key, new in (overrides or {}).items():
        old = lookup(cfg, key)
        if isinstance(new, dict) and isinstance(old, dict):
            check_overrides(old, new, where, f'{prefix}{key}.')
            continue
        problem = type_problem(old, new)
        if problem:
            raise ValueError(f'{where} {prefix}{key}={new!r}: {problem}')
