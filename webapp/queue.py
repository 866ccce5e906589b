"""The review queue: filters, order, pages, counts and neighbours, built to stay fast at 100k targets.

Document order is served by the ``ix_targets_queue`` index (status,
document_id, start); a page is LIMIT/OFFSET over it. Next/previous from a
target page are keyset queries (the row just after or before the current one
in the same order and filters), so moving through the queue never counts or
skips rows. Filters on fields apply to the machine's columns (the indexed
ones); a reviewer's correction shows in the list but does not move a target
between filters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Select, String, cast, delete, func, select, tuple_
from sqlalchemy.orm import Session, sessionmaker

from db.engine import upsert
from db.queries import is_current_target
from models import TARGET_STATUSES, Document, Municipality, StatusCount, Target, TargetReview, utcnow
from webapp.params import parse_count

PAGE_SIZE = 50
SORTS = {
    "document": "dokumentrækkefølge",
    "confidence": "laveste sikkerhed først",
    "-confidence": "højeste sikkerhed først",
}
FILTER_KEYS = ("band", "municipality", "document", "sector", "status", "year", "rule", "sort")
#: What the queue lists: the machine's targets, its suggestions (forslag, ranked by score), or both.
BANDS = {"target": "mål", "suggestion": "forslag", "all": "mål og forslag"}


@dataclass(frozen=True)
class QueueFilter:
    """The queue's filters as parsed from the query string; invalid values are dropped, not errors."""

    band: str | None = "target"
    municipality: int | None = None
    document: int | None = None
    sector: str | None = None
    status: str | None = "pending"
    year: int | None = None
    rule: str | None = None
    sort: str = "document"
    page: int = 1
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> QueueFilter:
        def as_int(name: str) -> int | None:
            return parse_count((params.get(name) or "").strip())

        status = params.get("status", "pending")
        if status not in TARGET_STATUSES and status != "all":
            status = "pending"
        band = params.get("band", "target")
        if band not in BANDS:
            band = "target"
        # suggestions are ranked by score unless the reviewer asks for another order
        sort = params.get("sort", "-confidence" if band == "suggestion" else "document")
        return cls(
            band=None if band == "all" else band,
            municipality=as_int("municipality"),
            document=as_int("document"),
            sector=(params.get("sector") or "").strip()[:30] or None,
            status=None if status == "all" else status,
            year=as_int("year"),
            rule=(params.get("rule") or "").strip()[:100] or None,
            sort=sort if sort in SORTS else "document",
            page=max(1, min(as_int("page") or 1, 100_000)),
        )

    def params(self, **override: Any) -> dict[str, str]:
        """The filters as query parameters (defaults left out), for links that keep the queue."""
        values = {
            "band": self.band or "all",
            "municipality": self.municipality,
            "document": self.document,
            "sector": self.sector,
            "status": self.status or "all",
            "year": self.year,
            "rule": self.rule,
            "sort": self.sort,
        } | override
        default_sort = "-confidence" if (override.get("band", self.band) == "suggestion") else "document"
        defaults = {"band": "target", "status": "pending", "sort": default_sort, "page": 1}
        return {k: str(v) for k, v in values.items() if v not in (None, "") and defaults.get(k) != v}

    def query(self, **override: Any) -> str:
        return urlencode(self.params(**override))


def _filtered(query: Select[Any], f: QueueFilter, *, with_status: bool = True) -> Select[Any]:
    if f.band:
        query = query.where(Target.band == f.band)
    if f.municipality is not None:
        query = query.where(
            Target.document_id.in_(select(Document.id).where(Document.municipality_code == f.municipality))
        )
    if f.document is not None:
        query = query.where(Target.document_id == f.document)
    else:
        query = query.where(is_current_target())
    if f.sector:
        query = query.where(Target.sector == f.sector)
    if f.year is not None:
        query = query.where(Target.target_year == f.year)
    if f.rule:
        query = query.where(cast(Target.rule_ids, String).contains(f'"{f.rule}"', autoescape=True))
    if with_status and f.status:
        query = query.where(Target.status == f.status)
    return query


def _order_columns(f: QueueFilter) -> list[Any]:
    if f.sort == "confidence":
        return [Target.confidence, Target.id]
    if f.sort == "-confidence":
        return [Target.confidence.desc(), Target.id.desc()]
    return [Target.document_id, Target.start, Target.id]


@dataclass(frozen=True)
class QueueRow:
    id: int
    document_id: int
    document_title: str | None
    municipality: str | None
    page_number: int | None
    quote: str
    value: float | None
    unit: str | None
    target_year: int | None
    sector: str | None
    status: str
    confidence: float
    rule_ids: list[str]
    rules_flag: str | None
    band: str
    #: Found on a page read by OCR.
    ocr: bool = False


