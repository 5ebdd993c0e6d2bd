"""Write synthetic pages as an MMOCR 1.x TextDetDataset, several worker processes at a time.

Layout of ``out_dir``::

    imgs/000123.jpg        page images
    labels/000123.json     that page's instances (written last, atomically: marks the page done)
    textdet_train.json     all pages, MMOCR format (``--split`` names it)
    meta.json              how the set was made (seed, count, fonts, mix)

A rerun skips pages whose label file exists, so an interrupted run resumes where it stopped.
"""
import json
import multiprocessing as mp
import os
import os.path as osp
import time
from typing import Dict, Iterable, List, Optional

import cv2

METAINFO = {'dataset_type': 'TextDetDataset', 'task_name': 'textdet',
            'category': [{'id': 0, 'name': 'text'}]}

_worker = {}


def _init_worker(mix, word_crops=None):
    from .fonts import FontLibrary
    from .word_crops import WordCrops
    cv2.setNumThreads(1)
    _worker['fonts'] = FontLibrary()
    _worker['mix'] = mix
    _worker['crops'] = WordCrops(word_crops) if word_crops else None


def _atomic_write(path: str, data: bytes) -> None:
    tmp = f'{path}.tmp{os.getpid()}'
    with open(tmp, 'wb') as f:
        f.write(data)
    os.replace(tmp, path)


def _make_one(job):
    from .page import render_page
    out_dir, seed, index = job
    name = f'{index:06d}'
    label_path = osp.join(out_dir, 'labels', name + '.json')
    if osp.isfile(label_path):
        return index, 0, True
    try:
        sample = render_page(seed, index, _worker['fonts'], _worker['mix'],
                             crops=_worker['crops'])
    except Exception as e:  # one bad page never stops the run; it is reported and left out
        return index, f'{type(e).__name__}: {e}', False
    bgr = cv2.cvtColor(sample.image, cv2.COLOR_RGB2BGR)
    ok, buf = cv2.imencode('.jpg', bgr, [cv2.IMWRITE_JPEG_QUALITY, sample.jpeg_quality])
    if not ok:
        raise RuntimeError(f'JPEG encoding failed for page {index}')
    _atomic_write(osp.join(out_dir, 'imgs', name + '.jpg'), buf.tobytes())
    h, w = sample.image.shape[:2]
    entry = dict(img_path=f'imgs/{name}.jpg', height=h, width=w, kind=sample.kind,
                 capture=sample.capture, instances=sample.instances)
    _atomic_write(label_path, json.dumps(entry).encode('utf-8'))
    return index, len(sample.instances), False


def generate(out_dir: str, num_pages: int, seed: int = 0, workers: int = 1, start: int = 0,
             mix: Optional[Dict[str, float]] = None, split: str = 'train',
             log_every: int = 50, word_crops: Optional[List[str]] = None) -> Dict:
    """Render pages ``start .. start+num_pages-1`` of ``seed`` into ``out_dir``; return stats.

    ``word_crops``: label files of real word crops for scenes (see :class:`WordCrops`)."""
    os.makedirs(osp.join(out_dir, 'imgs'), exist_ok=True)
    os.makedirs(osp.join(out_dir, 'labels'), exist_ok=True)
    jobs = [(out_dir, seed, i) for i in range(start, start + num_pages)]
    t0, done, made, words, failed = time.time(), 0, 0, 0, []
    if workers > 1:
        pool = mp.get_context('fork').Pool(workers, _init_worker, (mix, word_crops))
        results: Iterable = pool.imap_unordered(_make_one, jobs, chunksize=4)
    else:
        pool = None
        _init_worker(mix, word_crops)
        results = map(_make_one, jobs)
    try:
        for index, n_words, skipped in results:
            done += 1
            if isinstance(n_words, str):
                failed.append(index)
                print(f'[synth_pages] warning: page {index} of seed {seed} failed and is left '
                      f'out: {n_words}', flush=True)
            elif not skipped:
                made += 1
                words += n_words
            if log_every and done % log_every == 0:
                rate = made / max(time.time() - t0, 1e-6)
                print(f'[synth_pages] {done}/{num_pages} pages ({made} new, {rate:.2f} pages/s, '
                      f'{words / max(made, 1):.0f} words/page)', flush=True)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    elapsed = time.time() - t0
    data_list = collect(out_dir, range(start, start + num_pages), missing_ok=True)
    ann_file = osp.join(out_dir, f'textdet_{split}.json')
    _atomic_write(ann_file, json.dumps(dict(metainfo=METAINFO, data_list=data_list)).encode())
    from .fonts import find_fonts
    stats = dict(seed=seed, start=start, num_pages=num_pages, new_pages=made,
                 seconds=round(elapsed, 1), pages_per_s=round(made / max(elapsed, 1e-6), 3),
                 workers=workers, fonts=len(find_fonts()), mix=mix, ann_file=ann_file,
                 word_crops=word_crops, failed_pages=failed,
                 instances=sum(len(d['instances']) for d in data_list))
    _atomic_write(osp.join(out_dir, f'meta_{split}.json'), json.dumps(stats, indent=1).encode())
    return stats


def collect(out_dir: str, indices: Iterable[int], missing_ok: bool = False) -> List[Dict]:
    """Per-page label files -> MMOCR data_list (in index order)."""
    data_list = []
    for i in indices:
        path = osp.join(out_dir, 'labels', f'{i:06d}.json')
        if missing_ok and not osp.isfile(path):
            continue
        with open(path, encoding='utf-8') as f:
            data_list.append(json.load(f))
    return data_list


def write_annotations(out_dir: str, indices: Iterable[int], split: str = 'train') -> int:
    """Write textdet_<split>.json from the pages finished so far (e.g. to start training while
    a long generation run goes on); returns the number of pages in it."""
    data_list = collect(out_dir, indices, missing_ok=True)
    _atomic_write(osp.join(out_dir, f'textdet_{split}.json'),
                  json.dumps(dict(metainfo=METAINFO, data_list=data_list)).encode())
    return len(data_list)
