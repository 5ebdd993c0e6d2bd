#!/usr/bin/env python
"""Train and test several recipe configs on one short schedule and tabulate them.

Each config gets the same overlay: ``--iters`` iterations at ``--batch`` on its training data
(the real training crops for the mini recipes), AdamW + one-cycle, no validation; then
tools/test.py on IIIT5K test. Runs are sequential, single-threaded subprocesses (``nice``).

Freezing and PEFT assume pretrained towers: ``--clip-pretrained FILE`` starts every CLIP4STR
recipe from those CLIP weights (lr ``--lr`` for the towers and LST, ``--decoder-lr-mult`` times
that for decoders and CLIP-Adapter, as the reference), and makes FILE the CLIP-OCR teacher (its
student trains from scratch at ``--student-lr``). Without it everything trains from scratch at
``--lr`` and the teacher is the towers of the first CLIP4STR run of the list.

    # 1. "pretrained CLIP" stand-in: the mini model trained longer, its towers extracted
    python tools/compare_recipes.py clip4str_mini.py --iters 1500 --work-root W0
    # 2. every recipe from those towers, same 200 iterations
    python tools/compare_recipes.py --clip-pretrained W0/clip4str_mini/clip_towers.pth \
        --lr 1e-4 --decoder-lr-mult 10 --work-root W1

Results: a markdown table on stdout and ``<work-root>/results.json``; each run keeps its
config, logs and checkpoint in ``<work-root>/<name>/``.
"""
import argparse
import glob
import json
import os
import os.path as osp
import re
import subprocess
import sys
import time

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CFG = osp.join(REPO, 'configs', 'textrecog', 'clip4str')
DEFAULT = ['clip4str_mini.py', 'clip4str_mini_text-freeze-emb.py',
           'clip4str_mini_text-freeze-all.py', 'clip4str_mini_image-freeze-2.py',
           'clip4str_mini_image-freeze-all.py', 'clip4str_mini_clip-adapter.py',
           'clip4str_mini_lst.py', 'clipocr_mini.py']

