"""Ingest, without Prefect: find files, read them, extract targets, store them.

``flows/ingest.py`` wraps these functions in tasks; tests and scripts call them
directly. Each document is handled in its own transaction, read, extracted and
stored window by window (so memory does not grow with its size), and every
failure is recorded on the document, so one bad file never stops a run. What to
ingest and how its bytes are had is ``klimamaal.sources``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.engine import refresh_statistics
from db.store import DocumentInfo, find_by_sha, finish_document, start_document, store_failure, store_window
from extractors.document import DocumentStream, NoTextError, ReadError
from extractors.document import Page as ReadPage
from extractors.windowed import WindowedExtraction, WindowExtractor, page_windows
from klimamaal.config import max_document_bytes
from klimamaal.sources import (
    Fetched,
    ManifestEntry,
    Source,
    discover,
    fetch,
    is_url,
    read_manifest,
    too_large,
)
from models import Document, Page

__all__ = [
    "IngestOutcome",
    "ManifestEntry",
    "RunSummary",
    "Source",
    "discover",
    "ingest_source",
    "is_url",
    "read_manifest",
    "record_run",
    "seed_municipalities",
]


@dataclass
class IngestOutcome:
    """What happened to one source; ``status`` is new, unchanged, failed or no_text."""

    source: str
    status: str
    document_id: int | None = None
    pages: int = 0
    targets: int = 0
    #: candidates the scorer was unsure of, stored for the review queue (not counted as targets)
    suggestions: int = 0
    error: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    #: What a user should know about a document that was read all the same (pages that need OCR).
    warning: str | None = None


def ingest_source(
    sessions: sessionmaker[Session],
    source: Source,
    extract: WindowExtractor,
    extractor_version: str,
) -> IngestOutcome:
    """Ingest one source in one transaction; failures are stored on the document, not raised.

    The document is read, extracted and stored window by window
    (``extractors.windowed``), so memory does not grow with its size; ``extract``
    is called as ``extract(window_text, carried_state)``. A file over the
    maximum document size is recorded as failed without being read.
    """
    seconds: dict[str, float] = {}
    clock = time.perf_counter()
    limit = max_document_bytes()
    try:
        with fetch(source, limit) as fetched:
            seconds["read"] = time.perf_counter() - clock
            with sessions.begin() as session:
                existing = find_by_sha(session, fetched.sha256)
                if (
                    existing is not None
                    and existing.status == "extracted"
                    and not _awaits_ocr(session, existing)
                ):
                    return IngestOutcome(
                        source=source.location,
                        status="unchanged",
                        document_id=existing.id,
                        pages=existing.page_count,
                        seconds=seconds,
                    )
            info = _document_info(source, fetched.sha256, fetched.size)
            try:
                if fetched.size > limit:
                    raise too_large(source.location, fetched.size, limit)
                return _ingest_stream(sessions, source, fetched, info, extract, extractor_version, seconds)
            except ReadError as error:
                status = "no_text" if isinstance(error, NoTextError) else "failed"
                with sessions.begin() as session:
                    document = store_failure(session, info, status, str(error))
                    return IngestOutcome(
                        source.location, status, document.id, error=str(error), seconds=seconds
                    )
            except _ExtractionFailed as failure:
                message = f"{source.location}: target extraction failed: {failure.cause}"
                with sessions.begin() as session:
                    document = store_failure(
                        session, info, "failed", message + " (please report this as a bug)"
                    )
                    return IngestOutcome(
                        source.location, "failed", document.id, error=message, seconds=seconds
                    )
    except ReadError as error:
        return IngestOutcome(source=source.location, status="failed", error=str(error), seconds=seconds)


class _ExtractionFailed(Exception):
    """The rules raised on a window: a bug, recorded on the document instead of stopping the run."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(f"{type(cause).__name__}: {cause}")
        self.cause = f"{type(cause).__name__}: {cause}"


def _awaits_ocr(session: Session, document: Document) -> bool:
    """A stored document with pages that needed OCR when no OCR engine was there, and there is one now."""
    if not document.warning:
        return False
    from extractors.readers.pdf_ocr import ocr_available

    pending = session.scalar(
        select(Page.id).where(Page.document_id == document.id, Page.ocr == "needs_ocr").limit(1)
    )
    return pending is not None and ocr_available() is None


def _timed(pages: Iterator[ReadPage], seconds: dict[str, float]) -> Iterator[ReadPage]:
    """The pages, with the time spent reading them added to ``seconds["parse"]``."""
    while True:
        clock = time.perf_counter()
        try:
            page = next(pages)
        except StopIteration:
            seconds["parse"] = seconds.get("parse", 0.0) + time.perf_counter() - clock
            return
        seconds["parse"] = seconds.get("parse", 0.0) + time.perf_counter() - clock
        yield page


