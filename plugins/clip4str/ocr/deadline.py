"""A wall-clock limit for one input: SECONDS for each page it has (``--timeout``).

A SIGALRM interrupts whatever Python code runs over the limit (decoding, OCR, writing). External
programs get the time left as their own timeout (pdf2image kills pdftoppm), with the alarm a
little later as a backstop, so no child process is left running. Signals work only in the main
thread; elsewhere (a Deadline entered in another thread, or the page loader thread of .prefetch)
only the external programs' timeouts apply.
"""
import signal
import threading
import time
from contextlib import contextmanager

DEFAULT_TIMEOUT = 300.0  # seconds per page: a large page at 300 dpi OCRed on a slow CPU
EXTERNAL_GRACE = 2.0     # the alarm waits this long for an external program's own timeout


class InputTimeout(Exception):
    pass


class Deadline:
    """``with Deadline(per_page) as d``: the input may take ``per_page`` seconds, and as much
    again for each page it delivers (:meth:`add_page`): one page's OCR and the next page's
    rendering share ``per_page``. <= 0: no limit."""

    def __init__(self, per_page: float):
        self.per_page = float(per_page or 0)
        self.pages = 0
        self.start = None
        self._old_handler = None
        self._armed = False

    @property
    def active(self) -> bool:
        return self.per_page > 0

    def remaining(self):
        """Seconds left, or None without a limit."""
        if not self.active:
            return None
        limit = self.per_page * (self.pages + 1)
        return max(0.0, self.start + limit - time.monotonic())

    def add_page(self) -> None:
        self.pages += 1
        self._arm()

    @contextmanager
    def external(self):
        """Around an external program run with ``timeout=remaining()``: the alarm waits a little
        longer, so the program's own timeout (which kills it) comes first."""
        self._arm(EXTERNAL_GRACE)
        try:
            yield self.remaining()
        finally:
            self._arm()

    def __enter__(self):
        self.start = time.monotonic()
        if self.active and hasattr(signal, 'setitimer') and \
                threading.current_thread() is threading.main_thread():
            self._old_handler = signal.signal(signal.SIGALRM, self._expired)
            self._armed = True
            self._arm()
        return self

    def __exit__(self, *exc):
        if self._armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._old_handler)
            self._armed = False
        return False

    def _arm(self, extra: float = 0.0):
        if self._armed and threading.current_thread() is threading.main_thread():
            signal.setitimer(signal.ITIMER_REAL, max(1e-3, self.remaining() + extra))

    def _expired(self, signum, frame):
        raise InputTimeout(self.message())

    def message(self) -> str:
        return (f'timed out after {time.monotonic() - self.start:.0f} s, at page '
                f'{self.pages + 1} (--timeout allows {self.per_page:g} s per page): an '
                'extremely complex or damaged file?')
