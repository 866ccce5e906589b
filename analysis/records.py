"""What a comparison reads: each commitment of a municipality once, with all the statements of it.

One query loads the targets that count (:func:`db.queries.counts_as_target`, not rejected, of current
versions: :func:`db.queries.is_current_target`) with their documents. Statements of one commitment (a
plan, then the council's agenda items repeating it) share :func:`extractors.same_target.same_target_key`
over the values the machine (or the adding reviewer) recorded, which is what issue 11 keys decisions
by; the commitment's values are then those of its newest confirmed statement, so a reviewer's values win
over the machine's. Statements of superseded versions are loaded too, for the changes over time
(:mod:`analysis.changes`) only: every other view takes :func:`current_statements`.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.queries import CONFIRMED, counts_as_target, is_current_target
from db.reviews import with_decision
from db.versions import version_numbers
from extractors.same_target import same_target_key
from models import TARGET_FIELDS, Document, Municipality, Target, TargetReview

#: Words in a document's title that make it a draft or a proposal rather than an adopted plan.
DRAFT_TITLE = re.compile(r"\b(udkast|forslag|høringsudkast|høringsversion|høringsforslag|draft)\b", re.I)


@dataclass(frozen=True)
class MunicipalityInfo:
    code: int
    name: str
    region: str
    population: int | None


@cache
def municipality_register() -> dict[int, MunicipalityInfo]:
    """The 98 municipalities with population (Danmarks Statistik, CC BY 4.0: see analysis/data/CREDITS.md)."""
    source = resources.files("analysis") / "data" / "population.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        return {
            int(row["code"]): MunicipalityInfo(
                int(row["code"]), row["name"], row["region"], int(row["population"] or 0) or None
            )
            for row in csv.DictReader(handle)
        }


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    title: str
    kind: str | None
    source: str
    version: int
    #: the document this one replaced (its previous version), if any
    previous_id: int | None
    dated: dt.date
    draft: bool
    current: bool
    municipality_code: int | None


@dataclass(frozen=True)
class Statement:
    """One place a commitment is stated: a target row in one document."""

    target_id: int
    document: DocumentInfo
    page: int | None
    quote: str
    status: str
    confirmed: bool
    reviewer: str | None
    fields: dict[str, Any]
    ocr: bool


@dataclass
class Commitment:
    """A target of a municipality counted once, with every statement of it."""

    key: str
    municipality_code: int
    statements: list[Statement] = field(default_factory=list)

    @cached_property
    def main(self) -> Statement:
        """The statement whose values count and that is cited first: a confirmed one, else an adopted one;
        of those, one in a plan (agendas and notes restate plans), then the newest."""
        return max(
            self.statements,
            key=lambda s: (
                s.confirmed,
                not s.document.draft,
                s.document.kind == "plan",
                s.document.dated,
                s.target_id,
            ),
        )

    @property
    def fields(self) -> dict[str, Any]:
        return self.main.fields

    def get(self, name: str) -> Any:
        return self.main.fields.get(name)

    @property
    def confirmed(self) -> bool:
        return any(s.confirmed for s in self.statements)

    @property
    def draft(self) -> bool:
        return all(s.document.draft for s in self.statements)

    @property
    def dated(self) -> dt.date:
        return max(s.document.dated for s in self.statements)


def document_infos(session: Session) -> dict[int, DocumentInfo]:
    rows = session.execute(
        select(
            Document.id,
            Document.title,
            Document.kind,
            Document.source,
            Document.previous_id,
            Document.published_on,
            Document.fetched_at,
            Document.superseded_at,
            Document.municipality_code,
        )
    ).all()
    versions = version_numbers({row.id: row.previous_id for row in rows})

    return {
        row.id: DocumentInfo(
            id=row.id,
            title=row.title or row.source,
            kind=row.kind,
            source=row.source,
            version=versions[row.id],
            previous_id=row.previous_id,
            dated=row.published_on or row.fetched_at.date(),
            draft=bool(DRAFT_TITLE.search(row.title or "")),
            current=row.superseded_at is None,
            municipality_code=row.municipality_code,
        )
        for row in rows
    }


def statements(
    session: Session,
    *,
    municipalities: Sequence[int] = (),
    reviewed_only: bool = False,
    current_only: bool = True,
    documents: dict[int, DocumentInfo] | None = None,
) -> list[Statement]:
    """Targets that count (never rejected ones or unaccepted suggestions) as statements.

    Columns and the latest decision of each reviewed target are read in two bulk queries (no ORM
    objects: 50,000 targets in a second), and combined by :func:`db.reviews.with_decision`."""
    documents = documents if documents is not None else document_infos(session)
    conditions = [counts_as_target(), Target.status != "rejected", Document.municipality_code.is_not(None)]
    if current_only:
        conditions.append(is_current_target())
    if municipalities:
        conditions.append(Document.municipality_code.in_(list(municipalities)))
    if reviewed_only:
        conditions.append(Target.status.in_(CONFIRMED))
    chosen = select(Target.id).join(Document, Document.id == Target.document_id).where(*conditions)
    decisions: dict[int, tuple[dict[str, Any], str]] = {}
    for target_id, after, reviewer in session.execute(
        select(TargetReview.target_id, TargetReview.after, TargetReview.reviewer)
        .where(TargetReview.after.is_not(None), TargetReview.target_id.in_(chosen))
        .order_by(TargetReview.id)
    ):
        decisions[target_id] = (after, reviewer)
    query = (
        select(
            Target.id,
            Target.document_id,
            Target.page_number,
            Target.status,
            Target.ocr,
            *(getattr(Target, name) for name in TARGET_FIELDS),
        )
        .join(Document, Document.id == Target.document_id)
        .where(*conditions)
        .order_by(Target.document_id, Target.start, Target.id)
    )
    out = []
    for row in session.execute(query):
        machine = {name: getattr(row, name) for name in TARGET_FIELDS}
        key = same_target_key(row.quote, machine)
        after, reviewer = decisions.get(row.id, (None, None))
        fields = with_decision(dict(machine), after)
        fields["_key"] = key
        out.append(
            Statement(
                target_id=row.id,
                document=documents[row.document_id],
                page=row.page_number,
                quote=fields["quote"],
                status=row.status,
                confirmed=row.status in CONFIRMED,
                reviewer=reviewer,
                fields=fields,
                ocr=bool(row.ocr),
            )
        )
    return out


def current_statements(found: Iterable[Statement]) -> list[Statement]:
    return [s for s in found if s.document.current]


def commitments(found: Iterable[Statement]) -> list[Commitment]:
    """Statements grouped by municipality and "same target" key, in order of first statement."""
    groups: dict[tuple[int, str], Commitment] = {}
    for statement in found:
        code = statement.document.municipality_code
        assert code is not None
        key = (code, statement.fields["_key"])
        groups.setdefault(key, Commitment(key[1], code)).statements.append(statement)
    return list(groups.values())


def municipality_rows(session: Session) -> list[MunicipalityInfo]:
    """The municipalities of the database, with region and population from the register."""
    register = municipality_register()
    return [
        register.get(code) or MunicipalityInfo(code, name, region or "", None)
        for code, name, region in session.execute(
            select(Municipality.code, Municipality.name, Municipality.region).order_by(Municipality.code)
        )
    ]
