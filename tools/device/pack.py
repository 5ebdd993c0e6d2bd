#!/usr/bin/env python
"""Prepare what a lent GPU needs and print the exact `run` call (docs/device.md).

    python tools/device/pack.py recog            # build .device/, take weights/ out of the
                                                 # travelling tree, print the run call
    python tools/device/pack.py --restore        # put weights/ back in the index (collect.py
                                                 # does this first)

.device/ (ignored by git, sent with `carry`) gets: the wheels of tools/device/wheels.txt for
Python 3.12 (fetch_wheels.sh), the start weights, the real training crops (IIIT5K/SVT/IC15
train, never test splits) as one compact JPEG LMDB, a capped set of fonts, the word list and
the word frequencies the synthetic-word generator samples from (wordfreq's 57 MB wheel would not
fit). The tracked weights/*.pth (49 MB) would push the tree past the tool's 64 MiB, so they are
removed from git's index (the files stay on disk, ignored through .git/info/exclude) until
--restore; the exact index entries are saved in .device/index_weights.txt.
"""
import argparse
import json
import os
import os.path as osp
import shutil
import subprocess
import sys

HERE = osp.dirname(osp.abspath(__file__))
ROOT = osp.dirname(osp.dirname(HERE))
sys.path[:0] = [HERE, osp.join(ROOT, 'plugins')]

LIMIT_BYTES = 64 * 2**20  # the tool's cap on what travels (tree + carry)
EXCLUDE_MARK = '# clip4str devkit: weights out of the travelling tree'
# budget_s: training seconds; the rest of timeout_s is install, start-up, (det) page rendering
RUNS = dict(recog=dict(budget_s=450, timeout_s=600, weights='clip4str_small.pth'),
            det=dict(budget_s=360, timeout_s=600, weights='dbnet_resnet18_synthdoc.pth'))


def git(*args, root=ROOT, check=True) -> str:
    return subprocess.run(['git', '-C', root, *args], check=check, capture_output=True,
                          text=True).stdout


def fetch_wheels(dest: str, pyver: str = '3.12') -> str:
    pip = os.environ.get('PIP') or f'{sys.executable} -m pip'
    subprocess.run([osp.join(HERE, 'fetch_wheels.sh'), dest], check=True,
                   env=dict(os.environ, PYVER=pyver, PIP=pip))
    return dest


def write_crops_archive(kit: str, items, meta: dict) -> int:
    """(JPEG bytes, label) pairs as an MMOCR recognition LMDB, gzipped into
    <kit>/data/real_crops.tar.gz. LMDB stores each value over ~2 KB in whole 4 KB pages, so half
    the folder is padding, which gzip takes out (the device unpacks it in a fraction of a second)."""
    import tarfile
    import tempfile
    from clip4str.datasets.synth.lmdb_writer import RecogLMDBWriter
    tmp = tempfile.mkdtemp(prefix='devkit_crops_')
    try:
        out = osp.join(tmp, 'real_crops')
        with RecogLMDBWriter(out, meta, overwrite=True) as writer:
            n = writer.append(items)
        os.makedirs(osp.join(kit, 'data'), exist_ok=True)
        with tarfile.open(osp.join(kit, 'data', 'real_crops.tar.gz'), 'w:gz') as tar:
            tar.add(out, arcname='real_crops')
    finally:
        shutil.rmtree(tmp)
    return n


def pack_real_crops(kit: str, data_root: str, max_height: int, quality: int) -> int:
    """IIIT5K / SVT / IC15 train crops (never test splits), scaled to at most max_height px."""
    import cv2
    import clip4str  # noqa: F401
    from mmengine.config import Config
    from mmocr.registry import DATASETS
    meta = dict(tool='tools/device/pack.py', sets=['IIIT5K/train', 'SVT/train', 'IC15/train'],
                max_height=max_height, quality=quality)
    cfg = Config.fromfile(osp.join(ROOT, 'configs/_base_/datasets/str_real_train.py'))
    items = []
    for d in cfg.str_real_train_list:
        name = osp.basename(d['data_root'].rstrip('/'))
        root = osp.join(data_root, 'IC15_train', 'TrainingSet') if name == 'TrainingSet' else \
            osp.join(data_root, name)
        ds = DATASETS.build(dict(d, data_root=root, pipeline=[]))
        for i in range(len(ds)):
            info = ds.get_data_info(i)
            img = cv2.imread(info['img_path'], cv2.IMREAD_COLOR | cv2.IMREAD_IGNORE_ORIENTATION)
            if img is None:
                print(f'{info["img_path"]}: unreadable, left out', file=sys.stderr)
                continue
            h, w = img.shape[:2]
            if h > max_height:
                img = cv2.resize(img, (max(1, round(w * max_height / h)), max_height),
                                 interpolation=cv2.INTER_AREA)
            ok, buf = cv2.imencode('.jpg', img, [cv2.IMWRITE_JPEG_QUALITY, quality])
            items.append((buf.tobytes(), info['instances'][0]['text']))
    return write_crops_archive(kit, items, meta)


