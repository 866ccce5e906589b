"""What the database keeps about a place bytes are had from, and how writers that meet there take turns.

``klimamaal.ingest`` and the crawl record here that a place answered (with
what a conditional request needs next time) or failed (with the cause, for
``klimamaal documents --failed``). Two runs that write the same rows at once
meet on the database's unique keys or SQLite's lock: ``contention`` says when
trying again (a few times, ``ATTEMPTS``) is the answer.
"""

from __future__ import annotations

import time

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from db.versions import location_for
from klimamaal.fetching import Download
from klimamaal.sources import Source
from models import Location, utcnow

#: Attempts at one source when a concurrent run writes the same rows (a unique key, a locked SQLite).
ATTEMPTS = 4


def contention(error: Exception) -> bool:
    """Whether a write failed because another writer got there first (and trying again is the answer)."""
    text = str(error).lower()
    return isinstance(error, IntegrityError) or "locked" in text or "busy" in text or "deadlock" in text


def record_fetch_failure(sessions: sessionmaker[Session], source: Source, error: str) -> None:
    """A place whose bytes could not be had: the cause stays on it (``klimamaal documents --failed``)."""
    for attempt in range(ATTEMPTS):
        try:
            with sessions.begin() as session:
                failed_at(location_for(session, source.key, source.source_id), error)
            return
        except (IntegrityError, OperationalError) as error_writing:
            if attempt == ATTEMPTS - 1 or not contention(error_writing):
                raise
            time.sleep(0.2 * (attempt + 1))


def failed_at(location: Location, error: str) -> None:
    location.status = "failed"
    location.error = error
    location.checked_at = utcnow()


def checked(location: Location, download: Download | None, sha256: str | None = None) -> None:
    """What a conditional request needs next time, and that the place answered."""
    location.status = "ok"
    location.error = None
    location.checked_at = utcnow()
    if sha256 is not None:
        location.bytes_sha256 = sha256
    if download is not None and not download.not_modified:
        location.etag = download.etag
        location.last_modified = download.last_modified
