"""The registered sources: where municipalities publish, added by operators and kept in the database.

A source is a URL with its municipality, the kind of what it publishes, and,
for an index page (a plan page, a council portal's meeting list, a sitemap or
feed), the pattern of the links to follow and how deep. The list moves
between machines as TOML (``[[source]]`` tables with the same keys).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import SOURCE_KINDS, Location, Municipality, RegisteredSource


class SourceError(ValueError):
    """A source that cannot be registered; the message says which and why."""


@dataclass(frozen=True)
class SourceSpec:
    """A registered source as the crawl and the TOML file see it."""

    url: str
    municipality: str | None = None
    kind: str | None = None
    follow: str | None = None
    depth: int = 0
    id: int | None = None

    @property
    def is_index(self) -> bool:
        return self.depth > 0


def _municipality(session: Session, name: str | None) -> Municipality | None:
    if not name:
        return None
    from db.queries import municipality_filter

    found = session.scalar(select(Municipality).where(municipality_filter(name)))
    if found is None:
        raise SourceError(f"unknown municipality {name!r}: use a name or a code of the 98")
    return found


def validate(spec: SourceSpec) -> SourceSpec:
    from klimamaal.fetching import FetchFailed, check_url

    try:
        check_url(spec.url)
    except FetchFailed as error:
        raise SourceError(str(error)) from error
    if spec.kind is not None and spec.kind not in SOURCE_KINDS:
        raise SourceError(f"{spec.url}: kind {spec.kind!r} is not one of {', '.join(SOURCE_KINDS)}")
    if spec.follow is not None:
        try:
            re.compile(spec.follow)
        except re.error as error:
            raise SourceError(
                f"{spec.url}: --follow {spec.follow!r} is no regular expression: {error}"
            ) from error
    if spec.depth < 0 or spec.depth > 5:
        raise SourceError(f"{spec.url}: depth must be 0-5")
    depth = spec.depth if spec.depth or spec.follow is None else 1
    return SourceSpec(spec.url, spec.municipality, spec.kind, spec.follow, depth, spec.id)


def add_sources(sessions: sessionmaker[Session], specs: Iterable[SourceSpec]) -> list[SourceSpec]:
    """Register sources (all or none); a URL registered already is updated with the new facts."""
    added = []
    with sessions.begin() as session:
        for spec in map(validate, specs):
            municipality = _municipality(session, spec.municipality)
            row = session.scalar(select(RegisteredSource).where(RegisteredSource.url == spec.url))
            if row is None:
                row = RegisteredSource(url=spec.url)
                session.add(row)
            row.municipality_code = municipality.code if municipality else None
            row.kind, row.follow, row.depth = spec.kind, spec.follow, spec.depth
            session.flush()
            added.append(_spec(row, municipality.name if municipality else None))
    return added


def _spec(row: RegisteredSource, municipality: str | None) -> SourceSpec:
    return SourceSpec(row.url, municipality, row.kind, row.follow, row.depth, row.id)


def list_sources(sessions: sessionmaker[Session], source_id: int | None = None) -> list[SourceSpec]:
    with sessions() as session:
        query = (
            select(RegisteredSource, Municipality.name)
            .outerjoin(Municipality, Municipality.code == RegisteredSource.municipality_code)
            .order_by(RegisteredSource.id)
        )
        if source_id is not None:
            query = query.where(RegisteredSource.id == source_id)
        return [_spec(row, name) for row, name in session.execute(query)]


def source_rows(sessions: sessionmaker[Session]) -> list[dict[str, Any]]:
    """The sources with the outcome of their last pass, for ``klimamaal sources list``."""
    with sessions() as session:
        rows = []
        query = (
            select(RegisteredSource, Municipality.name)
            .outerjoin(Municipality, Municipality.code == RegisteredSource.municipality_code)
            .order_by(RegisteredSource.id)
        )
        for row, name in session.execute(query):
            rows.append(
                {
                    "id": row.id,
                    "url": row.url,
                    "municipality": name,
                    "kind": row.kind,
                    "follow": row.follow,
                    "depth": row.depth,
                    "checked": f"{row.checked_at:%Y-%m-%d %H:%M}" if row.checked_at else "",
                    "status": row.last_status,
                    "error": row.last_error,
                }
            )
        return rows


def remove_source(sessions: sessionmaker[Session], source_id: int) -> str:
    """Forget a source; what it brought stays (documents are superseded, never deleted)."""
    with sessions.begin() as session:
        row = session.get(RegisteredSource, source_id)
        if row is None:
            raise SourceError(f"no source {source_id}")
        for location in session.scalars(select(Location).where(Location.source_id == source_id)):
            location.source_id = None
        session.delete(row)
        return row.url


def record_pass(sessions: sessionmaker[Session], source_id: int, status: str, error: str | None) -> None:
    from models import utcnow

    with sessions.begin() as session:
        row = session.get(RegisteredSource, source_id)
        if row is not None:
            row.last_status, row.last_error, row.checked_at = status, error, utcnow()


def read_toml(path: Path) -> list[SourceSpec]:
    """``[[source]]`` tables with url, municipality, kind, follow, depth; errors name the file and entry."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SourceError(f"{path}: {error}") from error
    specs = []
    for number, entry in enumerate(data.get("source", []), start=1):
        unknown = set(entry) - {"url", "municipality", "kind", "follow", "depth"}
        if "url" not in entry or unknown:
            raise SourceError(f"{path}, source {number}: needs url; unknown keys {sorted(unknown)}")
        specs.append(
            SourceSpec(
                url=str(entry["url"]),
                municipality=entry.get("municipality"),
                kind=entry.get("kind"),
                follow=entry.get("follow"),
                depth=int(entry.get("depth", 0)),
            )
        )
    return specs


def to_toml(specs: Iterable[SourceSpec]) -> str:
    import tomli_w

    entries = []
    for spec in specs:
        entry = {k: v for k, v in asdict(spec).items() if v is not None and k != "id"}
        entries.append(entry)
    return tomli_w.dumps({"source": entries})
