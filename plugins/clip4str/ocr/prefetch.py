"""Pages of one input loaded ahead in a background thread (``load.prefetch``), so rendering the
next PDF page (pdftoppm) or decoding the next frame overlaps with the engine's work on this one.

The time limit (.deadline) stays as it is without prefetching:

* The first page is loaded in the calling thread: opening a file (pypdf parsing, image headers)
  is Python code that only the main thread's alarm can cut short.
* Each page handed over adds to the input's limit (``deadline.add_page``) before the loader may
  start the next one, so with ``ahead=1`` a page renders under the same limit as it would in
  turn, only earlier. pdftoppm gets the time left as its own timeout (the loader never touches
  the alarm), so a page still rendering when the input runs out of time is killed with it.
* Waiting for the loader counts as waiting for an external program: the alarm waits a little
  longer, so pdftoppm's own timeout (and its message) comes first, as it does in turn.

Errors raised while loading (a corrupt page, a timeout) are raised again in the consumer when it
reaches that page, so every page before it is processed first, as without prefetching.
"""
import queue
import threading
from contextlib import nullcontext
from typing import Iterator

from .deadline import EXTERNAL_GRACE

_END = object()


class _Failed:
    def __init__(self, error: BaseException):
        self.error = error


class PrefetchedPages:
    """``with PrefetchedPages(pages, ahead, deadline) as it: for page in it: ...``: the pages
    of ``pages`` (a generator), in order, at most ``ahead`` loaded ahead of the one handed over
    last; ``ahead=0`` loads each in turn in the calling thread. Leaving the block stops and
    joins the loader thread and closes ``pages``."""

    def __init__(self, pages: Iterator, ahead: int = 1, deadline=None):
        self.pages = pages
        self.ahead = max(0, int(ahead))
        self.deadline = deadline
        self.thread = None
        self._queue = queue.Queue()  # bounded by _slots: at most ``ahead`` pages in it
        self._slots = threading.Semaphore(self.ahead)
        self._stop = threading.Event()

    def __enter__(self):
        return self._iterate()

    def __exit__(self, *exc):
        self.close()
        return False

    def _iterate(self):
        page = next(self.pages, _END)
        if page is _END:
            return
        self._taken()
        if self.ahead:
            self.thread = threading.Thread(target=self._load, name='page-prefetch', daemon=True)
            self.thread.start()
        while True:
            yield page
            page = self._next()
            if page is _END:
                return
            self._taken()
            if self.ahead:
                self._slots.release()  # after add_page: the next page gets this one's time too

    def _next(self):
        if not self.ahead:
            return next(self.pages, _END)
        with self.deadline.external() if self.deadline else nullcontext():
            item = self._queue.get()
        if isinstance(item, _Failed):
            raise item.error
        return item

    def _taken(self):
        if self.deadline:
            self.deadline.add_page()

    def _load(self):
        try:
            while True:
                self._slots.acquire()
                if self._stop.is_set():
                    return
                page = next(self.pages, _END)
                self._queue.put(page)
                if page is _END:
                    return
        except BaseException as e:  # handed to the consumer, raised there at this page
            self._queue.put(_Failed(e))
        finally:
            self.pages.close()  # the file is closed by the thread that reads it

    def close(self):
        """Stop the loader after the page it is loading and wait for it: pdftoppm's timeout
        bounds that; a page decoded in Python (the alarm cannot reach it in the thread) is waited
        for at most EXTERNAL_GRACE past the limit, then left to end alone. Without a thread,
        close ``pages`` here."""
        self._stop.set()
        if self.thread is None:
            self.pages.close()
            return
        self._slots.release()  # wakes a loader waiting for a slot: it sees the stop
        left = self.deadline.remaining() if self.deadline else None
        self.thread.join(None if left is None else left + EXTERNAL_GRACE)
