"""Ingest, without Prefect: find files, read them, extract targets, store them.

``flows/ingest.py`` wraps these functions in tasks; tests and scripts call them
directly. Each document is handled in its own transaction and every failure is
recorded on the document, so one bad file never stops a run.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import time
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from db.engine import refresh_statistics
from db.store import DocumentInfo, Extractor, find_by_sha, store_failure, store_parsed
from extractors.document import NoTextError, ParsedDocument, ReadError

SUPPORTED_SUFFIXES = (".pdf", ".html", ".htm", ".txt", ".md")
MANIFEST_NAME = "manifest.csv"
URL_TIMEOUT_SECONDS = 60


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


def fetch_bytes(source: Source) -> bytes:
    """The bytes of a source; raises ReadError naming it when it cannot be had."""
    try:
        if source.is_url:
            request = urllib.request.Request(source.location, headers={"User-Agent": "klimamaal/0.1"})
            with urllib.request.urlopen(request, timeout=URL_TIMEOUT_SECONDS) as response:
                return response.read()
        return Path(source.location).read_bytes()
    except FileNotFoundError as error:
        raise ReadError(source.location, "file not found", hint="check the path") from error
    except OSError as error:
        raise ReadError(source.location, f"cannot be read: {error}", hint="check access and retry") from error


def ingest_source(
    sessions: sessionmaker[Session],
    source: Source,
    extract: Extractor,
    extractor_version: str,
) -> IngestOutcome:
    """Ingest one source in one transaction; failures are stored on the document, not raised."""
    seconds: dict[str, float] = {}
    clock = time.perf_counter()
    try:
        data = fetch_bytes(source)
    except ReadError as error:
        return IngestOutcome(source=source.location, status="failed", error=str(error))
    sha256 = hashlib.sha256(data).hexdigest()
    seconds["read"] = time.perf_counter() - clock
    with sessions.begin() as session:
        existing = find_by_sha(session, sha256)
        if existing is not None and existing.status == "extracted":
            return IngestOutcome(
                source=source.location,
                status="unchanged",
                document_id=existing.id,
                pages=existing.page_count,
                seconds=seconds,
            )
    info = _document_info(source, sha256, len(data))
    clock = time.perf_counter()
    try:
        parsed = _parse(data, source)
    except ReadError as error:
        status = "no_text" if isinstance(error, NoTextError) else "failed"
        with sessions.begin() as session:
            document = store_failure(session, info, status, str(error))
            return IngestOutcome(source.location, status, document.id, error=str(error), seconds=seconds)
    seconds["parse"] = time.perf_counter() - clock
    text = parsed.text  # joined from the pages on every access: join once, for the rules and the municipality
    clock = time.perf_counter()
    try:
        found = extract(text)
    except Exception as error:  # a rule bug must not stop the run; record it on the document
        message = f"{source.location}: target extraction failed: {type(error).__name__}: {error}"
        with sessions.begin() as session:
            document = store_failure(session, info, "failed", message + " (please report this as a bug)")
            return IngestOutcome(source.location, "failed", document.id, error=message, seconds=seconds)
    seconds["extract"] = time.perf_counter() - clock
    clock = time.perf_counter()
    with sessions.begin() as session:
        # an earlier failure of the same bytes becomes the real thing in store_parsed
        info = _with_municipality(info, source, parsed.title, text)
        document = store_parsed(session, info, parsed, found, extractor_version)
        outcome = IngestOutcome(
            source=source.location,
            status="new",
            document_id=document.id,
            pages=document.page_count,
            targets=len(found),
            seconds=seconds,
        )
    seconds["store"] = time.perf_counter() - clock
    return outcome


def _parse(data: bytes, source: Source) -> ParsedDocument:
    from extractors.readers import read_document

    try:
        return read_document(data, source.location if not source.is_url else source.name)
    except ReadError:
        raise
    except Exception as error:  # a reader bug on odd input: name the file, keep the run going
        raise ReadError(
            source.location, f"could not be parsed: {type(error).__name__}: {error}", hint="report this file"
        ) from error


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
                "error": o.error or "",
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
