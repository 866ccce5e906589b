"""The first pass over a long PDF on both cores: this process and one worker read pages in chunks.

Reading a page's geometry (pdfium's text, pdfplumber's tables, OCR) is
independent of every other page, so a long file is cut into chunks of pages:
this process reads chunks from the front while one worker process reads
chunks from the back, until they meet; the layouts come back in page order.
The worker is started once (``spawn``: a fresh interpreter that imports only
the readers, so it holds tens of megabytes, not the extractor's) and reused
for later files; it opens the file by its path, so bytes are never copied
between processes. A worker that dies (a crash inside pdfium on a broken
file) fails that file with a ``WorkerCrash`` and is replaced for the next.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from extractors.readers.pdf_layout import PageLayout
from extractors.readers.pdf_pdfium import PdfSource, iter_layouts, read_layouts

#: From this many pages a second process pays for its start (about 0.15 s, once per run).
PARALLEL_PAGES = 40
#: Pages per unit of work: small enough to balance OCR'd and text pages, large enough to open the file rarely.
CHUNK_PAGES = 16
#: The worker is replaced after this many chunks, so that whatever pdfium keeps does not pile up.
TASKS_PER_WORKER = 200

_lock = threading.Lock()
_executor: ProcessPoolExecutor | None = None


class WorkerCrash(Exception):
    """The worker process died while reading pages of a file."""


def parallel_enabled() -> bool:
    """Two cores, a run allowed more than one thing at a time (``KLIMAMAAL_WORKERS``, the one setting that
    sizes the task runner too), and not switched off (``KLIMAMAAL_PDF_WORKERS=0``, as in Dask workers)."""
    cores = os.cpu_count() or 1
    try:
        allowed = int(float(os.environ.get("KLIMAMAAL_WORKERS") or cores))
    except ValueError:
        allowed = cores
    return cores >= 2 and allowed >= 2 and os.environ.get("KLIMAMAAL_PDF_WORKERS", "1") != "0"


def _worker() -> ProcessPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            _executor = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                max_tasks_per_child=TASKS_PER_WORKER,
            )
        return _executor


def _discard_worker() -> None:
    global _executor
    with _lock:
        if _executor is not None:
            _executor.shutdown(wait=False, cancel_futures=True)
            _executor = None


def layouts(document, source: PdfSource, count: int, ocr: bool = True) -> list[PageLayout]:  # type: ignore[no-untyped-def]
    """The layouts of all ``count`` pages of the open pdfium ``document`` (whose file is ``source``), in order.

    Raises ``PageFailure`` for a page that cannot be read, ``WorkerCrash`` when the worker died.
    """
    if count < PARALLEL_PAGES or isinstance(source, bytes) or not parallel_enabled():
        return list(iter_layouts(document, source, range(count), ocr=ocr))
    chunks = deque(range(start, min(start + CHUNK_PAGES, count)) for start in range(0, count, CHUNK_PAGES))
    done: dict[int, list[PageLayout]] = {}
    pending: tuple[int, Future] | None = None
    path = str(Path(source))
    try:
        while chunks or pending is not None:
            if pending is None and chunks:
                back = chunks.pop()
                pending = (back.start, _worker().submit(read_layouts, path, back.start, back.stop, ocr))
            if chunks:
                front = chunks.popleft()
                done[front.start] = list(iter_layouts(document, source, front, ocr=ocr))
            if pending is not None and (pending[1].done() or not chunks):
                done[pending[0]] = pending[1].result()
                pending = None
    except BrokenProcessPool as error:
        _discard_worker()
        raise WorkerCrash(f"the PDF reader's worker process died reading pages of it ({error})") from error
    finally:
        if pending is not None:
            pending[1].cancel()
    return [layout for start in sorted(done) for layout in done[start]]
