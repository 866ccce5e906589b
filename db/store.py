"""Writing documents and targets: the storage half of ingest and re-extraction.

These functions run inside one transaction that the caller owns, so a document
is stored whole or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.reviews import current_fields
from extractors.document import PAGE_SEPARATOR, ParsedDocument, locate
from extractors.target import Target as FoundTarget
from models import TARGET_FIELDS, Block, Document, Municipality, Page, Target, utcnow

Extractor = Callable[[str], list[FoundTarget]]

#: Fields compared when deciding whether new rules disagree with a reviewer's decision.
COMPARED_FIELDS = ("value", "unit", "direction", "bound", "target_year", "deadline_kind", "baseline_year")


@dataclass(frozen=True)
class DocumentInfo:
    """What is known about a file besides its text (from the manifest, URL or reader)."""

    source: str
    source_key: str
    sha256: str
    size_bytes: int
    title: str | None = None
    kind: str | None = None
    municipality_code: int | None = None
    published_on: dt.date | None = None
    media_type: str | None = None


def ensure_municipalities(session: Session, rows: Iterable[tuple[int, str, str | None]]) -> None:
    """Insert the municipalities that are missing (code, name, region); existing rows are left alone."""
    known = set(session.scalars(select(Municipality.code)))
    session.add_all(
        Municipality(code=code, name=name, region=region) for code, name, region in rows if code not in known
    )


def find_by_sha(session: Session, sha256: str) -> Document | None:
    return session.scalar(select(Document).where(Document.sha256 == sha256))


def latest_version(session: Session, source_key: str) -> Document | None:
    """The newest stored document from the same source (for linking a changed file to the old one)."""
    return session.scalar(
        select(Document).where(Document.source_key == source_key).order_by(Document.id.desc()).limit(1)
    )


def store_parsed(
    session: Session,
    info: DocumentInfo,
    parsed: ParsedDocument,
    targets: Sequence[FoundTarget],
    extractor_version: str,
) -> Document:
    """Store a parsed document, its pages and blocks and its machine targets.

    An earlier failure recorded for the same bytes becomes this document (the row is
    filled in, never deleted: documents are superseded, not removed).
    """
    document = find_by_sha(session, info.sha256)
    if document is None:
        document = _document_row(info, latest_version(session, info.source_key))
    elif document.status == "extracted":
        raise ValueError(f"{info.source}: document {document.id} holds these bytes already")
    else:
        _describe(document, info)
        document.error = None
        document.fetched_at = utcnow()
    document.title = info.title or parsed.title
    document.media_type = info.media_type or parsed.media_type
    document.page_count = len(parsed.pages)
    document.status = "extracted"
    document.extractor_version = extractor_version
    starts = parsed.page_starts()
    for page, start in zip(parsed.pages, starts, strict=True):
        row = Page(number=page.number, start_offset=start, text=page.text)
        row.blocks = [
            Block(position=i, kind=b.kind, start=b.start, end=b.end) for i, b in enumerate(page.blocks)
        ]
        document.pages.append(row)
    numbers = [p.number for p in parsed.pages]
    document.targets = [_target_row(t, starts, numbers, extractor_version) for t in targets]
    session.add(document)
    session.flush()
    return document


def store_failure(session: Session, info: DocumentInfo, status: str, error: str) -> Document:
    """Record a document that could not be read; a retry of the same bytes updates this row."""
    document = find_by_sha(session, info.sha256)
    if document is None:
        document = _document_row(info, latest_version(session, info.source_key))
        session.add(document)
    document.status = status
    document.error = error
    document.fetched_at = utcnow()
    session.flush()
    return document


def _document_row(info: DocumentInfo, previous: Document | None) -> Document:
    document = Document(
        sha256=info.sha256,
        previous_id=previous.id if previous is not None and previous.sha256 != info.sha256 else None,
    )
    _describe(document, info)
    return document


def _describe(document: Document, info: DocumentInfo) -> None:
    """What the source says about the document (its bytes, and so its sha256, are the same)."""
    document.source = info.source
    document.source_key = info.source_key
    document.title = info.title
    document.kind = info.kind
    document.media_type = info.media_type
    document.municipality_code = info.municipality_code
    document.published_on = info.published_on
    document.size_bytes = info.size_bytes


def _target_row(
    found: FoundTarget, page_starts: list[int], page_numbers: list[int], extractor_version: str
) -> Target:
    page, page_start = locate(page_starts, page_numbers, found.start)
    return Target(
        origin="machine",
        page_number=page,
        start=found.start,
        end=found.end,
        page_start=page_start,
        page_end=page_start + (found.end - found.start),
        rule_ids=list(found.rule_ids),
        extractor_version=extractor_version,
        confidence=found.confidence,
        status="pending",
        revision=0,
        **{name: getattr(found, name) for name in TARGET_FIELDS},
    )


def document_text(document: Document) -> str:
    """The stored text of a document, exactly as the extractor saw it at ingest."""
    return PAGE_SEPARATOR.join(page.text for page in document.pages)


@dataclass(frozen=True)
class ReextractOutcome:
    added: int
    removed: int
    kept: int
    flagged: int


def is_touched(target: Target) -> bool:
    """A target a reviewer has touched: added by hand, or with any review at all, a skip included.

    Re-extraction keeps it (and its history) whatever the rules say. A skip decides
    nothing (it is not in ``models.DECISIONS``), but it is a record a reviewer
    made, and deleting the target would delete it with it.
    """
    return target.origin != "machine" or bool(target.reviews)


def reextract_document(
    session: Session, document: Document, extract: Extractor, extractor_version: str
) -> ReextractOutcome:
    """Replace the untouched machine targets of ``document`` with what the current rules find.

    Touched targets (see :func:`is_touched`) stay as they are. Where a new finding
    overlaps a touched target, it is not added again; if it disagrees with the
    target's current values, the target is flagged with what the rules now say. A
    touched machine target that the rules no longer find at all is flagged too.
    """
    text = document_text(document)
    found = extract(text)
    starts = [p.start_offset for p in document.pages]
    numbers = [p.number for p in document.pages]
    # is_touched reads each target's reviews: load them for the whole document in one query, not one per target
    session.scalars(
        select(Target).where(Target.document_id == document.id).options(selectinload(Target.reviews))
    ).all()
    touched: list[Target] = []
    stale: list[Target] = []
    for target in document.targets:
        (touched if is_touched(target) else stale).append(target)
    for target in stale:
        session.delete(target)
    matched: set[int] = set()
    added = 0
    for candidate in found:
        anchor = _best_overlap(candidate, touched)
        if anchor is None:
            document.targets.append(_target_row(candidate, starts, numbers, extractor_version))
            added += 1
            continue
        matched.add(anchor.id)
        anchor.rules_flag = _disagreement(current_fields(anchor), candidate, extractor_version)
    for target in touched:
        if target.id not in matched and target.origin == "machine":
            target.rules_flag = f"rules {extractor_version} no longer find this target"
    document.extractor_version = extractor_version
    session.flush()
    flagged = sum(1 for t in touched if t.rules_flag)
    return ReextractOutcome(added=added, removed=len(stale), kept=len(touched), flagged=flagged)


def _best_overlap(candidate: FoundTarget, touched: Sequence[Target]) -> Target | None:
    best, best_size = None, 0
    for target in touched:
        size = min(candidate.end, target.end) - max(candidate.start, target.start)
        if size > best_size:
            best, best_size = target, size
    return best


def _disagreement(current: dict[str, object], candidate: FoundTarget, version: str) -> str | None:
    differences = [
        f"{name}={getattr(candidate, name)!r} (decided {current.get(name)!r})"
        for name in COMPARED_FIELDS
        if not _same(current.get(name), getattr(candidate, name))
    ]
    return f"rules {version} disagree: " + ", ".join(differences) if differences else None


def _same(a: object, b: object) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) <= 0.05
    return a == b
