"""Assemble a comparison report from the database: every view of ``klimamaal compare`` in one object.

The writers (:mod:`analysis.writers`) turn it into HTML, XLSX and CSV from the same sheets
(:mod:`analysis.sheets`), so the three show the same figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.changes import Change, changes_over_time
from analysis.matrix import MatrixRow, build_matrix
from analysis.records import (
    Commitment,
    MunicipalityInfo,
    commitments,
    current_statements,
    document_infos,
    municipality_rows,
    statements,
)
from analysis.shared import Passage, SharedGroup, SharedJob, paragraphs
from analysis.views import (
    Distributions,
    distributions,
    language_rows,
    peers_of,
    plan_strength_rows,
    resource_rows,
)
from db.queries import municipality_filter
from extractors.target import SECTORS
from models import Document, Municipality, Page

#: Documents whose language the shared-language view compares: plans and strategies (not agendas or news).
PLAN_KINDS = ("plan", "strategy")


@dataclass
class Report:
    municipalities: list[MunicipalityInfo]
    sectors: list[str]
    reviewed_only: bool
    commitments: list[Commitment]
    matrix: list[MatrixRow]
    resources: list[Commitment]
    distributions: Distributions
    language: list[dict[str, object]]
    plan_strength: list[dict[str, object]]
    shared: list[SharedGroup]
    changes: list[Change]
    peers: dict[str, object] | None = None
    filters: dict[str, object] = field(default_factory=dict)


def resolve_municipalities(session: Session, names: Sequence[str]) -> list[int]:
    """Codes for names or codes given by a user; an unknown one is an error naming it."""
    codes = []
    for name in names:
        code = session.scalar(select(Municipality.code).where(municipality_filter(name)))
        if code is None:
            raise ValueError(f"unknown municipality {name!r} (use its name or kommunekode)")
        codes.append(code)
    return codes


def _passages(session: Session, codes: Sequence[int]) -> list[Passage]:
    query = (
        select(
            Document.municipality_code, Document.id, Document.title, Document.source, Page.number, Page.text
        )
        .join(Page, Page.document_id == Document.id)
        .where(
            Document.superseded_at.is_(None),
            Document.municipality_code.is_not(None),
            Document.kind.in_(PLAN_KINDS),
        )
        .order_by(Document.id, Page.number)
    )
    if codes:
        query = query.where(Document.municipality_code.in_(list(codes)))
    return [
        Passage(code, document_id, title or source, number, text)
        for code, document_id, title, source, number, page_text in session.execute(query)
        for text in paragraphs(page_text)
    ]


def build_report(
    session: Session,
    *,
    municipalities: Sequence[str] = (),
    sectors: Sequence[str] = (),
    reviewed_only: bool = False,
    peer_of: str | None = None,
    peers: str = "region",
    saved_peers: Sequence[int] = (),
    shared_language: bool = True,
    parallel: bool = False,
) -> Report:
    """Everything ``klimamaal compare`` shows. With ``parallel`` (the command line, never a web server's
    threads), the shared-language search runs in a forked process meanwhile."""
    unknown = [s for s in sectors if s not in SECTORS]
    if unknown:
        raise ValueError(f"unknown sector {', '.join(unknown)}; use {', '.join(SECTORS)}")
    everyone = municipality_rows(session)
    codes = resolve_municipalities(session, municipalities)
    peer_view = None
    if peer_of:
        (own,) = resolve_municipalities(session, [peer_of])
        me = next(m for m in everyone if m.code == own)
        group = peers_of(me, everyone, peers if peers in ("region", "population") else "saved", saved_peers)
        codes = sorted({*codes, own, *(m.code for m in group)})
        peer_view = {"municipality": me, "how": peers, "peers": group}
    chosen = [m for m in everyone if not codes or m.code in codes]
    shared = SharedJob(
        _passages(session, codes) if shared_language else [], parallel=parallel and shared_language
    )
    documents = document_infos(session)
    history = statements(
        session, municipalities=codes, reviewed_only=reviewed_only, current_only=False, documents=documents
    )
    grouped = commitments(current_statements(history))
    if sectors:
        grouped = [c for c in grouped if c.get("sector") in sectors]
    matrix = build_matrix(chosen, grouped, list(sectors) or SECTORS)
    previous = {d.id: d.previous_id for d in documents.values()}
    language = language_rows(chosen, grouped)
    return Report(
        municipalities=chosen,
        sectors=list(sectors) or list(SECTORS),
        reviewed_only=reviewed_only,
        commitments=grouped,
        matrix=matrix,
        resources=resource_rows(grouped),
        distributions=distributions(matrix, grouped),
        language=language,
        plan_strength=plan_strength_rows(grouped),
        shared=shared.result(),
        changes=changes_over_time(history, documents, previous),
        peers=peer_view,
        filters={
            "municipalities": list(municipalities),
            "sectors": list(sectors),
            "reviewed_only": reviewed_only,
        },
    )
