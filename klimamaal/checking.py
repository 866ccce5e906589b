"""Asking places fetched before whether they changed, many at a time.

A second crawl of an unchanged portal should cost one conditional request per
place and nothing else. Asked one task per place, the orchestration alone
(a Prefect task run per place) costs more than the requests; so the places
that carry validators (``ETag``, ``Last-Modified``) from an earlier pass are
asked in chunks, and a 304 is recorded for the whole chunk in one
transaction. Only what answered otherwise goes on to be ingested one by one:
new bytes (handed on as a download, read from its file when the ingest runs
on this machine), and a 5xx or timeout (fetched again there, with retries). A
4xx or any other failure is recorded here, as it would be there.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from klimamaal.crawling import Hosts
from klimamaal.fetching import Download, FetchFailed
from klimamaal.outcomes import IngestOutcome
from klimamaal.places import record_fetch_failure
from klimamaal.sources import Source
from models import Location, utcnow

#: Places asked in one task.
CHUNK = 50

Checked = tuple[Source, IngestOutcome | Download | None]


def known_places(sessions: sessionmaker[Session], places: list[Source]) -> set[str]:
    """The keys of places that served a document at the last pass and gave validators for the next."""
    keys = [p.key for p in places if p.is_url]
    found: set[str] = set()
    with sessions() as session:
        for start in range(0, len(keys), 500):
            found.update(
                session.scalars(
                    select(Location.key).where(
                        Location.key.in_(keys[start : start + 500]),
                        Location.document_id.is_not(None),
                        Location.status == "ok",
                        (Location.etag.is_not(None)) | (Location.last_modified.is_not(None)),
                    )
                )
            )
    return found


def polite_get(
    hosts: Hosts, source: Source, etag: str | None = None, last_modified: str | None = None
) -> Download:
    """A conditional GET through the host's politeness; a soft 404 is a FetchFailed."""
    fetched = hosts.get(source.location, etag=etag, last_modified=last_modified)
    if not fetched.not_modified and hosts.soft_404(source.location, fetched):
        fetched.discard()
        raise FetchFailed(
            source.location,
            "answers 200 with a page like the host's 'page not found' page (a soft 404)",
            hint="check the address",
        )
    return fetched


def check_places(hosts: Hosts, sessions: sessionmaker[Session], places: list[Source]) -> list[Checked]:
    """Ask each place whether it changed: an outcome (unchanged, failed), a download, or None (fetch it)."""
    with sessions() as session:
        known = {
            location.key: (location.etag, location.last_modified, location.document_id)
            for location in session.scalars(select(Location).where(Location.key.in_([p.key for p in places])))
        }
    results: list[Checked] = []
    unchanged: list[str] = []
    for place in places:
        etag, modified, document_id = known.get(place.key, (None, None, None))
        try:
            fetched = polite_get(hosts, place, etag, modified)
        except FetchFailed as error:
            if error.transient:
                results.append((place, None))
                continue
            record_fetch_failure(sessions, place, str(error))
            results.append((place, IngestOutcome(source=place.location, status="failed", error=str(error))))
            continue
        if fetched.not_modified:
            unchanged.append(place.key)
            results.append(
                (place, IngestOutcome(source=place.location, status="unchanged", document_id=document_id))
            )
        else:
            results.append((place, fetched))
    if unchanged:
        with sessions.begin() as session:
            session.execute(
                update(Location)
                .where(Location.key.in_(unchanged))
                .values(status="ok", error=None, checked_at=utcnow())
                .execution_options(synchronize_session=False)
            )
    return results
