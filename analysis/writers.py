"""Write a report's sheets as report.html, report.xlsx and one CSV per sheet.

- XLSX: one sheet per view, frozen header, autofilter, column widths, real numbers and dates,
  text that would start a formula stored as text (``db.export``'s rule).
- CSV: UTF-8 with a BOM; the ``international`` dialect (comma, decimal point) or ``excel-da``
  (semicolon, decimal comma: what Danish Excel opens as columns); formulas neutralised.
- HTML: one self-contained file (styles inline, charts as SVG, no script, no network), printable.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import multiprocessing
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from analysis.charts import report_charts
from analysis.records import Statement
from analysis.report import Report
from analysis.sheets import Sheet, report_sheets, value_text
from db.export import FORMULA_STARTS, csv_cell

DIALECTS = ("international", "excel-da")
#: First characters of text a spreadsheet would run as a formula (``db.export.FORMULA_STARTS``).
FORMULA_FIRST = frozenset("".join(FORMULA_STARTS))
#: Day 0 of Excel's 1900 date system (1899-12-30, as Excel counts with its 1900 leap-year quirk).
EXCEL_EPOCH = dt.date(1899, 12, 30).toordinal()


def csv_value(value: Any, dialect: str) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
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
    text when a user edits the cell (``db.export``'s rule)."""
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
                    write_string(r, c, "ja" if value else "nej")
                elif isinstance(value, dt.date):
                    # a date is a number of days since Excel's epoch, shown with a date format
                    write_number(r, c, value.toordinal() - EXCEL_EPOCH, date)
                else:
                    write_string(r, c, str(value))
    workbook.close()
    return binary.getvalue()


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("analysis", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = html_value
    return env


def html_value(value: Any) -> str:
    """A cell as the HTML report shows it: Danish numbers (decimal comma), dates as dd-mm-yyyy."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.10g}".replace(".", ",")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def file_href(statement: Statement) -> str:
    """Where a statement's passage is, for a reader of the file: the document's URL (a PDF at its page)."""
    source = statement.document.source
    if source.startswith(("http://", "https://")):
        return source + (
            f"#page={statement.page}" if statement.page and source.lower().endswith(".pdf") else ""
        )
    if source.startswith("/"):
        return Path(source).as_uri()
    return "#"


#: Rows of a view shown in the HTML report; the XLSX and CSVs hold all of them.
HTML_ROW_LIMIT = 2000


def report_context(report: Report, sheets: list[Sheet]) -> dict[str, Any]:
    """What the report body needs; the web app adds its own ``source_href``."""
    return {
        "report": report,
        "sheets": sheets,
        "charts": report_charts(report),
        "value_text": value_text,
        "row_limit": HTML_ROW_LIMIT,
    }


def report_html(report: Report, sheets: list[Sheet]) -> str:
    return (
        _env()
        .get_template("report.html")
        .render(**report_context(report, sheets), source_href=file_href, generated=dt.datetime.now(dt.UTC))
    )


def write_report(report: Report, out_dir: Path, dialect: str = "international") -> list[Path]:
    """Write report.html, report.xlsx and the CSVs into ``out_dir``; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    sheets = report_sheets(report)
    html, xlsx = out_dir / "report.html", out_dir / "report.xlsx"
    # The workbook takes most of the time; where the platform forks, a child process writes it (from the
    # sheets it shares with this process, nothing is copied) while this one writes the HTML and CSVs.
    child = None
    if "fork" in multiprocessing.get_all_start_methods():
        child = multiprocessing.get_context("fork").Process(
            target=_write_xlsx, args=(sheets, xlsx), daemon=True
        )
        child.start()
    html.write_text(report_html(report, sheets), encoding="utf-8")
    written = [html, xlsx]
    for sheet in sheets:
        path = out_dir / sheet.filename
        path.write_bytes(sheet_csv(sheet, dialect))
        written.append(path)
    if child is None:
        _write_xlsx(sheets, xlsx)
    else:
        child.join()
        if child.exitcode != 0 or not xlsx.exists():
            raise RuntimeError(f"writing {xlsx} failed (the writer process exited with {child.exitcode})")
    return written


def _write_xlsx(sheets: list[Sheet], path: Path) -> None:
    partial = path.with_suffix(".xlsx.part")
    partial.write_bytes(sheets_xlsx(sheets))
    partial.replace(path)
