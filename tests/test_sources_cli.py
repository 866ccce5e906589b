"""`klimamaal sources`, `crawl`, `runs`, `documents --failed` and `diff` through click, on SQLite and the
real Prefect engine, against a portal on 127.0.0.1."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from klimamaal.cli import main
from tests.webserver import Portal, greve_meetings, serve_portal


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("KLIMAMAAL_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("KLIMAMAAL_HOST_DELAY", "0")
    return CliRunner()


def invoke(runner: CliRunner, *args: str, code: int = 0) -> str:
    result = runner.invoke(main, list(args))
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


def test_sources_are_added_listed_exported_imported_and_removed(runner: CliRunner, tmp_path: Path) -> None:
    invoke(
        runner,
        "sources",
        "add",
        "https://greve.dk/politik/dagsordener",
        "--municipality",
        "Greve",
        "--kind",
        "agenda",
        "--follow",
        "/dagsorden/",
    )
    invoke(
        runner, "sources", "add", "https://greve.dk/klimaplan.pdf", "--municipality", "253", "--kind", "plan"
    )
    exported = invoke(runner, "sources", "export")
    assert exported.count("url = ") == 2 and 'follow = "/dagsorden/"' in exported and "depth = 1" in exported
    listed = [
        json.loads(line) for line in invoke(runner, "sources", "list", "--format", "jsonl").splitlines()
    ]
    assert [(s["municipality"], s["depth"]) for s in listed] == [("Greve", 1), ("Greve", 0)]

    invoke(runner, "sources", "remove", str(listed[0]["id"]))
    assert invoke(runner, "sources", "export").count("url = ") == 1
    (tmp_path / "sources.toml").write_text(exported, encoding="utf-8")
    assert "2 sources" in invoke(runner, "sources", "import", str(tmp_path / "sources.toml"))
    again = tomllib.loads(invoke(runner, "sources", "export"))["source"]
    assert sorted(again, key=str) == sorted(
        tomllib.loads(exported)["source"], key=str
    )  # updated, not doubled


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["http://127.0.0.1:notaport/x.pdf"], "malformed URL"),
        (["ftp://greve.dk/x.pdf"], "malformed URL"),
        (["https://greve.dk/", "--municipality", "Atlantis"], "unknown municipality 'Atlantis'"),
        (["https://greve.dk/", "--follow", "(unclosed"], "no regular expression"),
    ],
)
def test_a_bad_source_is_refused_with_the_reason(runner: CliRunner, args: list[str], message: str) -> None:
    assert message in invoke(runner, "sources", "add", *args, code=1)


@pytest.mark.usefixtures("prefect_harness")
def test_crawl_runs_and_failed_documents(runner: CliRunner) -> None:
    portal = Portal(meetings=greve_meetings()[:2])
    with serve_portal(portal):
        invoke(
            runner, "sources", "add", portal.url + "/", "--municipality", "Greve", "--follow", "/meetings/"
        )
        invoke(runner, "sources", "add", portal.url + "/gone.pdf", "--municipality", "Greve")
        planned = invoke(runner, "crawl", "--dry-run")
        assert "gone.pdf" in planned and greve_meetings()[0].name[:20] in planned
        assert not portal.requests_for("/meetings/")  # a dry run reads index pages only
        assert "crawl run" in invoke(runner, "crawl", "--no-progress")
    runs = [json.loads(line) for line in invoke(runner, "runs", "--format", "jsonl").splitlines()]
    assert [(r["new"], r["failed"], r["status"]) for r in runs] == [(2, 1, "finished")]
    assert f"{portal.url}/gone.pdf" in runs[0]["errors"] and "HTTP 404" in runs[0]["errors"]
    failed = [
        json.loads(line) for line in invoke(runner, "documents", "--failed", "--format", "jsonl").splitlines()
    ]
    assert [(d["source"], "HTTP 404" in d["error"]) for d in failed] == [(f"{portal.url}/gone.pdf", True)]
    # every source failing (the portal is gone now) is a failed run, and says so by its exit code
    result = runner.invoke(main, ["crawl", "--no-progress"])
    assert result.exit_code == 1 and "every source failed" in result.output


@pytest.mark.usefixtures("prefect_harness")
def test_diff_shows_a_changed_target(runner: CliRunner, tmp_path: Path) -> None:
    plan = tmp_path / "plan.txt"
    for value in (50, 60):
        plan.write_text(
            "Senest i 2030 er CO₂-udledningen reduceret med 70 % i forhold til 1990.\n\n"
            f"I 2025 er energiforbruget i kommunens bygninger reduceret med {value} % i forhold til 2015.\n",
            encoding="utf-8",
        )
        invoke(runner, "ingest", str(plan), "--no-progress")
    documents = [json.loads(line) for line in invoke(runner, "documents", "--format", "jsonl").splitlines()]
    assert [d["superseded_by"] for d in documents] == [documents[1]["id"], None]
    output = invoke(runner, "diff", str(documents[0]["id"]), str(documents[1]["id"]))
    assert "+0 -0 ~1 targets (1 the same)" in output and "value=50.0" in output
    assert "no document 999" in invoke(runner, "diff", "1", "999", code=1)