OVERLAY = """_base_ = [{base!r}]
train_dataloader = dict(batch_size={batch}, num_workers=1, persistent_workers=False)
test_dataloader = dict(batch_size=128, num_workers=1, persistent_workers=False,
                       dataset=dict(datasets=[_base_.iiit5k_str_test]))
val_dataloader = test_dataloader
test_evaluator = dict(_delete_=True, type='CombinedMultiDatasetsEvaluator',
                      metrics=[dict(type='STRMetric', protocols=('36', '94'))],
                      dataset_prefixes=['IIIT5K'])
val_evaluator = test_evaluator
optim_wrapper = dict(optimizer=dict(lr={lr}, weight_decay=0.05),
                     paramwise_cfg=dict(decoder_lr_mult={mult}))
auto_scale_lr = dict(enable=False)
train_cfg = dict(_delete_=True, type='IterBasedTrainLoop', max_iters={iters},
                 val_interval={iters}, val_begin={iters} + 1)
param_scheduler = [dict(type='GroupOneCycleLR', pct_start=0.075, by_epoch=False, begin=0,
                        end={iters})]
default_hooks = dict(logger=dict(interval={log_every}),
                     checkpoint=dict(by_epoch=False, interval={iters}, max_keep_ckpts=1))
log_processor = dict(by_epoch=False)
randomness = dict(seed=0)
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('configs', nargs='*', default=DEFAULT,
                        help='configs (file names under configs/textrecog/clip4str or paths)')
    parser.add_argument('--work-root', default='work_dirs/compare_recipes')
    parser.add_argument('--iters', type=int, default=200)
    parser.add_argument('--batch', type=int, default=32)
    parser.add_argument('--lr', type=float, default=1e-3)
    parser.add_argument('--decoder-lr-mult', type=float, default=1.0)
    parser.add_argument('--student-lr', type=float, default=1e-3,
                        help='CLIP-OCR student (from scratch, one lr for all its parts)')
    parser.add_argument('--clip-pretrained', help='CLIP weight file: towers of every CLIP4STR '
                        'recipe, teacher of CLIP-OCR')
    return parser.parse_args()


def run(cmd, log_path):
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHONUNBUFFERED='1')
    start = time.time()
    with open(log_path, 'w') as log:
        code = subprocess.call(['nice', '-n', '10', sys.executable, *cmd], cwd=REPO, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    if code:
        raise SystemExit(f'failed ({code}): {" ".join(cmd)}; see {log_path}')
    return time.time() - start


def train_log(work_dir):
    """Character cross entropy of the visual decoder (``loss_visual``; CLIP-OCR: ``loss_ce``),
    comparable across recipes unlike the total: first logged and mean of the last 20 logs; and
    the mean seconds per iteration."""
    rows = []
    for f in sorted(glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))):
        with open(f) as fh:
            rows += [json.loads(line) for line in fh if '"loss"' in line]
    ce = [r.get('loss_visual', r.get('loss_ce')) for r in rows]
    tail = ce[-20:]
    return dict(ce_first=ce[0], ce_last=sum(tail) / len(tail), loss_total_last=rows[-1]['loss'],
                s_per_iter=sum(r['time'] for r in rows) / len(rows))


def trainable(train_out):
    """The trainable-parameter count the optimizer constructor logs at start (in millions)."""
    with open(train_out) as fh:
        found = re.search(r'parameters: ([\d.]+)M total, ([\d.]+)M trainable', fh.read())
    return float(found.group(2)) if found else None


def test_metrics(work_dir):
    """Metrics of the newest test log (MMEngine writes <timestamp>/<timestamp>.json)."""
    found = sorted(glob.glob(osp.join(work_dir, '*', '*.json')), key=osp.getmtime)
    with open(found[-1]) as fh:
        return json.loads(fh.read().splitlines()[-1])


def main():
    args = parse_args()
    os.makedirs(args.work_root, exist_ok=True)
    results, teacher = [], args.clip_pretrained and osp.abspath(args.clip_pretrained)
    for config in args.configs:
        path = config if osp.isfile(config) else osp.join(CFG, config)
        name = osp.splitext(osp.basename(path))[0]
        work = osp.abspath(osp.join(args.work_root, name))
        os.makedirs(work, exist_ok=True)
        student = name.startswith('clipocr')
        overlay = OVERLAY.format(base=osp.abspath(path), batch=args.batch,
                                 lr=args.student_lr if student else args.lr,
                                 mult=1.0 if student else args.decoder_lr_mult,
                                 iters=args.iters, log_every=min(20, args.iters))
        if student:
            if not teacher:
                raise SystemExit(f'{name}: no teacher yet: list a CLIP4STR config before it')
            overlay += f'model = dict(teacher=dict(pretrained={teacher!r}))\n'
        elif args.clip_pretrained:
            overlay += f'model = dict(clip_pretrained={teacher!r})\n'
        cfg = osp.join(work, 'cfg.py')
        with open(cfg, 'w') as fh:
            fh.write(overlay)
        ckpt = osp.join(work, f'iter_{args.iters}.pth')
        train_s = run(['tools/train.py', cfg, '--work-dir', work], osp.join(work, 'train.out'))
        test_s = run(['tools/test.py', cfg, ckpt, '--work-dir', osp.join(work, 'test')],
                     osp.join(work, 'test.out'))
        if not teacher and not student:
            teacher = osp.join(work, 'clip_towers.pth')
            run(['tools/extract_clip.py', ckpt, teacher], osp.join(work, 'extract.out'))
        row = dict(config=name, train_s=round(train_s), test_s=round(test_s),
                   trainable_m=trainable(osp.join(work, 'train.out')),
                   **train_log(work), metrics=test_metrics(osp.join(work, 'test')))
        results.append(row)
        print(f'{name}: {row["metrics"]}', flush=True)
        with open(osp.join(args.work_root, 'results.json'), 'w') as fh:
            json.dump(results, fh, indent=1)
    print('\n| config | trainable | char CE first | char CE last | s/iter | IIIT5K acc (36) | '
          '1-NED (36) |')
    print('|---|---|---|---|---|---|---|')
    for r in results:
        m = r['metrics']
        acc, ned = m.get('IIIT5K/recog/word_acc'), m.get('IIIT5K/recog/one_minus_ned')
        print(f'| {r["config"]} | {r["trainable_m"]}M | {r["ce_first"]:.3f} | '
              f'{r["ce_last"]:.3f} | '
              f'{r["s_per_iter"]:.2f} | {100 * acc:.2f} | {100 * ned:.2f} |')


if __name__ == '__main__':
    main()
