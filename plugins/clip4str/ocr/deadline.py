"""A wall-clock limit for one input: SECONDS for each page it has (``--timeout``).

The limit is enforced two ways: PDF rendering gets the time left as pdf2image's ``timeout``
(which kills pdftoppm), and a SIGALRM a little later interrupts whatever Python code still runs
(decoding, OCR, writing). Signals work only in the main thread; elsewhere only the rendering
limit applies.
"""
import signal
import threading
import time

DEFAULT_TIMEOUT = 300.0  # seconds per page: a large page at 300 dpi OCRed on a slow CPU
RENDER_GRACE = 2.0  # the alarm fires this much after pdftoppm's own timeout, which kills it


class InputTimeout(Exception):
    pass


class Deadline:
    """``with Deadline(per_page) as d``: the input may take ``per_page`` seconds, plus that much
    again for each page it yields (:meth:`add_page`). ``per_page`` <= 0 means no limit."""

    def __init__(self, per_page: float):
        self.per_page = float(per_page or 0)
        self.limit = self.per_page
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
        return max(0.0, self.start + self.limit - time.monotonic())

    def add_page(self) -> None:
        if self.active:
            self.limit += self.per_page
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

    def _arm(self):
        if self._armed:
            signal.setitimer(signal.ITIMER_REAL, self.remaining() + RENDER_GRACE)

    def _expired(self, signum, frame):
        raise InputTimeout(self.message())

    def message(self) -> str:
        return (f'timed out after {time.monotonic() - self.start:.0f} s (--timeout allows '
                f'{self.per_page:g} s per page): an extremely complex or damaged file?')
