"""Exports of reviewed targets: CSV and XLSX for analysts, gold-format JSONL for `klimamaal evaluate`.

The spreadsheets hold, unless asked for more, the targets a reviewer kept (accepted or corrected), in
Danish, with the municipality's code, the source URL and version of the document and its review
status, written by :mod:`db.sheets` like the comparison report.

A target's exported values are its current ones (latest decision, else the
machine's). The JSONL export turns review work into regression gold: each
line is a passage (the paragraph(s) of the page around reviewed targets,
overlapping passages merged) with the targets a reviewer kept; a passage
holding only rejected targets becomes a negative (``"targets": []``), which the
scorer values as much as a positive.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.queries import counts_as_target, is_current_target
from db.reviews import current_fields, latest_decision, quote_span
from db.sheets import Column, Sheet, sheet_csv, sheets_xlsx
from db.versions import document_versions
from extractors.labels import BAND_LABELS, FIELD_LABELS, ORIGIN_LABELS, STATUS_LABELS, danish
from extractors.target import GOLD_KEYS
from models import TARGET_FIELDS, Document, Municipality, Page, Target

DECIDED = ("accepted", "edited", "rejected")
#: What an analyst's spreadsheet holds unless asked for more: the targets a reviewer kept.
KEPT = ("accepted", "edited")
FORMATS = ("csv", "xlsx", "jsonl")
#: Fields beyond the gold format's, exported beside them.
EXTRA_KEYS = tuple(name for name in TARGET_FIELDS if name not in GOLD_KEYS)
#: Spreadsheet columns: (key of :meth:`ExportRow.as_dict`, column). Tests and readers find a column by key.
EXPORT_COLUMNS: tuple[tuple[str, Column], ...] = (
    ("id", Column("Mål-id", 8, "int")),
    ("municipality_code", Column("Kommunekode", 8, "int")),
    ("municipality", Column("Kommune", 16)),
    ("document_id", Column("Dokument-id", 8, "int")),
    ("document", Column("Dokument", 30)),
    ("source", Column("Kilde-URL", 40, "url")),
    ("version", Column("Version", 8, "int")),
    ("dated", Column("Dato", 11, "date")),
    ("page", Column("Side", 6, "int")),
    ("status", Column("Gennemgang", 12)),
    ("band", Column("Bånd", 8)),
    ("origin", Column("Fundet af", 10)),
    ("kind", Column(FIELD_LABELS["kind"], 12)),
    ("sector", Column(FIELD_LABELS["sector"], 14)),
    ("scope", Column(FIELD_LABELS["scope"], 16)),
    ("direction", Column(FIELD_LABELS["direction"], 12)),
    ("bound", Column(FIELD_LABELS["bound"], 8)),
    ("value", Column(FIELD_LABELS["value"], 9, "number")),
    ("unit", Column(FIELD_LABELS["unit"], 8)),
    ("rate", Column(FIELD_LABELS["rate"], 8)),
    ("target_year", Column(FIELD_LABELS["target_year"], 8, "int")),
    ("deadline_kind", Column(FIELD_LABELS["deadline_kind"], 8)),
    ("baseline_year", Column(FIELD_LABELS["baseline_year"], 8, "int")),
    ("baseline_label", Column(FIELD_LABELS["baseline_label"], 16)),
    ("start_year", Column(FIELD_LABELS["start_year"], 8, "int")),
    ("strength", Column(FIELD_LABELS["strength"], 12)),
    ("interim", Column(FIELD_LABELS["interim"], 7)),
    ("metric", Column("Måles på", 24)),
    ("quote", Column(FIELD_LABELS["quote"], 60)),
    ("rule_ids", Column("Regler", 24)),
    ("confidence", Column("Score", 7, "number")),
    ("ocr", Column("OCR", 5)),
    ("reviewer", Column("Bedømmer", 12)),
    ("reviewed_at", Column("Gennemgået", 11, "date")),
    ("note", Column("Note", 30)),
    ("rules_flag", Column("Regel-advarsel", 30)),
)
assert {key for key, _ in EXPORT_COLUMNS} >= set(TARGET_FIELDS)


@dataclass(frozen=True)
class ExportRow:
    target: Target
    fields: dict[str, Any]
    municipality: Municipality | None
    document: Document
    version: int

    def as_dict(self) -> dict[str, Any]:
        """The row's cells by key, in Danish where a value is a code, numbers and dates as such."""
        review = latest_decision(self.target)
        document = self.document
        return {
            "id": self.target.id,
            "municipality_code": self.municipality.code if self.municipality else None,
            "municipality": self.municipality.name if self.municipality else None,
            "document_id": document.id,
            "document": document.title or document.source,
            "source": document.source,
            "version": self.version,
            "dated": document.published_on or document.fetched_at.date(),
            "page": self.target.page_number,
            "status": STATUS_LABELS.get(self.target.status, self.target.status),
            "band": BAND_LABELS.get(self.target.band, self.target.band),
            "origin": ORIGIN_LABELS.get(self.target.origin, self.target.origin),
            **{name: danish(name, value) for name, value in self.fields.items()},
            "rule_ids": ",".join(self.target.rule_ids or []),
            "confidence": self.target.confidence,
            "ocr": danish("ocr", bool(self.target.ocr)),
            "reviewer": review.reviewer if review else None,
            "reviewed_at": review.created_at.date() if review else None,
            "note": review.note if review else None,
            "rules_flag": self.target.rules_flag,
        }


