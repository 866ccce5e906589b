"""Write a report's sheets as report.html, report.xlsx and one CSV per sheet.

- XLSX: one sheet per view, frozen header, autofilter, column widths, real numbers and dates,
  text that would start a formula stored as text (``db.export``'s rule).
- CSV: UTF-8 with a BOM; the ``international`` dialect (comma, decimal point) or ``excel-da``
  (semicolon, decimal comma: what Danish Excel opens as columns); formulas neutralised.
- HTML: one self-contained file (styles inline, charts as SVG, no script, no network), printable.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from analysis.charts import report_charts
from analysis.records import Statement
from analysis.report import Report
from analysis.sheets import report_sheets, value_text
from db.sheets import Sheet, sheet_csv, sheets_xlsx


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
