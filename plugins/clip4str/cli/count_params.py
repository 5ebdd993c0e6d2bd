"""`tools/count_params.py`: total / trainable / frozen parameters of configs (no training, no
weights), split by the model's parts, as the optimizer will see them."""
import argparse
from collections import OrderedDict
from typing import Dict


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Count the (trainable) parameters of configs')
    parser.add_argument('configs', nargs='+', help='model config files')
    return parser.parse_args(argv)


def part_of(name: str) -> str:
    """Where a parameter lives: 'backbone.visual', 'backbone.adapter', 'decoder.text_encoder'..."""
    parts = name.split('.')
    return '.'.join(parts[:2]) if parts[0] in ('backbone', 'decoder') else parts[0]


def count(model) -> Dict:
    parts = OrderedDict()
    for name, p in model.named_parameters():
        total, trainable = parts.get(part_of(name), (0, 0))
        parts[part_of(name)] = (total + p.numel(), trainable + p.numel() * p.requires_grad)
    total = sum(t for t, _ in parts.values())
    trainable = sum(t for _, t in parts.values())
    return dict(total=total, trainable=trainable, frozen=total - trainable, parts=parts)


def main(argv=None):
    import clip4str  # noqa: F401
    from mmengine.config import Config
    from mmocr.registry import MODELS
    from mmocr.utils import register_all_modules
    register_all_modules()
    args = parse_args(argv)
    for path in args.configs:
        model = MODELS.build(Config.fromfile(path).model)
        c = count(model)
        print(f'{path}: {c["total"] / 1e6:.2f}M total, {c["trainable"] / 1e6:.3f}M trainable, '
              f'{c["frozen"] / 1e6:.2f}M frozen')
        for part, (total, trainable) in c['parts'].items():
            print(f'  {part:28s} {total / 1e6:9.3f}M  trainable {trainable / 1e6:9.3f}M')
        teacher = getattr(model, 'teacher_cfg', None)
        if teacher is not None:
            print(f'  (+ frozen teacher {teacher["arch"]!r}, built for training only, not counted)')
        del model


if __name__ == '__main__':
    main()