def parse_statuses(text: str | None, fmt: str = "csv") -> tuple[str, ...]:
    """ "accepted,edited" -> ("accepted", "edited"). Empty means the targets a reviewer kept for a
    spreadsheet, and every decided status for gold JSONL (a rejected target is a negative there)."""
    if not text:
        return DECIDED if fmt == "jsonl" else KEPT
    statuses = tuple(s.strip() for s in text.split(",") if s.strip())
    unknown = [s for s in statuses if s not in (*DECIDED, "pending")]
    if unknown:
        raise ValueError(f"unknown status {', '.join(unknown)}; use {', '.join((*DECIDED, 'pending'))}")
    return statuses


def reviewed_rows(session: Session, statuses: Sequence[str] = KEPT) -> Iterator[ExportRow]:
    """Targets with one of ``statuses``, in document order, with their current values; suggestions only
    once a reviewer accepted or corrected them (:func:`db.queries.counts_as_target`); of current versions only."""
    query = (
        select(Target, Municipality, Document)
        .join(Document, Document.id == Target.document_id)
        .outerjoin(Municipality, Municipality.code == Document.municipality_code)
        .where(Target.status.in_(tuple(statuses)), counts_as_target(), is_current_target())
        .options(selectinload(Target.reviews))
        .order_by(Target.document_id, Target.start, Target.id)
    )
    versions = document_versions(session)
    for target, municipality, document in session.execute(query):
        yield ExportRow(target, current_fields(target), municipality, document, versions[document.id])


def export_sheet(rows: Iterable[ExportRow]) -> Sheet:
    """The targets as one table (written by :mod:`db.sheets`, as the comparison report's are)."""
    keys = [key for key, _ in EXPORT_COLUMNS]
    table = [[values[key] for key in keys] for values in (row.as_dict() for row in rows)]
    return Sheet("Mål", "Gennemgåede mål", tuple(c for _, c in EXPORT_COLUMNS), table, "maal.csv")


def write_csv(rows: Iterable[ExportRow], out: io.BufferedIOBase, dialect: str = "international") -> int:
    sheet = export_sheet(rows)
    out.write(sheet_csv(sheet, dialect))
    return len(sheet.rows)


def _paragraph(page: Page, start: int, end: int) -> tuple[int, int]:
    """The blocks a span lies in, else the blank-line-separated paragraph around it."""
    covering = [b for b in page.blocks if b.start < end and start < b.end]
    if covering:
        return min(start, *(b.start for b in covering)), max(end, *(b.end for b in covering))
    text = page.text
    lo = text.rfind("\n\n", 0, start)
    hi = text.find("\n\n", end)
    return (0 if lo == -1 else lo + 2), (len(text) if hi == -1 else hi)


