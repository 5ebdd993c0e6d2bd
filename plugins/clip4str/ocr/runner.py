"""Batch runner: OCR many inputs into one output folder, resumably, one bad input never stops it.

For each input a folder ``OUT/<name>/`` holds ``page-0001.json`` ..., ``text.txt``,
``searchable.pdf``, ``vis/page-0001.jpg`` and ``result.json`` (a summary). It is built in a
hidden temporary folder and renamed into place when complete, so a result folder either exists
whole or not at all; a rerun skips inputs whose folder exists (``overwrite`` redoes them) and
removes the temporary folders of killed runs. Each input has a wall-clock limit
(``LoadOptions.timeout`` seconds per page, see .deadline).
"""
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from typing import Callable, List, Optional

from .deadline import DEFAULT_TIMEOUT, Deadline, InputTimeout
from .detect_ahead import InputAhead, first_then_rest, limit_malloc_arenas
from .errors import OCRInputError, error_line, printable
from .inputs import InputItem
from .pages import DEFAULT_MAX_PIXELS, load_pages
from .prefetch import PrefetchedPages
from .writers import (SearchablePdfWriter, partial_dir, publish_dir, publish_mode,
                      remove_stale_partials, write_page_json, write_plain_text, write_text,
                      write_visualisation)
from .writers.plain_text import document_text

RESULT_FILE = 'result.json'


def check_output_dir(out_dir: str) -> None:
    """Make ``out_dir`` and write a probe file in it: before models load, not after."""
    try:
        os.makedirs(out_dir, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix='.probe-', dir=out_dir)
        os.close(fd)
        os.remove(probe)
    except OSError as e:
        raise OSError(f'output folder {out_dir} is not writable: {e.strerror or e}') from None


@dataclass
class LoadOptions:
    dpi: float = 200
    pages: Optional[list] = None          # from pages.parse_page_range
    password: Optional[str] = None
    max_pixels: int = DEFAULT_MAX_PIXELS
    timeout: float = DEFAULT_TIMEOUT      # seconds per page (<= 0: no limit)
    prefetch: int = 1                     # pages loaded ahead in a thread (0: each in turn)


@dataclass
class InputOutcome:
    item: InputItem
    status: str                  # 'ok' | 'failed' | 'skipped'
    pages: int = 0
    words: int = 0
    seconds: float = 0.0
    text: str = ''
    error: str = ''


@dataclass
class Summary:
    outcomes: List[InputOutcome] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status):
        return sum(o.status == status for o in self.outcomes)

    @property
    def pages(self):
        return sum(o.pages for o in self.outcomes if o.status == 'ok')

    @property
    def words(self):
        return sum(o.words for o in self.outcomes if o.status == 'ok')

    @property
    def exit_code(self) -> int:
        return 1 if self.count('failed') else 0

    def line(self) -> str:
        rate = self.pages / self.seconds if self.seconds > 0 else 0.0
        return (f'inputs: {self.count("ok")} ok, {self.count("failed")} failed, '
                f'{self.count("skipped")} skipped | pages: {self.pages} | words: {self.words} | '
                f'time: {self.seconds:.1f} s | {rate:.2f} pages/s')


