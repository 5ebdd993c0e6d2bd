#!/usr/bin/env python
"""After a device run: put weights/ back in git's index, reassemble the returned snapshot,
evaluate it on the CPU with tools/test.py, and publish it only if it beats the shipped file.

    python tools/device/collect.py recog /work/.device/.../files          # evaluate, compare
    python tools/device/collect.py recog FILES --publish                   # ... and ship if better
    python tools/device/collect.py recog FILES --limit 100                 # quick: 100 crops per
                                                                           # benchmark, both models

The comparison is word accuracy on the combined STR benchmarks (Combined/recog/word_acc); the
shipped file's score comes from weights/MANIFEST.json, or, with --limit, from evaluating it on the
same subset. --min-gain (points) is what "clearly better" means.
"""
import argparse
import json
import os
import os.path as osp
import shlex
import sys

HERE = osp.dirname(osp.abspath(__file__))
ROOT = osp.dirname(osp.dirname(HERE))
sys.path[:0] = [HERE, osp.join(ROOT, 'tools'), osp.join(ROOT, 'plugins')]

# recog: the shipped score is in weights/MANIFEST.json (unless --limit); det: its manifest score
# is a training-time validation, so both files are evaluated here the same way (5 held-out SROIE
# receipts + MMOCR's 10 det toy scenes, about a minute each)
TARGETS = dict(
    recog=dict(config='configs/textrecog/clip4str/clip4str_small_conv-ctc.py',
               shipped='weights/clip4str_small.pth', key='Combined/recog/word_acc', n_sets=4,
               evaluate_shipped=False, data='synthetic words (seed {seed}) rendered during '
               'training + IIIT5K/SVT/IC15 train crops'),
    det=dict(config='configs/textdet/dbnet/dbnet_resnet18_fpnc_synthdoc.py',
             shipped='weights/dbnet_resnet18_synthdoc.pth', key='SROIE-val/icdar/hmean',
             n_sets=0, evaluate_shipped=True, data='synthetic pages (make_synth_pages seed '
             '{seed}) rendered on the device + 25 SROIE receipts x12'))


def ensure_sroie_val(data_root: str) -> None:
    """The det config's test set reads data/sroie_words (tools/dataset_converters/sroie_words.py
    output, as docs/training.md makes it)."""
    if osp.isfile(osp.join(ROOT, 'data', 'sroie_words', 'textdet_val.json')):
        return
    sys.path.insert(0, osp.join(ROOT, 'tools', 'dataset_converters'))
    import sroie_words
    sroie_words.main([osp.join(data_root, 'SROIE_train_subset', 'training_data'),
                      osp.join(ROOT, 'data', 'sroie_words')])


def evaluate(config: str, checkpoint: str, work_dir: str, limit: int, n_sets: int):
    from clip4str.cli.test import main as test_main
    argv = [config, checkpoint, '--work-dir', work_dir]
    if limit and n_sets:
        argv += ['--cfg-options'] + [f'test_dataloader.dataset.datasets.{i}.indices={limit}'
                                     for i in range(n_sets)]
    metrics = test_main(argv) or {}
    return ({k: round(float(v), 4) for k, v in metrics.items()},
            'python tools/test.py ' + ' '.join(shlex.quote(a) for a in argv))


def manifest_score(shipped: str, key: str):
    with open(osp.join(ROOT, 'weights', 'MANIFEST.json'), encoding='utf-8') as f:
        for m in json.load(f)['models']:
            if m['file'] == shipped:
                return (m.get('scores') or {}).get(key)
    return None


def parse_args(argv=None):
    p = argparse.ArgumentParser(description='Evaluate (and publish) what a device run returned')
    p.add_argument('run', choices=sorted(TARGETS))
    p.add_argument('files', help="the run's files_at folder (snapshot parts and manifests)")
    p.add_argument('--work-dir', default=None, help='default work_dirs/device/RUN')
    p.add_argument('--limit', type=int, default=0,
                   help='evaluate on the first N crops of each benchmark (and the shipped file '
                   'on the same crops)')
    p.add_argument('--publish', action='store_true', help='replace the shipped file if better')
    p.add_argument('--min-gain', type=float, default=0.5,
                   help='points of the key metric (word accuracy, or hmean for det)')
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    import pack
    if pack.restore_weights(ROOT, osp.join(ROOT, '.device')):
        print('weights/ restored in the index')
    target = TARGETS[args.run]
    work_dir = args.work_dir or osp.join(ROOT, 'work_dirs', 'device', args.run)
    from devkit.parts import reassemble
    meta = reassemble(args.files, args.run, osp.join(work_dir, f'{args.run}_device.pth'))
    ckpt = osp.join(work_dir, f'{args.run}_iter{meta["iter"]}.pth')
    os.replace(osp.join(work_dir, f'{args.run}_device.pth'), ckpt)
    print(f'reassembled {ckpt}: iter {meta["iter"]}, slot {meta["slot"]}, '
          f'{meta.get("samples")} samples in {meta.get("train_seconds")} s '
          f'({meta.get("samples_per_s")} samples/s on {meta.get("device")})')
    os.chdir(ROOT)  # the det config's data roots are relative to the repository
    if args.run == 'det':
        ensure_sroie_val(os.environ.get('CLIP4STR_DATA_ROOT') or
                         osp.join(osp.dirname(ROOT), 'shared', 'data'))
    config = osp.join(ROOT, target['config'])
    scores, command = evaluate(config, ckpt, osp.join(work_dir, 'eval'), args.limit,
                               target['n_sets'])
    if args.limit or target['evaluate_shipped']:
        base_scores, _ = evaluate(config, osp.join(ROOT, target['shipped']),
                                  osp.join(work_dir, 'eval_shipped'), args.limit, target['n_sets'])
        before = base_scores.get(target['key'])
    else:
        before = manifest_score(target['shipped'], target['key'])
    after = scores.get(target['key'])
    gain = None if before is None or after is None else round(100 * (after - before), 2)
    better = gain is not None and gain >= args.min_gain
    summary = dict(run=args.run, checkpoint=ckpt, meta=meta, key=target['key'], before=before,
                   after=after, gain_points=gain, limit=args.limit, better=better,
                   published=False)
    if args.publish and better and not args.limit:
        import publish_weights
        publish_weights.main([
            ckpt, osp.join(ROOT, target['shipped']), '--config', target['config'],
            '--manifest', osp.join(ROOT, 'weights', 'MANIFEST.json'),
            '--scores', json.dumps(scores), '--scores-command', command,
            '--wall-time-hours', str(round((meta.get('train_seconds') or 0) / 3600, 3)),
            '--training-data', f'shipped weights + {meta.get("train_seconds")} s on '
            f'{meta.get("device")}: ' + target['data'].format(seed=meta.get('synth_seed')),
            '--notes', f'tools/device run: {json.dumps(meta)}'])
        summary['published'] = True
    elif args.publish and args.limit:
        print('--publish needs the full benchmarks (no --limit): not published')
    with open(osp.join(work_dir, 'summary.json'), 'w', encoding='utf-8') as f:
        json.dump(summary, f, indent=1)
    verdict = ('published' if summary['published'] else 'better' if better else 'not better')
    if args.limit:
        verdict += f' on {args.limit} crops per benchmark (a check of the path, not a verdict)'
    print(f'{target["key"]}: shipped {before} -> returned {after} ({gain} points): {verdict}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
