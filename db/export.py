"""Exports of reviewed targets: CSV and XLSX for analysts, gold-format JSONL for `klimamaal evaluate`.

A target's exported values are its current ones (latest decision, else the
machine's). The JSONL export turns review work into regression gold: each
line is a passage (the paragraph(s) of the page around reviewed targets,
overlapping passages merged) with the targets a reviewer kept; a passage
holding only rejected targets becomes a negative (``"targets": []``), which the
scorer values as much as a positive.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.queries import counts_as_target, is_current_target
from db.reviews import current_fields, latest_decision, quote_span
from extractors.target import GOLD_KEYS
from models import TARGET_FIELDS, Document, Municipality, Page, Target

DECIDED = ("accepted", "edited", "rejected")
FORMATS = ("csv", "xlsx", "jsonl")
#: Fields beyond the gold format's, exported beside them.
EXTRA_KEYS = tuple(name for name in TARGET_FIELDS if name not in GOLD_KEYS)
COLUMNS = (
    "id",
    "municipality",
    "document_id",
    "document",
    "page",
    "status",
    "band",
    "origin",
    *TARGET_FIELDS,
    "rule_ids",
    "confidence",
    "ocr",
    "reviewer",
    "reviewed_at",
    "note",
    "rules_flag",
)


@dataclass(frozen=True)
class ExportRow:
    target: Target
    fields: dict[str, Any]
    municipality: str | None
    document_title: str | None

    def as_dict(self) -> dict[str, Any]:
        review = latest_decision(self.target)
        return {
            "id": self.target.id,
            "municipality": self.municipality,
            "document_id": self.target.document_id,
            "document": self.document_title,
            "page": self.target.page_number,
            "status": self.target.status,
            "band": self.target.band,
            "origin": self.target.origin,
            **self.fields,
            "rule_ids": ",".join(self.target.rule_ids or []),
            "confidence": self.target.confidence,
            "ocr": self.target.ocr,
            "reviewer": review.reviewer if review else None,
            "reviewed_at": review.created_at.isoformat(timespec="seconds") if review else None,
            "note": review.note if review else None,
            "rules_flag": self.target.rules_flag,
        }


#: Starts of a cell that a spreadsheet runs as a formula (or a DDE command): = + - @, and tab and CR,
#: which some programs skip before looking for one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """A value for a CSV cell: text that would start a formula gets a leading apostrophe.

    Document text, metrics and notes come from PDFs, web pages and people; a cell
    "=HYPERLINK(...)" opened in a spreadsheet would run. The apostrophe makes it
    text there (and shows in other readers: the JSONL export keeps the exact text).
    Numbers stay numbers: a negative value is not a formula. (One test of a prefix;
    the ``csv`` module and openpyxl have no option for it, and a package for it
    would be a dependency for two lines.)
    """
    return "'" + value if is_formula_like(value) else value


def parse_statuses(text: str | None) -> tuple[str, ...]:
    """ "accepted,edited" -> ("accepted", "edited"); empty means every decided status."""
    if not text:
        return DECIDED
    statuses = tuple(s.strip() for s in text.split(",") if s.strip())
    unknown = [s for s in statuses if s not in (*DECIDED, "pending")]
    if unknown:
        raise ValueError(f"unknown status {', '.join(unknown)}; use {', '.join((*DECIDED, 'pending'))}")
    return statuses


def reviewed_rows(session: Session, statuses: Sequence[str] = DECIDED) -> Iterator[ExportRow]:
    """Targets with one of ``statuses``, in document order, with their current values; suggestions only
    once a reviewer accepted or corrected them (:func:`db.queries.counts_as_target`); of current versions only."""
    query = (
        select(Target, Municipality.name, Document.title)
        .join(Document, Document.id == Target.document_id)
        .outerjoin(Municipality, Municipality.code == Document.municipality_code)
        .where(Target.status.in_(tuple(statuses)), counts_as_target(), is_current_target())
        .options(selectinload(Target.reviews))
        .order_by(Target.document_id, Target.start, Target.id)
    )
    for target, municipality, title in session.execute(query):
        yield ExportRow(target, current_fields(target), municipality, title)


def write_csv(rows: Iterable[ExportRow], out: io.TextIOBase) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({key: csv_cell(value) for key, value in row.as_dict().items()})
        n += 1
    return n


def write_xlsx(rows: Iterable[ExportRow], out: io.BufferedIOBase) -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("targets")
    sheet.append(list(COLUMNS))
    n = 0
    for row in rows:
        values = row.as_dict()
        sheet.append([_cell(sheet, values[c]) for c in COLUMNS])
        n += 1
    workbook.save(out)
    return n


def _cell(sheet: Any, value: Any) -> Any:
    """An XLSX cell: text that would start a formula is stored as text and marked as typed with a
    leading apostrophe (Excel's quotePrefix), so it shows exactly and stays text when edited.

    openpyxl would write a string starting with "=" as a formula; the others are strings
    already, but re-entering such a cell in a spreadsheet would turn it into one.
    """
    if is_formula_like(value):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value


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


def export_bytes(session: Session, fmt: str, statuses: Sequence[str] = DECIDED) -> bytes:
    """The whole export in one format, as bytes (for the web download and the CLI)."""
    if fmt == "csv":
        text = io.StringIO()
        write_csv(reviewed_rows(session, statuses), text)
        return text.getvalue().encode("utf-8-sig")
    if fmt == "jsonl":
        text = io.StringIO()
        write_jsonl(gold_lines(session, statuses), text)
        return text.getvalue().encode("utf-8")
    if fmt == "xlsx":
        binary = io.BytesIO()
        write_xlsx(reviewed_rows(session, statuses), binary)
        return binary.getvalue()
    raise ValueError(f"unknown format {fmt!r}; use {', '.join(FORMATS)}")
