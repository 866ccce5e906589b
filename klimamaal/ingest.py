"""Ingest, without Prefect: find files, read them, extract targets, store them.

``flows/ingest.py`` wraps these functions in tasks; tests and scripts call them
directly. Each document is handled in its own transaction and every failure is
recorded on the document, so one bad file never stops a run.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
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
from models import Document, Page

SUPPORTED_SUFFIXES = (".pdf", ".html", ".htm", ".txt", ".md")
MANIFEST_NAME = "manifest.csv"
URL_TIMEOUT_SECONDS = 60
#: Bytes read at a time when a file is hashed or downloaded.
HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class ManifestEntry:
    """A row of a folder's ``manifest.csv``: what is known about a file beside its bytes."""

    path: str
    municipality: str | None = None
    title: str | None = None
    kind: str | None = None
    source_url: str | None = None
    published: dt.date | None = None


@dataclass(frozen=True)
class Source:
    """Something to ingest: a local file or a URL, with manifest facts when there are any."""

    location: str
    is_url: bool = False
    manifest: ManifestEntry | None = None

    @property
    def name(self) -> str:
        if self.is_url:
            return Path(urllib.parse.urlparse(self.location).path).name or self.location
        return Path(self.location).name

    @property
    def key(self) -> str:
        """Identity of the source across versions: where it was published, else where it was read."""
        if self.manifest is not None and self.manifest.source_url:
            return self.manifest.source_url
        return self.location


@dataclass
class IngestOutcome:
    """What happened to one source; ``status`` is new, unchanged, failed or no_text."""

    source: str
    status: str
    document_id: int | None = None
    pages: int = 0
    targets: int = 0
    error: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    #: What a user should know about a document that was read all the same (pages that need OCR).
    warning: str | None = None


def read_manifest(folder: Path) -> dict[Path, ManifestEntry]:
    """Read ``folder/manifest.csv`` if there is one, keyed by resolved file path."""
    manifest = folder / MANIFEST_NAME
    if not manifest.is_file():
        return {}
    entries: dict[Path, ManifestEntry] = {}
    with manifest.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            path = (row.get("path") or "").strip()
            if not path:
                raise ValueError(f"{manifest}, line {line}: the 'path' column is empty")
            published = (row.get("published") or "").strip()
            try:
                published_on = dt.date.fromisoformat(published) if published else None
            except ValueError as error:
                raise ValueError(
                    f"{manifest}, line {line}: published={published!r} is not a date (use YYYY-MM-DD)"
                ) from error
            entries[(folder / path).resolve()] = ManifestEntry(
                path=path,
                municipality=(row.get("municipality") or "").strip() or None,
                title=(row.get("title") or "").strip() or None,
                kind=(row.get("kind") or "").strip() or None,
                source_url=(row.get("source_url") or "").strip() or None,
                published=published_on,
            )
    return entries


def is_url(location: str) -> bool:
    """Whether a location names a web address rather than a local path."""
    return location.startswith(("http://", "https://"))


def discover(locations: Iterable[str | Path]) -> list[Source]:
    """Expand files, folders (recursively) and URLs into sources, attaching manifest rows.

    Files of unsupported types given explicitly are kept (they fail with a
    clear message); inside folders only supported types are picked up.
    """
    sources: list[Source] = []
    seen: set[str] = set()
    for location in locations:
        text = str(location)
        if is_url(text):
            candidates: Iterator[Source] = iter([Source(location=text, is_url=True)])
        else:
            candidates = _discover_path(Path(text))
        for source in candidates:
            if source.location not in seen:
                seen.add(source.location)
                sources.append(source)
    return sources


def _discover_path(path: Path) -> Iterator[Source]:
    if path.is_dir():
        manifests: dict[Path, dict[Path, ManifestEntry]] = {}
        for file in sorted(p for p in path.rglob("*") if p.is_file()):
            if file.suffix.lower() not in SUPPORTED_SUFFIXES or any(
                part.startswith(".") for part in file.relative_to(path).parts
            ):
                continue
            folder = file.parent
            if folder not in manifests:
                manifests[folder] = read_manifest(folder)
            yield Source(location=str(file.resolve()), manifest=manifests[folder].get(file.resolve()))
    else:
        resolved = path.resolve()
        yield Source(location=str(resolved), manifest=read_manifest(resolved.parent).get(resolved))