def queue_page(session: Session, f: QueueFilter) -> list[QueueRow]:
    """One page of the queue in the chosen order."""
    query = (
        select(
            Target.id,
            Target.document_id,
            Document.title,
            Municipality.name,
            Target.page_number,
            Target.quote,
            Target.value,
            Target.unit,
            Target.target_year,
            Target.sector,
            Target.status,
            Target.confidence,
            Target.rule_ids,
            Target.rules_flag,
            Target.band,
            Target.ocr,
        )
        .join(Document, Document.id == Target.document_id)
        .outerjoin(Municipality, Municipality.code == Document.municipality_code)
    )
    query = _filtered(query, f).order_by(*_order_columns(f)).limit(PAGE_SIZE).offset((f.page - 1) * PAGE_SIZE)
    return [QueueRow(*row) for row in session.execute(query)]


def status_counts(session: Session, f: QueueFilter) -> dict[str, int]:
    """Targets per status under the other filters (so the status tabs show what each holds)."""
    query = _filtered(select(Target.status, func.count()), f, with_status=False).group_by(Target.status)
    counts = dict.fromkeys(TARGET_STATUSES, 0)
    counts.update({status: n for status, n in session.execute(query)})
    return counts


#: How long counts stay good when no decision was made (an ingest or re-extraction adds no review row).
COUNT_TTL = dt.timedelta(seconds=10)


def _filter_hash(f: QueueFilter) -> str:
    return hashlib.sha256(f.query(status=None, sort=None, page=None).encode()).hexdigest()


def shared_status_counts(sessions: sessionmaker[Session], f: QueueFilter) -> dict[str, int]:
    """``status_counts`` through a cache in the database, shared by all worker processes.

    Counting 100,000 targets under a filter costs tens of milliseconds, and the
    counts are a summary, so they are reused while no review row was added since
    they were counted (every decision adds one, in whichever process) and for at
    most ``COUNT_TTL``. The check is one primary-key lookup and one MAX over the
    review table's primary key; nothing has to be told when a decision is made.
    """
    key = _filter_hash(f)
    now = utcnow()
    newest_review = select(func.coalesce(func.max(TargetReview.id), 0)).scalar_subquery()
    with sessions() as session:
        cached = session.scalar(
            select(StatusCount.counts).where(
                StatusCount.filter_hash == key,
                StatusCount.review_mark == newest_review,
                StatusCount.counted_at > now - COUNT_TTL,
            )
        )
        if cached is not None:
            return dict.fromkeys(TARGET_STATUSES, 0) | cached
        mark = session.scalar(select(newest_review))  # before counting: a decision meanwhile means a recount
        counts = status_counts(session, f)
    values = {"filter_hash": key, "review_mark": mark, "counts": counts, "counted_at": now}
    with sessions.begin() as session:
        insert = upsert(session.get_bind().dialect.name, StatusCount).values(**values)
        session.execute(insert.on_conflict_do_update(index_elements=["filter_hash"], set_=values))
    with sessions.begin() as session:  # apart, so that no transaction waits on rows while holding others
        session.execute(delete(StatusCount).where(StatusCount.counted_at <= now - COUNT_TTL))
    return counts


def document_progress(session: Session, document_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per document: targets per status, for the documents on the current page."""
    if not document_ids:
        return {}
    query = (
        select(Target.document_id, Target.status, func.count())
        .where(Target.document_id.in_(sorted(set(document_ids))))
        .group_by(Target.document_id, Target.status)
    )
    progress: dict[int, dict[str, int]] = {}
    for document_id, status, n in session.execute(query):
        progress.setdefault(document_id, dict.fromkeys(TARGET_STATUSES, 0))[status] = n
    return progress


def neighbour(session: Session, f: QueueFilter, target: Target, *, forward: bool) -> int | None:
    """The id of the next (or previous) target in the queue order after ``target`` (keyset)."""
    if f.sort == "document":
        columns = [Target.document_id, Target.start, Target.id]
        here = (target.document_id, target.start, target.id)
        ascending = True
    else:
        columns = [Target.confidence, Target.id]
        here = (target.confidence, target.id)
        ascending = f.sort == "confidence"
    later = forward == ascending  # moving towards larger keys
    key, value = tuple_(*columns), tuple_(*here)
    query = _filtered(select(Target.id), f).where(key > value if later else key < value)
    query = query.order_by(*(c if later else c.desc() for c in columns)).limit(1)
    return session.scalar(query)
