"""`tools/test.py`: evaluate a checkpoint on the config's test sets and print the table."""
import argparse
import os.path as osp

from .common import add_common_args, bad_value, build_runner, load_config, one_line_errors


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Test (and evaluate) a model')
    parser.add_argument('config', help='test config file')
    parser.add_argument('checkpoint', help='checkpoint file (runner .pth or shipped weights)')
    parser.add_argument('--save-preds', action='store_true',
                        help='dump predictions to a pickle file in work_dir')
    parser.add_argument('--show-dir', help='save painted predictions to this directory')
    add_common_args(parser)
    return parser.parse_args(argv)


def metrics_table(metrics: dict) -> str:
    """Rows = datasets, columns = metrics, from keys like 'IIIT5K/recog/word_acc'."""
    rows, cols = {}, []
    for key, value in metrics.items():
        parts = key.split('/')
        dataset = parts[0] if len(parts) > 1 else '-'
        name = parts[-1]
        rows.setdefault(dataset, {})[name] = value
        if name not in cols:
            cols.append(name)
    width = max([len('dataset')] + [len(r) for r in rows]) + 2
    lines = ['dataset'.ljust(width) + ''.join(c.rjust(max(10, len(c) + 2)) for c in cols)]
    for dataset, vals in rows.items():
        cells = []
        for c in cols:
            v = vals.get(c, '')
            v = f'{100 * v:.2f}' if isinstance(v, float) and abs(v) <= 1.0 else str(v)
            cells.append(v.rjust(max(10, len(c) + 2)))
        lines.append(dataset.ljust(width) + ''.join(cells))
    return '\n'.join(lines)


def main(argv=None):
    import clip4str  # noqa: F401
    args = parse_args(argv)
    with one_line_errors(args.debug):
        return _test(args)


def _test(args):
    from ..ocr.errors import file_problem
    if not osp.isfile(args.checkpoint):
        raise SystemExit(f'error: checkpoint not found: {args.checkpoint}')
    problem = file_problem(args.checkpoint)
    if problem:
        bad_value(f'checkpoint {args.checkpoint}: {problem}')
    cfg = load_config(args)
    cfg.load_from = args.checkpoint
    if args.show_dir:
        vis = cfg.default_hooks.get('visualization')
        if vis is None:
            raise SystemExit(f'error: --show-dir needs a VisualizationHook in {args.config}')
        vis.update(enable=True, draw_gt=True, draw_pred=True)
        cfg.visualizer.update(save_dir=args.show_dir, vis_backends=[dict(type='LocalVisBackend')])
    if args.save_preds:
        dump = dict(type='DumpResults', out_file_path=osp.join(
            cfg.work_dir, f'{osp.basename(args.checkpoint)}_predictions.pkl'))
        evaluators = cfg.test_evaluator
        cfg.test_evaluator = (list(evaluators) if isinstance(evaluators, (list, tuple))
                              else [evaluators]) + [dump]

    runner = build_runner(cfg)
    metrics = runner.test()
    if metrics and runner.rank == 0:
        print('\n' + metrics_table(metrics))
    return metrics


if __name__ == '__main__':
    main()