def pack_sroie(kit: str, data_root: str) -> int:
    """SROIE receipts as word polygons (tools/dataset_converters/sroie_words.py), the 25
    training receipts only, images copied in, paths made relative; gzipped tar."""
    import tarfile
    import tempfile
    sys.path.insert(0, osp.join(ROOT, 'tools', 'dataset_converters'))
    import sroie_words
    tmp = tempfile.mkdtemp(prefix='devkit_sroie_')
    try:
        out = osp.join(tmp, 'sroie_words')
        sroie_words.main([osp.join(data_root, 'SROIE_train_subset', 'training_data'), out])
        with open(osp.join(out, 'textdet_train.json'), encoding='utf-8') as f:
            ann = json.load(f)
        os.makedirs(osp.join(out, 'imgs'))
        for info in ann['data_list']:
            name = osp.basename(info['img_path'])
            shutil.copy(info['img_path'], osp.join(out, 'imgs', name))
            info['img_path'] = 'imgs/' + name
        with open(osp.join(out, 'textdet_train.json'), 'w', encoding='utf-8') as f:
            json.dump(ann, f)
        os.remove(osp.join(out, 'textdet_val.json'))  # held out: evaluated here, never sent
        os.makedirs(osp.join(kit, 'data'), exist_ok=True)
        with tarfile.open(osp.join(kit, 'data', 'sroie_words.tar.gz'), 'w:gz') as tar:
            tar.add(out, arcname='sroie_words')
    finally:
        shutil.rmtree(tmp)
    return len(ann['data_list'])


def pack_fonts(kit: str, cap_mb: float) -> int:
    """Fonts the generator accepts here, one style per family in turn (smallest first), until
    the cap: variety of families matters more than every style of a few."""
    from clip4str.datasets.synth.charset import DEFAULT_DICT, load_charset
    from clip4str.datasets.synth.fonts import FontBank
    bank = FontBank(charset=load_charset(DEFAULT_DICT))
    by_family = {}
    for f in sorted(bank.fonts, key=lambda f: os.path.getsize(f.path)):
        by_family.setdefault(f.family, []).append(f.path)
    dest = osp.join(kit, 'fonts')
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    total, chosen, round_ = 0, 0, 0
    while any(len(v) > round_ for v in by_family.values()):
        for paths in by_family.values():
            if len(paths) > round_:
                size = os.path.getsize(paths[round_])
                if total + size <= cap_mb * 1e6:
                    shutil.copy(paths[round_], osp.join(dest, osp.basename(paths[round_])))
                    total += size
                    chosen += 1
        round_ += 1
    taken = {osp.basename(p) for p in os.listdir(dest)}
    families = {f.family for f in bank.fonts if osp.basename(f.path) in taken}
    print(f'fonts: {chosen} files, {len(families)} of the {len(by_family)} families installed '
          f'here (the shipped model saw ~75: CLIP4STR_SYNTH_FONTS=1 tools/setup.sh installs them)')
    return chosen


def pack_words(kit: str) -> None:
    from clip4str.datasets.synth.text_sources import LEXICON_PATHS
    lexicon = next((p for p in LEXICON_PATHS if osp.isfile(p)), None)
    if lexicon:
        shutil.copy(lexicon, osp.join(kit, 'words.txt'))
    try:
        import wordfreq
    except ImportError:
        return  # the generator then samples without frequencies, as it does here
    with open(osp.join(kit, 'wordfreq_en.tsv'), 'w', encoding='utf-8') as f:
        for w in wordfreq.top_n_list('en', 60000):
            f.write(f'{w}\t{wordfreq.word_frequency(w, "en"):.6g}\n')


def stage_weights_out(root: str, kit: str) -> None:
    """Take weights/*.pth out of git's index (saved first) and ignore them meanwhile."""
    saved = osp.join(kit, 'index_weights.txt')
    entries = git('ls-files', '-s', '--', 'weights/*.pth', root=root)
    if entries.strip() and not osp.isfile(saved):
        with open(saved, 'w') as f:
            f.write(entries)
    if entries.strip():
        git('rm', '-q', '--cached', '--', 'weights/*.pth', root=root)
    exclude = osp.join(git('rev-parse', '--git-path', 'info/exclude', root=root).strip())
    exclude = exclude if osp.isabs(exclude) else osp.join(root, exclude)
    text = open(exclude).read() if osp.isfile(exclude) else ''
    if EXCLUDE_MARK not in text:
        os.makedirs(osp.dirname(exclude), exist_ok=True)
        with open(exclude, 'a') as f:
            f.write(f'\n{EXCLUDE_MARK}\n/weights/*.pth\n')