def _ingest_stream(
    sessions: sessionmaker[Session],
    source: Source,
    fetched: Fetched,
    info: DocumentInfo,
    extract: WindowExtractor,
    extractor_version: str,
    seconds: dict[str, float],
) -> IngestOutcome:
    """Read, extract and store the document window by window in one transaction (rolled back on any error)."""
    clock = time.perf_counter()
    stream = _open(fetched.path, source)
    seconds["parse"] = time.perf_counter() - clock
    extraction = WindowedExtraction(extract)
    document_id: int | None = None
    pages = targets = suggestions = 0
    with sessions.begin() as session:
        for window in page_windows(_timed(stream.pages, seconds)):
            clock = time.perf_counter()
            try:
                starts, found = extraction.window(window)
            except Exception as error:  # a rule bug must not stop the run
                raise _ExtractionFailed(error) from error
            seconds["extract"] = seconds.get("extract", 0.0) + time.perf_counter() - clock
            clock = time.perf_counter()
            if document_id is None:
                # an earlier failure of the same bytes (or a reading that awaited OCR) becomes the real
                # thing in start_document: documents are filled in or superseded, never deleted
                info = _with_municipality(info, source, stream.title, window[0].text[:20000])
                document = start_document(session, info, stream.title, stream.media_type, extractor_version)
                document_id = document.id
            store_window(session, document_id, window, starts, found, extractor_version)
            pages += len(window)
            targets += sum(1 for t in found if t.band == "target")
            suggestions += sum(1 for t in found if t.band != "target")
            seconds["store"] = seconds.get("store", 0.0) + time.perf_counter() - clock
        if document_id is None:
            raise NoTextError(source.location, "holds no pages", hint="check that the file is complete")
        clock = time.perf_counter()
        finish_document(session, document, pages, stream.ocr_pages, "; ".join(stream.notes) or None)
        seconds["store"] = seconds.get("store", 0.0) + time.perf_counter() - clock
    return IngestOutcome(
        source=source.location,
        status="new",
        document_id=document_id,
        pages=pages,
        targets=targets,
        suggestions=suggestions,
        seconds=seconds,
        warning="; ".join(stream.notes) or None,
    )


def _open(path: Path, source: Source) -> DocumentStream:
    from extractors.readers import open_document

    try:
        return _guarded(open_document(path, source.location if not source.is_url else source.name), source)
    except ReadError:
        raise
    except Exception as error:  # a reader bug on odd input: name the file, keep the run going
        raise _reader_bug(source, error) from error


def _reader_bug(source: Source, error: BaseException) -> ReadError:
    return ReadError(
        source.location, f"could not be parsed: {type(error).__name__}: {error}", hint="report this file"
    )


def _guarded(stream: DocumentStream, source: Source) -> DocumentStream:
    """The stream with a reader bug met while its pages are read turned into a ReadError naming the file."""

    original = stream.pages

    def pages() -> Iterator[ReadPage]:
        try:
            yield from original
        except ReadError:
            raise
        except Exception as error:  # noqa: BLE001
            raise _reader_bug(source, error) from error

    stream.pages = pages()
    return stream


def _document_info(source: Source, sha256: str, size: int) -> DocumentInfo:
    entry = source.manifest
    suffix = Path(source.name).suffix.lower()
    return DocumentInfo(
        source=source.location,
        source_key=source.key,
        sha256=sha256,
        size_bytes=size,
        title=entry.title if entry else None,
        kind=entry.kind if entry else None,
        published_on=entry.published if entry else None,
        media_type={".pdf": "application/pdf", ".html": "text/html", ".htm": "text/html"}.get(suffix),
    )


def _with_municipality(info: DocumentInfo, source: Source, title: str | None, text: str) -> DocumentInfo:
    """``info`` with the municipality from the manifest, title, URL or the start of the text."""
    from dataclasses import replace

    from extractors.municipalities import find_municipality

    entry = source.manifest
    found = find_municipality(
        name=entry.municipality if entry else None,
        title=info.title or title,
        url=(entry.source_url if entry else None) or (source.location if source.is_url else None),
        text=text[:20000],
    )
    return replace(info, municipality_code=found.code if found else None)


def seed_municipalities(sessions: sessionmaker[Session]) -> None:
    """Make sure the 98 municipalities are in the database (documents point at them)."""
    from db.store import ensure_municipalities
    from extractors.municipalities import all_municipalities

    with sessions.begin() as session:
        ensure_municipalities(session, ((m.code, m.name, m.region) for m in all_municipalities()))


@dataclass
class RunSummary:
    """The figures every run ends with (printed by the CLI, published as a Prefect artifact)."""

    new: int = 0
    unchanged: int = 0
    failed: int = 0
    pages: int = 0
    targets: int = 0
    suggestions: int = 0
    outcomes: list[IngestOutcome] = field(default_factory=list)

    def add(self, outcome: IngestOutcome) -> None:
        self.outcomes.append(outcome)
        if outcome.status == "new":
            self.new += 1
            self.pages += outcome.pages
            self.targets += outcome.targets
            self.suggestions += outcome.suggestions
        elif outcome.status == "unchanged":
            self.unchanged += 1
        else:
            self.failed += 1

    def figures(self) -> dict[str, int]:
        return {
            "new": self.new,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "pages": self.pages,
            "targets": self.targets,
            "suggestions": self.suggestions,
        }

    def rows(self) -> list[dict[str, object]]:
        """One row per source, for tables and artifacts."""
        return [
            {
                "source": o.source if is_url(o.source) else Path(o.source).name,
                "status": o.status,
                "pages": o.pages,
                "targets": o.targets,
                "suggestions": o.suggestions,
                "error": o.error or o.warning or "",
            }
            for o in self.outcomes
        ]


def record_run(
    sessions: sessionmaker[Session],
    kind: str,
    sources: list[str],
    summary: RunSummary,
    started_at: dt.datetime,
    extractor_version: str,
) -> int:
    """Store the run and its figures; returns the run id."""
    from models import IngestRun, utcnow

    with sessions.begin() as session:
        run = IngestRun(
            kind=kind,
            started_at=started_at,
            finished_at=utcnow(),
            sources=sources,
            extractor_version=extractor_version,
            # (the run record counts targets; suggestions are in the queue, per document)
            **{k: v for k, v in summary.figures().items() if k != "suggestions"},
        )
        session.add(run)
        session.flush()
        run_id = run.id
    refresh_statistics(sessions.kw["bind"])
    return run_id