class BatchRunner:
    def __init__(self, engine, out_dir: str, outputs=('json', 'txt', 'vis', 'pdf'),
                 load: LoadOptions = LoadOptions(), overwrite: bool = False,
                 on_error: Callable[[str], None] = None):
        self.engine = engine
        self.out_dir = out_dir
        self.outputs = set(outputs)
        self.load = load
        self.overwrite = overwrite
        self.on_error = on_error or (lambda msg: print(msg, file=sys.stderr, flush=True))
        self._ahead = None     # .detect_ahead.InputAhead during run() when the engine wants it
        self._upcoming = None  # the input after the one being read

    def result_dir(self, item: InputItem) -> str:
        return os.path.join(self.out_dir, item.name)

    def is_done(self, item: InputItem) -> bool:
        return os.path.isfile(os.path.join(self.result_dir(item), RESULT_FILE))

    def run(self, items: List[InputItem], progress=None) -> Summary:
        """Process ``items``; ``progress`` (e.g. a tqdm) gets ``update(1)`` per input."""
        summary = Summary()
        start = time.time()
        if os.path.isdir(self.out_dir):
            remove_stale_partials(self.out_dir, RESULT_FILE)
        cfg = getattr(self.engine, 'cfg', None)
        if getattr(cfg, 'detect_ahead', False) and hasattr(self.engine, 'detect_pages'):
            limit_malloc_arenas()
            self._ahead = InputAhead(self.engine, self.load)
        try:
            for k, item in enumerate(items):
                if self._skip(item):
                    outcome = InputOutcome(item, 'skipped')
                else:
                    self._upcoming = next((items[j] for j in range(k + 1, len(items))
                                           if not self._skip(items[j])), None)
                    outcome = self.process(item)
                summary.outcomes.append(outcome)
                if progress is not None:
                    progress.update(1)
        finally:
            if self._ahead is not None:
                self._ahead.close()
                self._ahead = None
        summary.seconds = time.time() - start
        return summary

    def _skip(self, item: InputItem) -> bool:
        return self.is_done(item) and not self.overwrite

    def process(self, item: InputItem) -> InputOutcome:
        start = time.time()
        tmp = None
        try:  # everything from here to the published folder: one input's problem, one line
            if item.problem:
                raise OCRInputError(item.path, item.problem)
            final = self.result_dir(item)
            parent = os.path.dirname(os.path.abspath(final))
            os.makedirs(parent, exist_ok=True)
            tmp = partial_dir(parent)
            with Deadline(self.load.timeout) as deadline:
                pages, words, texts = self._ocr_into(item, tmp, deadline)
            summary = dict(source=os.path.abspath(item.path), pages=pages, words=words,
                           seconds=round(time.time() - start, 3), outputs=sorted(self.outputs))
            write_text(os.path.join(tmp, RESULT_FILE), json.dumps(summary, indent=1))
            publish_mode(tmp)
            publish_dir(tmp, final, overwrite=True)
            return InputOutcome(item, 'ok', pages, words, time.time() - start,
                                text=document_text(texts))
        except OCRInputError as e:
            msg = f'error: {e}'
        except InputTimeout as e:
            msg = f'error: {printable(item.path)}: {e}'
        except Exception as e:  # a bug or model failure on one input must not stop the batch
            where = traceback.extract_tb(e.__traceback__)[-1]
            msg = (f'error: {printable(item.path)}: {error_line(e)} '
                   f'(at {os.path.basename(where.filename)}:{where.lineno})')
        finally:
            if tmp and os.path.isdir(tmp):
                shutil.rmtree(tmp, ignore_errors=True)
        msg = ' '.join(msg.split())  # exactly one line
        self.on_error(msg)
        return InputOutcome(item, 'failed', seconds=time.time() - start, error=msg)

    def _ocr_into(self, item: InputItem, folder: str, deadline: Deadline):
        opts = self.load
        ready = None
        if self._ahead is not None:  # this input's first page detected while the last was read
            ready = self._ahead.take(item)
            self._ahead.start(self._upcoming)
        pages_iter = first_then_rest(*ready) if ready else load_pages(
            item.path, opts.pages, opts.dpi, opts.password, opts.max_pixels, deadline)
        pdf = SearchablePdfWriter(os.path.join(folder, 'searchable.pdf')) \
            if 'pdf' in self.outputs else None
        n_pages = n_words = 0
        texts = []
        images = {}
        try:
            # each page handed over adds to the input's time limit (see .prefetch)
            with PrefetchedPages(pages_iter, opts.prefetch, deadline) as pages_in_order:
                for result in self.engine.process(_remember(pages_in_order, images)):
                    image = images.pop(result.page_index)
                    stem = f'page-{result.page_index + 1:04d}'
                    if 'json' in self.outputs:
                        write_page_json(os.path.join(folder, stem + '.json'), result)
                    if 'vis' in self.outputs:
                        write_visualisation(os.path.join(folder, 'vis', stem + '.jpg'), image,
                                            result)
                    if pdf is not None:
                        pdf.add_page(image, result)
                    texts.append(result.text)
                    n_pages += 1
                    n_words += len(result.words)
            if n_pages == 0:
                raise OCRInputError(item.path, 'none of the requested pages exist (--pages)')
            if pdf is not None:
                pdf.close()
                pdf = None
            if 'txt' in self.outputs:
                write_plain_text(os.path.join(folder, 'text.txt'), texts)
        finally:
            if pdf is not None:
                pdf.abort()
        return n_pages, n_words, texts


def _remember(pages, store: dict):
    """Pass pages through, keeping each image until its result is written."""
    for page in pages:
        store[page.index] = page.image
        yield page
