"""Read-side queries for the CLI and exports: documents and targets with their current values."""

from __future__ import annotations

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from db.reviews import current_fields
from models import Document, Municipality, Target


def document_rows(sessions: sessionmaker[Session]) -> list[dict[str, object]]:
    """One row per stored document, newest versions last: its targets (as lists and exports count them)
    and its suggestions waiting for a reviewer."""
    listed = func.sum(case((counts_as_target(), 1), else_=0))
    counts = (
        select(
            Target.document_id,
            listed.label("n"),
            (func.count() - listed).label("suggestions"),
        )
        .group_by(Target.document_id)
        .subquery()
    )
    query = (
        select(Document, Municipality.name, counts.c.n, counts.c.suggestions)
        .outerjoin(Municipality, Document.municipality_code == Municipality.code)
        .outerjoin(counts, counts.c.document_id == Document.id)
        .order_by(Document.id)
    )
    with sessions() as session:
        return [
            {
                "id": doc.id,
                "municipality": name,
                "title": doc.title,
                "kind": doc.kind,
                "pages": doc.page_count,
                "ocr_pages": doc.ocr_pages,
                "targets": n or 0,
                "suggestions": suggestions or 0,
                "status": doc.status,
                "error": doc.error or doc.warning,
                "source": doc.source,
                "sha256": doc.sha256,
                "previous_id": doc.previous_id,
                "superseded_by": doc.superseded_by_id,
            }
            for doc, name, n, suggestions in session.execute(query)
        ]


#: Statuses in which a reviewer has confirmed a target (as it was, or corrected).
CONFIRMED = ("accepted", "edited")


def counts_as_target():  # type: ignore[no-untyped-def]
    """What lists, exports and comparisons show: the machine's targets, and suggestions a reviewer
    accepted or corrected. A pending or rejected suggestion is for the review queue only."""
    return or_(Target.band == "target", Target.status.in_(CONFIRMED))


def is_current_target():  # type: ignore[no-untyped-def]
    """Targets of documents no newer version superseded: only these count in lists, the queue, exports and
    comparisons (older versions stay readable by their document id)."""
    return Target.document_id.not_in(select(Document.id).where(Document.superseded_at.is_not(None)))


def municipality_filter(value: str):  # type: ignore[no-untyped-def]
    """Match a municipality by official code or by (case-insensitive) name."""
    if value.strip().isdigit():
        return Municipality.code == int(value)
    name = value.strip().lower().removesuffix(" kommune")
    return or_(func.lower(Municipality.name) == name, func.lower(Municipality.name) == name + " kommune")


def target_rows(
    sessions: sessionmaker[Session],
    *,
    municipality: str | None = None,
    status: str | None = None,
    document_id: int | None = None,
    suggestions: bool = False,
) -> list[dict[str, object]]:
    """Targets in document order with their current values (latest decision, else the machine's);
    with ``suggestions``, the unconfirmed suggestions too."""
    query = (
        select(Target, Document.title, Municipality.name)
        .join(Document, Target.document_id == Document.id)
        .outerjoin(Municipality, Document.municipality_code == Municipality.code)
        .options(selectinload(Target.reviews))
        .order_by(Target.document_id, Target.start, Target.id)
    )
    if municipality:
        query = query.where(municipality_filter(municipality))
    if status:
        query = query.where(Target.status == status)
    if document_id is not None:
        query = query.where(Target.document_id == document_id)
    else:
        query = query.where(is_current_target())
    if not suggestions:
        query = query.where(counts_as_target())
    with sessions() as session:
        rows = []
        for target, title, name in session.execute(query):
            fields = current_fields(target)
            rows.append(
                {
                    "id": target.id,
                    "municipality": name,
                    "document": title or target.document_id,
                    "document_id": target.document_id,
                    "page": target.page_number,
                    "start": target.start,
                    "end": target.end,
                    "status": target.status,
                    "band": target.band,
                    **fields,
                    "rules": ",".join(target.rule_ids or []),
                    "confidence": target.confidence,
                    "extractor_version": target.extractor_version,
                    "origin": target.origin,
                    "rules_flag": target.rules_flag,
                }
            )
        return rows


def failed_places(sessions: sessionmaker[Session]) -> list[dict[str, object]]:
    """Places whose last fetch failed (no bytes, so no document): the URL and the cause."""
    from models import Location

    with sessions() as session:
        return [
            {"id": None, "status": "failed", "error": location.error, "source": location.key, "title": None}
            for location in session.scalars(
                select(Location).where(Location.status == "failed").order_by(Location.id)
            )
        ]