@dataclass(frozen=True)
class Fetched:
    """A source's bytes on disk (a downloaded URL in a temporary file), their sha256 and size."""

    path: Path
    sha256: str
    size: int


def _too_large(location: str, size: int, limit: int) -> ReadError:
    return ReadError(
        location,
        f"is {size / 1048576:.1f} MB, more than the maximum document size of {limit / 1048576:.0f} MB",
        hint="raise KLIMAMAAL_MAX_DOCUMENT_MB to read it, or split the file",
    )


@contextmanager
def fetch(source: Source, limit: int | None = None) -> Iterator[Fetched]:
    """The source as a file, hashed in chunks (never held whole); raises ReadError naming it when it cannot be had.

    A local file larger than ``limit`` bytes is hashed but not read: ingest
    records the ``ReadError`` on its document. A download stops at the limit.
    """
    limit = max_document_bytes() if limit is None else limit
    digest = hashlib.sha256()
    try:
        if not source.is_url:
            path = Path(source.location)
            with path.open("rb") as handle:
                while chunk := handle.read(HASH_CHUNK):
                    digest.update(chunk)
            yield Fetched(path, digest.hexdigest(), path.stat().st_size)
            return
        request = urllib.request.Request(source.location, headers={"User-Agent": "klimamaal/0.1"})
        with (
            tempfile.TemporaryDirectory(prefix="klimamaal-") as folder,
            urllib.request.urlopen(request, timeout=URL_TIMEOUT_SECONDS) as response,
        ):
            declared = int(response.headers.get("Content-Length") or 0)
            if declared > limit:
                raise _too_large(source.location, declared, limit)
            path = Path(folder) / (Path(urllib.parse.urlparse(source.location).path).name or "download")
            size = 0
            with path.open("wb") as out:
                while chunk := response.read(HASH_CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise _too_large(source.location, size, limit)
                    digest.update(chunk)
                    out.write(chunk)
            yield Fetched(path, digest.hexdigest(), size)
    except FileNotFoundError as error:
        raise ReadError(source.location, "file not found", hint="check the path") from error
    except OSError as error:
        raise ReadError(source.location, f"cannot be read: {error}", hint="check access and retry") from error


def fetch_bytes(source: Source) -> bytes:
    """The bytes of a source (for callers that want them whole); raises ReadError naming it."""
    with fetch(source) as fetched:
        return fetched.path.read_bytes()


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
                    raise _too_large(source.location, fetched.size, limit)
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
    pages = targets = 0
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
                retry = find_by_sha(session, fetched.sha256)
                if retry is not None:  # an earlier failure of the same bytes: replace it with the real thing
                    session.delete(retry)
                    session.flush()
                info = _with_municipality(info, source, stream.title, window[0].text[:20000])
                document = start_document(session, info, stream.title, stream.media_type, extractor_version)
                document_id = document.id
            store_window(session, document_id, window, starts, found, extractor_version)
            pages += len(window)
            targets += len(found)
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
    outcomes: list[IngestOutcome] = field(default_factory=list)

    def add(self, outcome: IngestOutcome) -> None:
        self.outcomes.append(outcome)
        if outcome.status == "new":
            self.new += 1
            self.pages += outcome.pages
            self.targets += outcome.targets
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
        }

    def rows(self) -> list[dict[str, object]]:
        """One row per source, for tables and artifacts."""
        return [
            {
                "source": o.source if is_url(o.source) else Path(o.source).name,
                "status": o.status,
                "pages": o.pages,
                "targets": o.targets,
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
            **summary.figures(),
        )
        session.add(run)
        session.flush()
        run_id = run.id
    refresh_statistics(sessions.kw["bind"])
    return run_id
