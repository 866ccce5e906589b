"""Ingest, without Prefect: find files, read them, extract targets, store them.

``flows/ingest.py`` wraps these functions in tasks; tests and scripts call them
directly. Each document is handled in its own transaction, read, extracted and
stored window by window (so memory does not grow with its size), and every
failure is recorded on the document, so one bad file never stops a run. What to
ingest and how its bytes are had is ``klimamaal.sources``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from db.store import DocumentInfo, find_by_sha, finish_document, start_document, store_failure, store_window
from db.versions import carry_over_decisions, diff_documents, location_for, serve
from extractors.document import PAGE_SEPARATOR, DocumentStream, NoTextError, ReadError
from extractors.document import Page as ReadPage
from extractors.windowed import WindowedExtraction, WindowExtractor, page_windows
from klimamaal.config import max_document_bytes
from klimamaal.fetching import Download
from klimamaal.outcomes import IngestOutcome, RunSummary
from klimamaal.places import ATTEMPTS, checked, contention, failed_at, record_fetch_failure
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
from models import Document, Location, Page

__all__ = [
    "IngestOutcome",
    "ManifestEntry",
    "RunSummary",
    "Source",
    "discover",
    "ingest_source",
    "is_url",
    "read_manifest",
    "record_fetch_failure",
    "seed_municipalities",
]


def ingest_source(
    sessions: sessionmaker[Session],
    source: Source,
    extract: WindowExtractor,
    extractor_version: str,
    download: Download | None = None,
) -> IngestOutcome:
    """Ingest one source; failures are stored (on the document, or on the place), not raised.

    ``download`` is what the crawl fetched for a URL (a 304 included); without
    it a URL is fetched here and a file read from disk. A document the place
    already served, the same bytes from elsewhere, or new bytes whose text is
    the same as a stored document's change nothing but what the place records.
    Another run storing the same document at the same moment is met by the
    database's unique keys: the source is tried again and then finds it stored.
    """
    try:
        for attempt in range(ATTEMPTS):
            try:
                return _ingest_once(sessions, source, extract, extractor_version, download)
            except (IntegrityError, OperationalError) as error:
                if attempt == ATTEMPTS - 1 or not contention(error):
                    raise
                time.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")
    finally:
        if download is not None:
            download.discard()


def _ingest_once(
    sessions: sessionmaker[Session],
    source: Source,
    extract: WindowExtractor,
    extractor_version: str,
    download: Download | None,
) -> IngestOutcome:
    seconds: dict[str, float] = {}
    clock = time.perf_counter()
    limit = max_document_bytes()
    if download is not None and download.not_modified:
        with sessions.begin() as session:
            location = location_for(session, source.key, source.source_id)
            checked(location, download)
            document = session.get(Document, location.document_id) if location.document_id else None
            return IngestOutcome(
                source.location,
                "unchanged",
                location.document_id,
                pages=document.page_count if document else 0,
            )
    try:
        with _bytes(source, download, limit) as fetched:
            seconds["read"] = time.perf_counter() - clock
            with sessions.begin() as session:
                location = location_for(session, source.key, source.source_id)
                existing = find_by_sha(session, fetched.sha256)
                if (
                    existing is not None
                    and existing.status == "extracted"
                    and not _awaits_ocr(session, existing)
                ):
                    return _served_again(session, source, location, existing, fetched, download, seconds)
                previous_id = location.document_id
            info = _document_info(source, fetched.sha256, fetched.size)
            try:
                if fetched.size > limit:
                    raise too_large(source.location, fetched.size, limit)
                return _ingest_stream(
                    sessions,
                    source,
                    fetched,
                    info,
                    extract,
                    extractor_version,
                    seconds,
                    previous_id,
                    download,
                )
            except _SameText as same:
                with sessions.begin() as session:
                    location = location_for(session, source.key, source.source_id)
                    existing = session.get_one(Document, same.document_id)
                    return _served_again(session, source, location, existing, fetched, download, seconds)
            except ReadError as error:
                status = "no_text" if isinstance(error, NoTextError) else "failed"
                with sessions.begin() as session:
                    document = store_failure(session, info, status, str(error))
                    failed_at(location_for(session, source.key, source.source_id), str(error))
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
        record_fetch_failure(sessions, source, str(error))
        return IngestOutcome(source=source.location, status="failed", error=str(error), seconds=seconds)


def _served_again(
    session: Session,
    source: Source,
    location: Location,
    existing: Document,
    fetched: Fetched,
    download: Download | None,
    seconds: dict[str, float],
) -> IngestOutcome:
    """The place serves a document that is stored already (same bytes, or the same text in new bytes)."""
    checked(location, download, fetched.sha256)
    previous_id = serve(session, location, existing)
    detail = None
    if previous_id is not None:
        detail = (
            "serves an earlier version again: " + diff_documents(session, previous_id, existing.id).summary()
        )
    return IngestOutcome(
        source=source.location,
        status="changed" if previous_id is not None else "unchanged",
        document_id=existing.id,
        pages=existing.page_count,
        seconds=seconds,
        previous_id=previous_id,
        detail=detail,
    )


class _SameText(Exception):
    """New bytes whose text is that of a stored document: the transaction that stored them is undone."""

    def __init__(self, document_id: int) -> None:
        super().__init__(document_id)
        self.document_id = document_id


@contextmanager
def _bytes(source: Source, download: Download | None, limit: int) -> Iterator[Fetched]:
    if download is None:
        with fetch(source, limit) as fetched:
            yield fetched
        return
    assert download.path is not None and download.sha256 is not None
    yield Fetched(download.path, download.sha256, download.size)


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
    previous_id: int | None,
    download: Download | None,
) -> IngestOutcome:
    """Read, extract and store the document window by window in one transaction (rolled back on any error).

    The text's fingerprint is taken as the pages go by; when a stored document
    has the same text, the transaction is undone (:class:`_SameText`). A new
    version supersedes what its place served before and takes over the
    decisions on its same targets.
    """
    clock = time.perf_counter()
    stream = _open(fetched.path, source)
    seconds["parse"] = time.perf_counter() - clock
    extraction = WindowedExtraction(extract)
    document_id: int | None = None
    pages = targets = suggestions = 0
    fingerprint = hashlib.sha256()
    with sessions.begin() as session:
        for window in page_windows(_timed(stream.pages, seconds)):
            for page in window:
                fingerprint.update(page.text.encode("utf-8") + PAGE_SEPARATOR.encode("utf-8"))
            clock = time.perf_counter()
            try:
                starts, found = extraction.window(window)
            except Exception as error:  # a rule bug must not stop the run
                raise _ExtractionFailed(error) from error
            seconds["extract"] = seconds.get("extract", 0.0) + time.perf_counter() - clock
            clock = time.perf_counter()
            if document_id is None:
                retry = find_by_sha(session, fetched.sha256)
                if retry is not None and retry.status == "extracted" and not _awaits_ocr(session, retry):
                    raise _SameText(retry.id)  # another run stored it meanwhile
                # an earlier failure of the same bytes (or a reading that awaited OCR) becomes the real
                # thing in start_document: documents are filled in or superseded, never deleted
                info = _with_municipality(info, source, stream.title, window[0].text[:20000])
                document = start_document(
                    session, info, stream.title, stream.media_type, extractor_version, previous_id
                )
                document_id = document.id
            store_window(session, document_id, window, starts, found, extractor_version)
            pages += len(window)
            targets += sum(1 for t in found if t.band == "target")
            suggestions += sum(1 for t in found if t.band != "target")
            seconds["store"] = seconds.get("store", 0.0) + time.perf_counter() - clock
        if document_id is None:
            raise NoTextError(source.location, "holds no pages", hint="check that the file is complete")
        clock = time.perf_counter()
        text_fingerprint = fingerprint.hexdigest()
        same = session.scalar(
            select(Document.id)
            .where(
                Document.text_fingerprint == text_fingerprint,
                Document.status == "extracted",
                Document.id != document_id,
            )
            .order_by((Document.id == previous_id).desc(), Document.id)
            .limit(1)
        )
        if same is not None:
            raise _SameText(same)
        warning = "; ".join(stream.notes) or None
        finish_document(session, document, pages, stream.ocr_pages, warning, text_fingerprint)
        location = location_for(session, source.key, source.source_id)
        checked(location, download, fetched.sha256)
        replaced = serve(session, location, document)
        detail = None
        if replaced is not None:
            carried = carry_over_decisions(session, replaced, document_id)
            detail = f"{diff_documents(session, replaced, document_id).summary()}, {carried} decisions carried over"
        seconds["store"] = seconds.get("store", 0.0) + time.perf_counter() - clock
    return IngestOutcome(
        source=source.location,
        status="changed" if replaced is not None else "new",
        previous_id=replaced,
        detail=detail,
        document_id=document_id,
        pages=pages,
        targets=targets,
        suggestions=suggestions,
        seconds=seconds,
        warning=warning,
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
        kind=(entry.kind if entry else None) or source.kind,
        published_on=entry.published if entry else None,
        media_type={".pdf": "application/pdf", ".html": "text/html", ".htm": "text/html"}.get(suffix),
    )


def _with_municipality(info: DocumentInfo, source: Source, title: str | None, text: str) -> DocumentInfo:
    """``info`` with the municipality from the manifest, title, URL or the start of the text."""
    from dataclasses import replace

    from extractors.municipalities import find_municipality

    entry = source.manifest
    found = find_municipality(
        name=(entry.municipality if entry else None) or source.municipality,
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
