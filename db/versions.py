"""Versions of a document: which one a place serves now, what changed, and decisions carried over.

A document is the sha256 of its bytes; a place (a URL, a file) serves one
document at a time (``Location.document_id``). When it serves another, the one
it served before is superseded (never deleted: its targets and their reviews
stay readable) unless another place still serves it; a place that goes back to
an older document makes that one current again.

What "the same target" is comes from ``extractors.same_target`` and nowhere
else: a reviewer's decision carries over to the new version's same target (as a
new review row that names the original), and ``diff`` pairs targets by it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from db.queries import counts_as_target
from db.reviews import latest_decision
from extractors.same_target import normalise_quote, same_target_key
from models import Document, Location, Target, TargetReview, target_fields, utcnow


def version_numbers(previous: Mapping[int, int | None]) -> dict[int, int]:
    """Each document's number in its chain of versions, from ``previous`` (id -> the id it replaced): 1 for
    a document no earlier version precedes, else one more per version before it (each counted once)."""

    def number(document_id: int | None) -> int:
        n, seen = 1, {document_id}
        while (document_id := previous.get(document_id)) is not None and document_id not in seen:  # type: ignore[arg-type]
            seen.add(document_id)
            n += 1
        return n

    return {document_id: number(document_id) for document_id in previous}


def document_versions(session: Session) -> dict[int, int]:
    """:func:`version_numbers` of every stored document, in one query."""
    return version_numbers(dict(session.execute(select(Document.id, Document.previous_id)).tuples().all()))


#: The action that re-states a status on a new version.
ACTION_OF_STATUS = {"accepted": "accept", "edited": "edit", "rejected": "reject"}


def location_for(session: Session, key: str, source_id: int | None = None) -> Location:
    """The row of a place, created on first sight (flushed, so a concurrent creator fails on its key)."""
    location = session.scalar(select(Location).where(Location.key == key))
    if location is None:
        location = Location(key=key, source_id=source_id)
        session.add(location)
        session.flush()
    elif source_id is not None and location.source_id is None:
        location.source_id = source_id
    return location


def serve(session: Session, location: Location, document: Document) -> int | None:
    """Make ``document`` what ``location`` serves; returns the document it served before, if another.

    The one before is superseded by ``document`` unless another place still serves it.
    """
    previous_id = location.document_id
    location.document_id = document.id
    if document.superseded_at is not None:
        document.superseded_at = None
        document.superseded_by_id = None
    if previous_id is None or previous_id == document.id:
        return None
    session.flush()
    still_served = session.scalar(
        select(func.count()).select_from(Location).where(Location.document_id == previous_id)
    )
    if not still_served:
        previous = session.get_one(Document, previous_id)
        previous.superseded_at = utcnow()
        previous.superseded_by_id = document.id
    return previous_id


def _identity(target: Target) -> str:
    return same_target_key(target.quote, target_fields(target))


def carry_over_decisions(session: Session, old_id: int, new_id: int) -> int:
    """Re-state each decision in force on ``old_id``'s targets on ``new_id``'s same target.

    The new row has the reviewer, action and values of the decision and names
    it (``carried_from_id``); the new target's status caches follow. A target
    the machine found in both versions with the same normalised quote and the
    same fields is the same target; one a reviewer decided that is gone or
    changed keeps its decision on the old version only.
    """
    decided = session.scalars(
        select(Target)
        .where(Target.document_id == old_id, Target.status != "pending", Target.origin == "machine")
        .options(selectinload(Target.reviews))
    ).all()
    if not decided:
        return 0
    fresh: dict[str, Target] = {}
    for target in session.scalars(
        select(Target).where(Target.document_id == new_id, Target.status == "pending", ~Target.reviews.any())
    ):
        fresh.setdefault(_identity(target), target)
    carried = 0
    for old in decided:
        decision = latest_decision(old)
        new = fresh.pop(_identity(old), None)
        if decision is None or new is None or old.status not in ACTION_OF_STATUS:
            continue
        session.add(
            TargetReview(
                target_id=new.id,
                reviewer=decision.reviewer,
                created_at=utcnow(),
                action=ACTION_OF_STATUS[old.status],
                before=target_fields(new),
                after=dict(decision.after or {}),
                note=f"carried over from target {old.id} of document {old_id} (review #{decision.id})",
                carried_from_id=decision.id,
            )
        )
        new.status = old.status
        new.revision = 1
        carried += 1
    session.flush()
    return carried


@dataclass
class VersionDiff:
    """Targets of version B against version A: added, removed, and changed (the same wording with other
    figures or fields); ``same`` counts the same targets (``extractors.same_target``)."""

    a: int
    b: int
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    same: int = 0

    def summary(self) -> str:
        return f"+{len(self.added)} -{len(self.removed)} ~{len(self.changed)} targets ({self.same} the same)"


def _row(target: Target) -> dict[str, Any]:
    return {"id": target.id, "page": target.page_number, **target_fields(target)}


def diff_documents(session: Session, a_id: int, b_id: int) -> VersionDiff:
    """What changed between two documents' targets (those that count: see ``counts_as_target``)."""
    for document_id in (a_id, b_id):
        if session.get(Document, document_id) is None:
            raise LookupError(f"no document {document_id}")
    result = VersionDiff(a_id, b_id)
    old = _targets(session, a_id)
    new = _targets(session, b_id)
    unmatched_new: dict[str, list[Target]] = {}
    for target in new:
        unmatched_new.setdefault(_identity(target), []).append(target)
    gone: list[Target] = []
    for target in old:
        bucket = unmatched_new.get(_identity(target))
        if bucket:
            bucket.pop(0)
            result.same += 1
        else:
            gone.append(target)
    arrived = [t for bucket in unmatched_new.values() for t in bucket]
    by_quote: dict[str, list[Target]] = {}
    for target in arrived:
        by_quote.setdefault(_wording(target.quote), []).append(target)
    for target in gone:
        bucket = by_quote.get(_wording(target.quote))
        if bucket:
            result.changed.append((_row(target), _row(bucket.pop(0))))
        else:
            result.removed.append(_row(target))
    result.added = [_row(t) for bucket in by_quote.values() for t in bucket]
    return result


def _wording(quote: str) -> str:
    """A quote with its figures masked: a target restated with a new number is a changed target."""
    return _FIGURE.sub("#", normalise_quote(quote))


_FIGURE = re.compile(r"\d+(?:[.,]\d+)?")


def _targets(session: Session, document_id: int) -> Sequence[Target]:
    return session.scalars(
        select(Target)
        .where(Target.document_id == document_id, counts_as_target())
        .order_by(Target.start, Target.id)
    ).all()
