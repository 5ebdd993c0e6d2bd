"""Generate many samples into an LMDB (optionally in worker processes) and preview sheets.

Samples are rendered in index order by a process pool (`imap` keeps the order), so the LMDB is
byte-identical whatever the worker count. Chunks are committed as they arrive; a rerun with the
same settings continues after the last committed sample.
"""
import multiprocessing as mp
import time
from typing import Callable, List, Optional, Tuple

from .generator import SynthGenerator
from .lmdb_writer import RecogLMDBWriter
from .preview import contact_sheet

_worker_kwargs: Optional[dict] = None
_worker_gen: Optional[SynthGenerator] = None


def _init_worker(gen_kwargs: dict):
    # only store the settings: an initializer that raises makes Pool respawn workers forever
    global _worker_kwargs
    _worker_kwargs = gen_kwargs


def _encode_range(bounds: Tuple[int, int]) -> List[Tuple[bytes, str]]:
    global _worker_gen
    if _worker_gen is None:  # errors here reach the parent through imap
        import cv2
        cv2.setNumThreads(1)  # parallelism comes from the processes
        _worker_gen = SynthGenerator(**_worker_kwargs)
    return [_worker_gen.encode(i) for i in range(*bounds)]


def _tasks(start: int, stop: int, size: int):
    for a in range(start, stop, size):
        yield a, min(a + size, stop)


# Training words want the ~125 families of CLIP4STR_SYNTH_FONTS=1 tools/setup.sh. Two fine-tune
# stages once ran on words from a machine with the core fonts only (7 families) and nobody
# noticed: their synthetic half taught no new letter shapes.
FEW_FAMILIES = 20


def few_families_warning(families: int) -> str:
    return (f'warning: only {families} font families found; CLIP4STR_SYNTH_FONTS=1 '
            f'tools/setup.sh installs ~125 (docs/synthetic_data.md). Words from so few fonts '
            f'teach a recognizer few letter shapes: fine for tests and previews, weak for '
            f'training data')


def generate_lmdb(out: str, num: int, seed: int = 0, workers: int = 1,
                  gen_kwargs: Optional[dict] = None, commit_every: int = 1000,
                  overwrite: bool = False, log: Callable[[str], None] = print,
                  log_every: float = 30.0) -> dict:
    """Make sure `out` holds samples 0..num-1 of `seed`; returns counts and throughput."""
    gen_kwargs = dict(gen_kwargs or {}, seed=seed)
    gen = SynthGenerator(**gen_kwargs)
    # workers get the resolved font list, so every process samples from exactly the same fonts
    worker_kwargs = dict(gen_kwargs, fonts=dict(gen_kwargs.get('fonts') or {},
                                                fonts=[f.path for f in gen.fonts.fonts],
                                                exclude=None))
    meta = dict(tool='clip4str.datasets.synth', seed=seed, digest=gen.digest,
                image_format=gen.image_format)
    writer = RecogLMDBWriter(out, meta, overwrite=overwrite)
    start = writer.count
    if start >= num:
        log(f'{out}: already holds {start} samples (asked for {num}); nothing to do')
        writer.close()
        return dict(written=0, total=start, seconds=0.0, images_per_s=0.0)
    if start:
        log(f'{out}: resuming after {start} committed samples')
    log(f'generating samples {start}..{num - 1} (seed {seed}) with {len(gen.fonts)} fonts '
        f'in {len(gen.fonts.families)} families, {max(workers, 1)} worker(s)')
    if len(gen.fonts.families) < FEW_FAMILIES:
        log(few_families_warning(len(gen.fonts.families)))

    t0 = last_log = time.time()
    task_size = max(1, min(64, commit_every))
    pending: List[Tuple[bytes, str]] = []
    done = start
    pool = None
    try:
        if workers > 1:
            # spawn, not fork: a forked child inherits OpenCV's / torch's thread pools in
            # whatever locked state they were in and can hang forever
            pool = mp.get_context('spawn').Pool(workers, initializer=_init_worker,
                                                initargs=(worker_kwargs,))
            results = pool.imap(_encode_range, _tasks(start, num, task_size), chunksize=1)
        else:
            import cv2
            cv2.setNumThreads(1)  # images are tiny: threads cost more than they give
            results = ([gen.encode(i) for i in range(a, b)] for a, b in
                       _tasks(start, num, task_size))
        for chunk in results:
            pending.extend(chunk)
            if len(pending) >= commit_every:
                done = writer.append(pending)
                pending = []
            now = time.time()
            if now - last_log >= log_every:
                n = done + len(pending) - start
                rate = n / (now - t0)
                log(f'{done + len(pending)}/{num} samples, {rate:.1f} images/s, '
                    f'eta {(num - start - n) / max(rate, 1e-9) / 60:.1f} min')
                last_log = now
    finally:
        if pool is not None:
            pool.terminate()
        if pending:  # finished samples are consecutive: keep them even when interrupted
            done = writer.append(pending)
        writer.close()
    secs = time.time() - t0
    written = done - start
    stats = dict(written=written, total=done, seconds=secs,
                 images_per_s=written / secs if secs > 0 else 0.0)
    log(f'wrote {written} samples to {out} (total {done}) in {secs:.1f} s: '
        f'{stats["images_per_s"]:.1f} images/s')
    return stats


def render_preview(path: str, n: int, seed: int = 0, gen_kwargs: Optional[dict] = None,
                   cols: int = 4, start: int = 0) -> str:
    """Contact sheet of samples start..start+n-1 written to `path` (PNG)."""
    gen = SynthGenerator(**dict(gen_kwargs or {}, seed=seed))
    sheet = contact_sheet((gen.render(i) for i in range(start, start + n)), cols=cols)
    sheet.save(path)
    return path

