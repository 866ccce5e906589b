"""Typed tables written as CSV and XLSX, for the people who open them in a spreadsheet.

The review export and the comparison report both write through here, so a file
from either opens the same way: Danish column names, real numbers and dates, a
frozen header with a filter, column widths, and text that would start a formula
kept as text.

- XLSX: one worksheet per table, written row by row with XlsxWriter.
- CSV: UTF-8 with a BOM (so Excel reads it as UTF-8); the ``international``
  dialect (comma, decimal point) or ``excel-da`` (semicolon, decimal comma: what
  Danish Excel splits into columns).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from extractors.labels import NO, YES


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 14
    #: "text", "int", "number", "date", "url"
    kind: str = "text"


@dataclass(frozen=True)
class Sheet:
    name: str
    title: str
    columns: tuple[Column, ...]
    rows: list[list[Any]]
    #: the CSV file the sheet is written to
    filename: str


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


DIALECTS = ("international", "excel-da")
#: First characters of text a spreadsheet would run as a formula (``FORMULA_STARTS``).
FORMULA_FIRST = frozenset("".join(FORMULA_STARTS))
#: Day 0 of Excel's 1900 date system (1899-12-30, as Excel counts with its 1900 leap-year quirk).
EXCEL_EPOCH = dt.date(1899, 12, 30).toordinal()


def csv_value(value: Any, dialect: str) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float):
        text = f"{value:.10g}"
        return text.replace(".", ",") if dialect == "excel-da" else text
    if isinstance(value, dt.date):
        return value.isoformat()
    return csv_cell(value)


def sheet_csv(sheet: Sheet, dialect: str = "international") -> bytes:
    if dialect not in DIALECTS:
        raise ValueError(f"unknown CSV dialect {dialect!r}; use {', '.join(DIALECTS)}")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if dialect == "excel-da" else ",", lineterminator="\r\n")
    writer.writerow([c.header for c in sheet.columns])
    for row in sheet.rows:
        writer.writerow([csv_value(v, dialect) for v in row])
    return out.getvalue().encode("utf-8-sig")


def _xlsx_sheet_name(name: str) -> str:
    return "".join(ch for ch in name if ch not in "[]:*?/\\")[:31]


def sheets_xlsx(sheets: list[Sheet]) -> bytes:
    """The workbook, written row by row with XlsxWriter (about twice openpyxl's speed on 50,000 rows,
    which matters for the 10-second goal of BENCHMARKS.md). Text is always written as text (never as a
    formula, URL or number); text that would start a formula gets Excel's quote prefix too, so it stays
    text when a user edits the cell."""
    import xlsxwriter

    binary = io.BytesIO()
    options = {
        "constant_memory": True,
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    workbook = xlsxwriter.Workbook(binary, options)
    bold = workbook.add_format({"bold": True})
    date = workbook.add_format({"num_format": "dd-mm-yyyy"})
    quoted = workbook.add_format({"quote_prefix": True})
    for sheet in sheets:
        ws = workbook.add_worksheet(_xlsx_sheet_name(sheet.name))
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, len(sheet.rows), len(sheet.columns) - 1)
        for index, column in enumerate(sheet.columns):
            ws.set_column(index, index, column.width)
            ws.write_string(0, index, column.header, bold)
        write_string, write_number = ws.write_string, ws.write_number
        for r, row in enumerate(sheet.rows, 1):
            for c, value in enumerate(row):
                if value is None:
                    continue
                kind = type(value)
                if kind is str:
                    if value:
                        write_string(r, c, value, quoted if value[0] in FORMULA_FIRST else None)
                elif kind is int or kind is float:
                    write_number(r, c, value)
                elif kind is bool:
                    write_string(r, c, YES if value else NO)
                elif isinstance(value, dt.date):
                    # a date is a number of days since Excel's epoch, shown with a date format
                    write_number(r, c, value.toordinal() - EXCEL_EPOCH, date)
                else:
                    write_string(r, c, str(value))
    workbook.close()
    return binary.getvalue()
