"""The ingest-side commands, run through click on a real SQLite database and the real Prefect engine."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from klimamaal.cli import main
from klimamaal.config import CORPUS_DIR


@pytest.fixture
def runner(tmp_path, monkeypatch) -> CliRunner:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KLIMAMAAL_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    return CliRunner()


def invoke(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.usefixtures("prefect_harness")
def test_ingest_then_list_documents_and_targets(runner: CliRunner) -> None:
    output = invoke(runner, "ingest", str(CORPUS_DIR), "--no-progress")
    assert "summary" in output and "failed" in output

    documents = [json.loads(line) for line in invoke(runner, "documents", "--format", "jsonl").splitlines()]
    assert documents and all(d["status"] == "extracted" for d in documents)
    assert any(d["municipality"] and d["municipality"].startswith("Ballerup") for d in documents)

    rows = list(csv.DictReader(io.StringIO(invoke(runner, "targets", "--format", "csv"))))
    assert len(rows) == sum(d["targets"] for d in documents)
    assert all(r["status"] == "pending" for r in rows)

    ballerup = list(
        csv.DictReader(
            io.StringIO(invoke(runner, "targets", "--municipality", "Ballerup", "--format", "csv"))
        )
    )
    assert ballerup and len(ballerup) < len(rows)
    assert {r["municipality"] for r in ballerup} == {next(r["municipality"] for r in ballerup)}
    by_code = invoke(runner, "targets", "--municipality", "151", "--format", "csv")
    assert len(list(csv.DictReader(io.StringIO(by_code)))) == len(ballerup)
    assert invoke(runner, "targets", "--status", "accepted", "--format", "jsonl") == ""

    first = documents[0]
    of_first = list(
        csv.DictReader(
            io.StringIO(invoke(runner, "targets", "--document", str(first["id"]), "--format", "csv"))
        )
    )
    assert len(of_first) == first["targets"] and len({r["document"] for r in of_first}) == 1
    table = invoke(runner, "targets", "--document", str(first["id"]))
    assert table.count(" pending ") == first["targets"]  # one row per target of that document only
    assert max(len(line) for line in table.splitlines()) <= 80  # reads in a terminal of 80 columns
    for row in of_first:  # each target's id and figures are there
        assert row["id"] in table and (not row["value"] or f"{float(row['value']):g}" in table)
        assert not row["target_year"] or row["target_year"] in table

    again = invoke(runner, "reextract", "--no-progress")
    assert "reextract: summary" in again
    after = list(csv.DictReader(io.StringIO(invoke(runner, "targets", "--format", "csv"))))

    def found(r: dict[str, str]) -> tuple[str, ...]:
        return (r["document"], r["page"], r["quote"], r["value"], r["target_year"], r["rules"])

    assert sorted(map(found, after)) == sorted(map(found, rows))  # the same rules find the same targets


def test_listing_an_unmigrated_database_says_what_to_do(runner: CliRunner) -> None:
    result = runner.invoke(main, ["documents"])
    assert result.exit_code != 0
    assert "klimamaal db upgrade" in result.output


def test_db_upgrade_and_current(runner: CliRunner) -> None:
    assert "database at revision head" in invoke(runner, "db", "upgrade")
    current = invoke(runner, "db", "current")
    head = current.split("head:")[1].strip()
    assert current.startswith(f"current: {head}")


def test_ingest_rejects_a_missing_path(runner: CliRunner) -> None:
    result = runner.invoke(main, ["ingest", "/no/such/plan.pdf"])
    assert result.exit_code == 2 and "/no/such/plan.pdf does not exist" in result.output