def gold_lines(session: Session, statuses: Sequence[str] = DECIDED) -> Iterator[dict[str, Any]]:
    """Gold-format passages built from reviewed targets (see the module docstring)."""
    by_page: dict[tuple[int, int], list[ExportRow]] = {}
    for row in reviewed_rows(session, statuses):
        if row.target.page_number is None:
            continue
        by_page.setdefault((row.target.document_id, row.target.page_number), []).append(row)
    for (document_id, number), rows in by_page.items():
        page = session.scalar(
            select(Page)
            .where(Page.document_id == document_id, Page.number == number)
            .options(selectinload(Page.blocks))
        )
        if page is None:
            continue
        spans = []
        for row in rows:
            span = quote_span(page.text, row.target, row.fields["quote"])
            if span is not None:
                spans.append((*_paragraph(page, *span), span, row))
        spans.sort(key=lambda item: item[0])
        groups: list[list[Any]] = []
        for item in spans:
            if groups and item[0] < groups[-1][1]:
                groups[-1][1] = max(groups[-1][1], item[1])
                groups[-1][2].append(item)
            else:
                groups.append([item[0], item[1], [item]])
        for lo, hi, items in groups:
            yield _gold_line(session, document_id, number, page.text[lo:hi], lo, hi, items)


def _gold_line(
    session: Session, document_id: int, number: int, text: str, lo: int, hi: int, items: list[Any]
) -> dict[str, Any]:
    """One passage in the format of tests/gold (only the keys its checker allows; provenance in source/note)."""
    targets = []
    kept: list[str] = []
    rejected: list[str] = []
    for _, _, _, row in items:
        if row.target.status == "rejected":
            rejected.append(f"#{row.target.id}")
            continue
        kept.append(f"#{row.target.id}")
        target = {key: row.fields[key] for key in GOLD_KEYS}
        target.update({key: row.fields[key] for key in EXTRA_KEYS if row.fields[key] is not None})
        targets.append(target)
    unreviewed = session.scalar(
        select(Target.id)
        .where(
            Target.document_id == document_id,
            Target.page_number == number,
            Target.status == "pending",
            Target.page_start < hi,
            Target.page_end > lo,
        )
        .limit(1)
    )
    note = "reviewed targets " + ", ".join(kept) if kept else "negative"
    if rejected:
        note += "; rejected " + ", ".join(rejected)
    if unreviewed is not None:
        note += "; the passage also holds unreviewed machine targets"
    if any(row.target.ocr for _, _, _, row in items):
        note += "; the page was read by OCR"
    return {
        "id": f"review-d{document_id}-p{number}-{lo}",
        "text": text,
        "targets": targets,
        "source": f"klimamaal review: document {document_id}, page {number}, characters {lo}-{hi}",
        "note": note,
    }


def write_jsonl(lines: Iterable[dict[str, Any]], out: io.TextIOBase) -> int:
    n = 0
    for line in lines:
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
        n += 1
    return n


def export_bytes(
    session: Session, fmt: str, statuses: Sequence[str] | None = None, dialect: str = "international"
) -> bytes:
    """The whole export in one format, as bytes (for the web download and the CLI); ``statuses`` default
    as :func:`parse_statuses` gives them; ``dialect`` is the CSV's (:data:`db.sheets.DIALECTS`)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use {', '.join(FORMATS)}")
    chosen = parse_statuses(None, fmt) if statuses is None else statuses
    if fmt == "jsonl":
        text = io.StringIO()
        write_jsonl(gold_lines(session, chosen), text)
        return text.getvalue().encode("utf-8")
    sheet = export_sheet(reviewed_rows(session, chosen))
    return sheet_csv(sheet, dialect) if fmt == "csv" else sheets_xlsx([sheet])
