"""What to ingest and how to get its bytes: files, folders with manifests, URLs.

``discover`` expands what the user names into sources (with the facts of a
folder's ``manifest.csv``); ``fetch`` gives a source as a file on disk with its
sha256, hashed in chunks and never held whole, and refuses one larger than the
maximum document size (``KLIMAMAAL_MAX_DOCUMENT_MB``).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import urllib.parse
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from extractors.document import ReadError
from klimamaal.config import max_document_bytes

SUPPORTED_SUFFIXES = (".pdf", ".html", ".htm", ".txt", ".md")
MANIFEST_NAME = "manifest.csv"
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
    #: The registered source (``klimamaal sources``) this was found through, and what it says.
    source_id: int | None = None
    kind: str | None = None
    municipality: str | None = None

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


def too_large(location: str, size: int, limit: int) -> ReadError:
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
        from klimamaal.fetching import FetchLimits, download, new_client

        limits = FetchLimits.from_env()
        with new_client(limits) as client:
            got = download(client, source.location, limits=limits, max_bytes=limit)
        assert got.path is not None and got.sha256 is not None
        try:
            yield Fetched(got.path, got.sha256, got.size)
        finally:
            got.discard()
    except FileNotFoundError as error:
        raise ReadError(source.location, "file not found", hint="check the path") from error
    except OSError as error:
        raise ReadError(source.location, f"cannot be read: {error}", hint="check access and retry") from error
