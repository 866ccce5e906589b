"""Writing documents and targets: the storage half of ingest and re-extraction.

These functions run inside one transaction that the caller owns, so a document
is stored whole or not at all. Ingest stores a document window by window
(``start_document``, ``store_window``, ``finish_document``) with bulk INSERTs
that keep no ORM object in the session, so the memory of a long document's
ingest does not grow with its pages and targets; the database holds the open
transaction, not Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session, selectinload

from db.reviews import current_fields
from db.search import index_pages
from extractors.document import Page as ReadPage
from extractors.document import locate
from extractors.same_target import same_target_key
from extractors.target import Target as FoundTarget
from extractors.windowed import WindowedExtraction, WindowExtractor, page_windows
from models import TARGET_FIELDS, Block, Document, Municipality, Page, Target, TargetReview, utcnow

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


def start_document(
    session: Session,
    info: DocumentInfo,
    title: str | None,
    media_type: str | None,
    extractor_version: str,
    previous_id: int | None = None,
) -> Document:
    """The row of a document being stored (its pages and targets follow through ``store_window``);
    ``previous_id`` is the document its place served before, else the newest one of its source key.

    An earlier failure recorded for the same bytes becomes this document (the row is
    filled in, never deleted: documents are superseded, not removed).
    """
    document = find_by_sha(session, info.sha256)
    if document is None:
        previous = (
            session.get(Document, previous_id) if previous_id else latest_version(session, info.source_key)
        )
        document = _document_row(info, previous)
    elif document.status == "extracted":
        _clear_reading(session, document)  # read again (its pages awaited OCR): what a reviewer made stays
    else:
        _describe(document, info)
        document.error = None
        document.fetched_at = utcnow()
    document.title = info.title or title
    document.media_type = info.media_type or media_type
    document.status = "extracted"
    document.extractor_version = extractor_version
    session.add(document)
    session.flush()
    return document


def _clear_reading(session: Session, document: Document) -> None:
    """Forget a stored reading of a document so it can be read again: its pages and the machine targets no
    reviewer touched. Reviewed and added targets stay, with their history (see :func:`is_touched`)."""
    touched = select(TargetReview.target_id)
    session.execute(
        delete(Target).where(
            Target.document_id == document.id, Target.origin == "machine", Target.id.not_in(touched)
        )
    )
    session.execute(
        delete(Block).where(Block.page_id.in_(select(Page.id).where(Page.document_id == document.id)))
    )
    session.execute(delete(Page).where(Page.document_id == document.id))
    session.expire(document)


def store_window(
    session: Session,
    document_id: int,
    pages: Sequence[ReadPage],
    starts: Sequence[int],
    targets: Sequence[FoundTarget],
    extractor_version: str,
) -> None:
    """Insert a window of pages (starting at document offsets ``starts``), their blocks and its targets;
    the pages are indexed for full-text search in the same transaction (:mod:`db.search`)."""
    page_ids = session.scalars(
        insert(Page).returning(Page.id, sort_by_parameter_order=True),
        [
            {
                "document_id": document_id,
                "number": page.number,
                "start_offset": start,
                "text": page.text,
                "ocr": page.ocr,
                "ocr_confidence": page.ocr_confidence,
            }
            for page, start in zip(pages, starts, strict=True)
        ],
    ).all()
    index_pages(session, [(page_id, page.text) for page_id, page in zip(page_ids, pages, strict=True)])
    blocks = [
        {"page_id": page_id, "position": i, "kind": b.kind, "start": b.start, "end": b.end}
        for page_id, page in zip(page_ids, pages, strict=True)
        for i, b in enumerate(page.blocks)
    ]
    if blocks:
        session.execute(insert(Block), blocks)
    if targets:
        numbers = [page.number for page in pages]
        ocr = {page.number for page in pages if page.ocr == "ocr"}
        rows = [_target_values(t, list(starts), numbers, extractor_version, ocr) for t in targets]
        session.execute(insert(Target), [{**row, "document_id": document_id} for row in rows])


def finish_document(
    session: Session,
    document: Document,
    pages: int,
    ocr_pages: int,
    warning: str | None,
    text_fingerprint: str | None = None,
) -> None:
    document.text_fingerprint = text_fingerprint
    document.page_count = pages
    document.ocr_pages = ocr_pages
    document.warning = warning
    session.flush()


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


def _target_values(
    found: FoundTarget,
    page_starts: list[int],
    page_numbers: list[int],
    extractor_version: str,
    ocr_pages: set[int] | frozenset[int] = frozenset(),
) -> dict[str, object]:
    page, page_start = locate(page_starts, page_numbers, found.start)
    return {
        "origin": "machine",
        "page_number": page,
        "start": found.start,
        "end": found.end,
        "page_start": page_start,
        "page_end": page_start + (found.end - found.start),
        "rule_ids": list(found.rule_ids),
        "extractor_version": extractor_version,
        "confidence": found.confidence,
        "band": found.band,
        "evidence": [{"feature": f, "weight": w, "patterns": list(p)} for f, w, p in found.evidence],
        "status": "pending",
        "revision": 0,
        "ocr": page in ocr_pages,
        **{name: getattr(found, name) for name in TARGET_FIELDS},
    }


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
    session: Session, document: Document, extract: WindowExtractor, extractor_version: str
) -> ReextractOutcome:
    """Bring the untouched machine targets of ``document`` in line with what the current rules find.

    An untouched target the rules find again at the same place as the same
    target (``extractors.same_target``) keeps its row and id, with the new
    score, band and rules; the others are deleted, and findings that match
    none are inserted. So unchanged rules change nothing and a link to a
    pending target stays valid.

    Touched targets (see :func:`is_touched`) stay as they are. Where a new finding
    overlaps a touched target, it is not added again; if it disagrees with the
    target's current values, the target is flagged with what the rules now say. A
    touched machine target that the rules no longer find at all is flagged too.

    The stored pages are read and extracted window by window (as at ingest, see
    ``extractors.windowed``), so a long document is re-extracted in bounded memory.
    """
    untouched = (Target.document_id == document.id) & (Target.origin == "machine") & ~Target.reviews.any()
    waiting: dict[tuple[int, int, str], list[int]] = {}
    for target_id, start, end, quote, *values in session.execute(
        select(
            Target.id, Target.start, Target.end, Target.quote, *(getattr(Target, n) for n in TARGET_FIELDS)
        )
        .where(untouched)
        .order_by(Target.id)
    ):
        key = (start, end, same_target_key(quote, dict(zip(TARGET_FIELDS, values, strict=True))))
        waiting.setdefault(key, []).append(target_id)
    touched = sorted(
        session.scalars(
            select(Target)
            .where(Target.document_id == document.id, ~untouched)
            .options(selectinload(Target.reviews))
        ),
        key=lambda t: t.start,
    )
    matched: set[int] = set()
    added = 0
    extraction = WindowedExtraction(extract)
    for window in page_windows(_stored_pages(session, document.id)):
        window_start = extraction.offset
        starts, found = extraction.window(window)
        near = [t for t in touched if t.end > window_start and t.start < extraction.offset]
        numbers = [page.number for page in window]
        ocr = {page.number for page in window if page.ocr == "ocr"}
        rows, kept = [], []
        for candidate in found:
            values = _target_values(candidate, starts, numbers, extractor_version, ocr)
            same = waiting.get((candidate.start, candidate.end, same_target_key(candidate.quote, values)))
            if same:
                kept.append({"id": same.pop(0), **_rescored(values)})
                continue
            anchor = _best_overlap(candidate, near)
            if anchor is None:
                rows.append({**values, "document_id": document.id})
                continue
            matched.add(anchor.id)
            anchor.rules_flag = _disagreement(current_fields(anchor), candidate, extractor_version)
        if kept:
            session.execute(update(Target), kept)
        if rows:
            session.execute(insert(Target), rows)
            added += len(rows)
    gone = [target_id for ids in waiting.values() for target_id in ids]
    for chunk in range(0, len(gone), 500):
        session.execute(
            delete(Target).where(Target.id.in_(gone[chunk : chunk + 500])),
            execution_options={"synchronize_session": False},
        )
    for target in touched:
        if target.id not in matched and target.origin == "machine":
            target.rules_flag = f"rules {extractor_version} no longer find this target"
    document.extractor_version = extractor_version
    session.flush()
    session.expire(document, ["targets"])
    flagged = sum(1 for t in touched if t.rules_flag)
    return ReextractOutcome(added=added, removed=len(gone), kept=len(touched), flagged=flagged)


def _rescored(values: dict[str, object]) -> dict[str, object]:
    """What re-extraction updates on a target it finds again: how and how surely it was found."""
    return {
        k: values[k]
        for k in ("rule_ids", "extractor_version", "confidence", "band", "evidence", *TARGET_FIELDS)
    }


def _stored_pages(session: Session, document_id: int) -> Iterator[ReadPage]:
    """The stored pages of a document, fetched a few at a time, as the readers made them."""
    rows = session.execute(
        select(Page.number, Page.text, Page.ocr).where(Page.document_id == document_id).order_by(Page.number),
        execution_options={"yield_per": 8},
    )
    for number, text, ocr in rows:
        yield ReadPage(number=number, text=text, ocr=ocr)


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
