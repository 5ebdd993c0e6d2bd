"""Detection one step ahead of recognition, in a background thread.

On a CPU with two cores the detector and the recognizer each use a second core poorly (the
recognizer's decoding loop runs small graphs; DBNet gains ~1.3x), so a stream of pages runs
faster when the next page is detected while this one is read. onnxruntime and PyTorch release
the GIL while they compute, so one Python thread each is enough.

* :class:`DetectAhead`: within one input (the pages of a PDF), the next batch of pages.
* :class:`InputAhead`: across inputs (a folder of photos or scans, one page each), the first
  page of the next input, loaded and detected while this input is read.

Results are the same as in turn: the detector sees the same images, and every later step runs
in the calling thread as before. Errors surface where they would in turn: a detection error
when its pages' turn comes; a next input that fails to load or detect in the background is
simply done again in turn, under its own time limit, which then reports the problem.
"""
import ctypes
import ctypes.util
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterator, List, Optional, Sequence, Tuple

from .pages import Page, load_pages, sniff_kind


class DetectAhead:
    """``with DetectAhead(detect) as ahead: for batch, dets in ahead.stream(batches)``: each
    batch with ``detect(batch)``, the next batch's detection running while the caller works
    on this one. Leaving the block early (an error, a closed generator) does not wait for a
    detection nobody needs."""

    def __init__(self, detect: Callable[[Sequence[Page]], list]):
        self.detect = detect
        self.pool = None

    def __enter__(self):
        self.pool = ThreadPoolExecutor(1, thread_name_prefix='detect-ahead')
        return self

    def __exit__(self, exc_type, *exc):
        self.pool.shutdown(wait=exc_type is None, cancel_futures=True)
        return False

    def stream(self, batches: Iterator[List[Page]]):
        batch = next(batches, None)
        pending = self.pool.submit(self.detect, batch) if batch is not None else None
        while batch is not None:
            dets = pending.result()
            upcoming = next(batches, None)  # loaded (or prefetched) before this batch is read
            pending = self.pool.submit(self.detect, upcoming) if upcoming is not None else None
            yield batch, dets
            batch = upcoming


class InputAhead:
    """The first page of the next input, loaded and detected in the background.

    ``start(item)`` begins with an image input (PDFs render under their own time limit, in
    turn); ``take(item)`` gives ``(first page, its other pages)`` for that item, waiting for the
    background work if needed, or None: not started, or it failed (then the caller loads the
    input in turn and reports the problem)."""

    def __init__(self, engine, load_options):
        self.engine = engine
        self.load = load_options
        self.pool = ThreadPoolExecutor(1, thread_name_prefix='input-ahead')
        self.item = None
        self.pending = None

    def start(self, item) -> None:
        self.discard()
        if item is None or item.problem or _is_pdf(item.path):
            return
        self.item, self.pending = item, self.pool.submit(self._prepare, item)

    def take(self, item) -> Optional[Tuple[Page, Iterator[Page]]]:
        if self.pending is None or self.item is not item:
            self.discard()
            return None
        pending, self.item, self.pending = self.pending, None, None
        try:
            return pending.result()
        except Exception:  # done again in turn, which reports it
            return None

    def discard(self) -> None:
        if self.pending is not None:
            self.pending.add_done_callback(_close_unused)
        self.item = self.pending = None

    def close(self) -> None:
        self.discard()
        self.pool.shutdown(wait=False, cancel_futures=True)

    def _prepare(self, item):
        opts = self.load
        pages = load_pages(item.path, opts.pages, opts.dpi, opts.password, opts.max_pixels)
        try:
            first = next(pages, None)
            if first is None:
                pages.close()
                return None
            first.detection, = self.engine.detect_pages([first])
        except BaseException:
            pages.close()
            raise
        return first, pages


M_ARENA_MAX = -8  # glibc's mallopt parameter


def limit_malloc_arenas(arenas: int = 2) -> bool:
    """At most ``arenas`` glibc malloc arenas in this process (Linux; elsewhere nothing).

    Each thread that allocates while another does gets an arena of its own, and memory freed
    there is kept for that arena: with detection ahead, the detector's feature maps and the
    recognizer's batches, allocated in two threads, raised the batch tool's peak RSS from 1.47
    to 1.92 GB (10 benchmark pages, 2 threads); with 2 arenas 1.64-1.71 GB, at the same
    speed. Returns whether the limit was set."""
    if not sys.platform.startswith('linux'):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library('c') or 'libc.so.6')
        return bool(libc.mallopt(M_ARENA_MAX, int(arenas)))
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False


def first_then_rest(first: Page, rest: Iterator[Page]) -> Iterator[Page]:
    """A page generator that starts with a page loaded ahead; closing it closes ``rest``."""
    try:
        yield first
        yield from rest
    finally:
        rest.close()


def _is_pdf(path: str) -> bool:
    try:
        return sniff_kind(path) == 'pdf'
    except Exception:  # unreadable: loaded in turn, which reports it
        return True


def _close_unused(future) -> None:
    if not future.cancelled() and future.exception() is None and future.result():
        future.result()[1].close()