def restore_weights(root: str, kit: str) -> bool:
    """Undo stage_weights_out (idempotent). True if anything was restored."""
    restored = False
    saved = osp.join(kit, 'index_weights.txt')
    if osp.isfile(saved):
        subprocess.run(['git', '-C', root, 'update-index', '--index-info'], check=True,
                       input=open(saved).read(), text=True)
        os.remove(saved)
        restored = True
    exclude = git('rev-parse', '--git-path', 'info/exclude', root=root).strip()
    exclude = exclude if osp.isabs(exclude) else osp.join(root, exclude)
    if osp.isfile(exclude):
        lines = open(exclude).read().split('\n')
        if EXCLUDE_MARK in lines:
            i = lines.index(EXCLUDE_MARK)
            del lines[i:i + 2]
            with open(exclude, 'w') as f:
                f.write('\n'.join(lines).rstrip('\n') + '\n')
            restored = True
    return restored


def travelling_bytes(root: str, carry) -> dict:
    """What the tool sends: tracked + untracked-not-ignored files, plus the carried paths."""
    names = git('ls-files', '-z', '--cached', '--others', '--exclude-standard',
                root=root).split('\0')
    tree = sum(osp.getsize(osp.join(root, n)) for n in names
               if n and osp.isfile(osp.join(root, n)) and not osp.islink(osp.join(root, n)))
    carried = {}
    for c in carry:
        total = 0
        for dirpath, _, files in os.walk(osp.join(root, c)):
            total += sum(osp.getsize(osp.join(dirpath, f)) for f in files)
        carried[c] = total
    return dict(tree=tree, carry=carried, total=tree + sum(carried.values()))


def run_call(run: str, kit_rel: str) -> dict:
    budget, timeout = RUNS[run]['budget_s'], RUNS[run]['timeout_s']
    return dict(command=f'bash tools/device/on_device.sh {run} {budget}', carry=[kit_rel],
                timeout_s=timeout)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description='Prepare a lent-GPU training run')
    p.add_argument('run', nargs='?', choices=sorted(RUNS))
    p.add_argument('--restore', action='store_true', help='put weights/ back in the index')
    p.add_argument('--root', default=None, help='the checkout the session calls `run` from '
                   '(default: the one holding this script)')
    p.add_argument('--data-root', default=None, help='default: ../shared/data')
    p.add_argument('--weights', default=None, help='start weights (default: the shipped file; '
                   'a checkpoint an earlier device run returned continues it)')
    p.add_argument('--crop-height', type=int, default=32)
    p.add_argument('--crop-quality', type=int, default=90)
    p.add_argument('--font-mb', type=float, default=None,
                   help='font cap in MB (default 10 for recog, 6 for det: its weights are larger)')
    p.add_argument('--no-stage', action='store_true',
                   help='leave the index alone (a throwaway clone, the rehearsal)')
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    root = osp.abspath(args.root or ROOT)
    kit = osp.join(root, '.device')
    if args.restore:
        print('weights/ restored in the index' if restore_weights(root, kit) else
              'nothing to restore')
        return 0
    if not args.run:
        raise SystemExit('error: name a run (recog, det) or --restore')
    data_root = args.data_root or osp.join(osp.dirname(root), 'shared', 'data')
    os.makedirs(kit, exist_ok=True)
    wheels = fetch_wheels(osp.join(kit, 'wheels'))
    print(f'wheels: {len(os.listdir(wheels))} in {wheels}')
    for stale in ('clip4str_small.pth', 'dbnet_resnet18_synthdoc.pth', 'data'):
        path = osp.join(kit, stale)  # one run's weights and data at a time: 64 MiB
        shutil.rmtree(path) if osp.isdir(path) else os.remove(path) if osp.isfile(path) else None
    weights = RUNS[args.run]['weights']
    src = args.weights or osp.join(root, 'weights', weights)
    if not osp.isfile(src):
        raise SystemExit(f'error: start weights not found: {src}')
    shutil.copy(src, osp.join(kit, weights))  # the name train.py looks for
    if args.run == 'recog':
        n = pack_real_crops(kit, data_root, args.crop_height, args.crop_quality)
        print(f'real crops: {n} (IIIT5K/SVT/IC15 train) in {kit}/data/real_crops.tar.gz')
    else:
        print(f'SROIE: {pack_sroie(kit, data_root)} training receipts in '
              f'{kit}/data/sroie_words.tar.gz')
    pack_fonts(kit, args.font_mb or (10.0 if args.run == 'recog' else 6.0))
    pack_words(kit)
    if not args.no_stage:
        stage_weights_out(root, kit)
    kit_rel = osp.relpath(kit, root)
    sizes = travelling_bytes(root, [kit_rel])
    call = run_call(args.run, kit_rel)
    print(json.dumps(dict(travelling_MiB=round(sizes['total'] / 2**20, 1),
                          tree_MiB=round(sizes['tree'] / 2**20, 1),
                          carry_MiB={k: round(v / 2**20, 1) for k, v in sizes['carry'].items()}),
                     indent=None))
    if sizes['total'] > LIMIT_BYTES:
        raise SystemExit(f'error: {sizes["total"] / 2**20:.1f} MiB would travel, over the '
                         f'tool\'s 64 MiB: lower --font-mb / --crop-height')
    print('run call (device tool):')
    print(json.dumps(call))
    if not args.no_stage:
        print(f'afterwards: python tools/device/collect.py {args.run} <files_at>  (restores weights/ '
              'first; or python tools/device/pack.py --restore)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
