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
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from analysis.charts import report_charts
from analysis.records import Statement
from analysis.report import Report
from analysis.sheets import Sheet, report_sheets, value_text
from db.export import csv_cell, is_formula_like

DIALECTS = ("international", "excel-da")


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
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        ws = workbook.create_sheet(_xlsx_sheet_name(sheet.name))
        ws.append([c.header for c in sheet.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append(row)
        for index, column in enumerate(sheet.columns, 1):
            letter = get_column_letter(index)
            ws.column_dimensions[letter].width = column.width
            if column.kind == "date":
                for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = "dd-mm-yyyy"
            elif column.kind == "text" or column.kind == "url":
                for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                    if is_formula_like(cell.value):
                        cell.data_type = "s"
                        cell.quotePrefix = True
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{max(len(sheet.rows) + 1, 1)}"
    binary = io.BytesIO()
    workbook.save(binary)
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
    written = []
    html = out_dir / "report.html"
    html.write_text(report_html(report, sheets), encoding="utf-8")
    xlsx = out_dir / "report.xlsx"
    xlsx.write_bytes(sheets_xlsx(sheets))
    written += [html, xlsx]
    for sheet in sheets:
        path = out_dir / sheet.filename
        path.write_bytes(sheet_csv(sheet, dialect))
        written.append(path)
    return written
