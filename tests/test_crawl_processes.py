"""`klimamaal crawl` as processes: killed with -9 mid-crawl, two at once, scheduled on a real Prefect server,
and on PostgreSQL with the Dask task runner. The portal is served on 127.0.0.1 (``tests/webserver.py``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from sqlalchemy import select

from db.engine import session_factory
from db.migrate import upgrade
from klimamaal.ingest import seed_municipalities
from klimamaal.registry import SourceSpec, add_sources
from models import Document, IngestRun, Location, Target
from tests.webserver import Portal, corpus_pdfs, greve_meetings, serve_portal, wait_for

ROOT = Path(__file__).resolve().parents[1]
KLIMAMAAL = str(Path(sys.executable).parent / "klimamaal")


@pytest.fixture(scope="module")
def portal() -> Iterator[Portal]:
    served = Portal(meetings=greve_meetings()[:4], files=dict(list(corpus_pdfs().items())[:1]))
    served.hold.set()
    with serve_portal(served):
        yield served


def prepared(url: str, portal: Portal) -> str:
    upgrade(url)
    sessions = session_factory(url)
    seed_municipalities(sessions)
    add_sources(
        sessions,
        [
            SourceSpec(portal.url + "/", "Greve", "agenda", follow="/(meetings|plans)/", depth=1),
            SourceSpec(portal.url + "/hold.pdf", "Greve", "plan"),
        ],
    )
    return url


def env(tmp_path: Path, **extra: str) -> dict[str, str]:
    variables = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    variables.update(
        KLIMAMAAL_HOST_DELAY="0",
        PREFECT_HOME=str(tmp_path / "prefect"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        **extra,
    )
    return variables


def crawl_process(url: str, tmp_path: Path, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [KLIMAMAAL, "crawl", "--database-url", url, "--no-progress"],
        cwd=ROOT,
        env=env(tmp_path, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def rows(url: str) -> dict[str, list[tuple[object, ...]]]:
    """What a crawl leaves, without ids or times: documents, their targets, and what each place serves."""
    with session_factory(url)() as session:
        sha = dict(session.execute(select(Document.id, Document.sha256)).all())
        return {
            "documents": sorted(
                session.execute(
                    select(
                        Document.sha256,
                        Document.status,
                        Document.page_count,
                        Document.superseded_at.is_(None),
                    )
                ).all()
            ),
            "targets": sorted(
                (sha[t.document_id], t.start, t.end, t.quote, t.value, t.status, t.band)
                for t in session.scalars(select(Target))
            ),
            "locations": sorted(
                (location.key.split("/", 3)[-1], sha.get(location.document_id))
                for location in session.scalars(select(Location))
            ),
        }


@pytest.fixture(scope="module")
def clean_run(
    portal: Portal, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[tuple[object, ...]]]:
    tmp_path = tmp_path_factory.mktemp("clean")
    url = prepared(f"sqlite:///{tmp_path / 'clean.db'}", portal)
    process = crawl_process(url, tmp_path)
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 0, output
    return rows(url)


def test_kill_9_mid_crawl_then_a_rerun(portal: Portal, clean_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = prepared(f"sqlite:///{tmp_path / 'killed.db'}", portal)
    portal.hold.clear()
    portal.held.clear()
    try:
        process = crawl_process(url, tmp_path)
        wait_for(portal.held.is_set, 300, "the crawl to request the held document")
        ours = [p.pid for p in psutil.Process(process.pid).children(recursive=True)]
        assert ours, "the crawl runs its temporary Prefect server as a child"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        portal.hold.set()

    def orphans() -> list[int]:
        return [pid for pid in ours if psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"]

    wait_for(lambda: not orphans(), 20, "the killed crawl's processes to end")
    with session_factory(url)() as session:
        (killed,) = session.scalars(select(IngestRun)).all()
        assert killed.status == "running" and killed.pid == process.pid

    rerun = crawl_process(url, tmp_path)
    output, _ = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, output
    assert f"run {killed.id} (process {process.pid}" in output and "closed as failed" in output
    with session_factory(url)() as session:
        first, second = session.scalars(select(IngestRun).order_by(IngestRun.id)).all()
        assert first.status == "failed" and "is gone" in first.error
        assert second.status == "finished"
    assert rows(url) == clean_run


def test_two_crawls_at_once_on_one_database(portal: Portal, clean_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = prepared(f"sqlite:///{tmp_path / 'shared.db'}", portal)
    processes = [crawl_process(url, tmp_path), crawl_process(url, tmp_path)]
    for process in processes:
        output, _ = process.communicate(timeout=600)
        assert process.returncode == 0, output
    assert rows(url) == clean_run
    places = len(clean_run["locations"]) - 1  # the index page is a place but no document
    with session_factory(url)() as session:
        runs = session.scalars(select(IngestRun).order_by(IngestRun.id)).all()
    assert [r.status for r in runs] == ["finished", "finished"]
    assert sum(r.new for r in runs) == places  # each document new in one run only
    assert all(r.new + r.unchanged == places and r.failed == 0 for r in runs)


def test_schedule_refuses_without_a_prefect_server(tmp_path: Path) -> None:
    result = subprocess.run(
        [KLIMAMAAL, "schedule", "--interval", "5", "--database-url", f"sqlite:///{tmp_path / 'x.db'}"],
        cwd=ROOT,
        env=env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "no Prefect server is configured" in result.stderr and "prefect server start" in result.stderr
    assert "Traceback" not in result.stderr


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_scheduled_run_on_a_prefect_server_ingests_a_new_meeting(tmp_path: Path) -> None:
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    server_env = env(tmp_path, PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="2", PREFECT_UI_ENABLED="false")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "prefect"),
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    served = Portal(meetings=greve_meetings()[5:7])
    schedule = None
    try:
        from flows.server import api_healthy

        wait_for(lambda: api_healthy(api), 180, "prefect server start")
        with serve_portal(served):
            url = f"sqlite:///{tmp_path / 'scheduled.db'}"
            upgrade(url)
            sessions = session_factory(url)
            seed_municipalities(sessions)
            add_sources(
                sessions, [SourceSpec(served.url + "/", "Greve", "agenda", follow="/meetings/", depth=1)]
            )
            schedule = subprocess.Popen(
                [KLIMAMAAL, "schedule", "--interval", "5", "--database-url", url],
                cwd=ROOT,
                env={**env(tmp_path, PREFECT_RUNNER_POLL_FREQUENCY="2"), "PREFECT_API_URL": api},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )

            def stored() -> set[str]:
                with sessions() as session:
                    return {Path(s).name for s in session.scalars(select(Document.source))}

            wait_for(lambda: len(stored()) == 2, 240, "a scheduled run to ingest the two meetings")
            newest = greve_meetings()[7]
            served.publish(newest)
            wait_for(lambda: newest.name in stored(), 240, "a scheduled run to ingest the published meeting")

            def closed_runs() -> list[tuple[str, int, int]]:
                with sessions() as session:
                    return [
                        (r.kind, r.new, r.unchanged)
                        for r in session.scalars(select(IngestRun).where(IngestRun.status == "finished"))
                    ]

            wait_for(lambda: ("crawl", 1, 2) in closed_runs(), 60, "the run that found it to close")
            assert ("crawl", 2, 0) in closed_runs()
    finally:
        for process in (schedule, server):
            if process is not None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        time.sleep(0.5)


@pytest.mark.postgres
@pytest.mark.usefixtures("prefect_harness")
def test_dask_on_postgresql_stores_what_threads_on_sqlite_store(
    portal: Portal, pg_cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from flows.ingest import ingest_flow
    from flows.runners import task_runner

    monkeypatch.setenv("KLIMAMAAL_HOST_DELAY", "0")
    results = {}
    for runner, url in (
        ("threads", f"sqlite:///{tmp_path / 'threads.db'}"),
        ("dask", pg_cluster.create_database()),
    ):
        monkeypatch.setenv("KLIMAMAAL_TASK_RUNNER", runner)
        monkeypatch.setenv("KLIMAMAAL_WORKERS", "2")
        prepared(url, portal)
        summary = ingest_flow.with_options(task_runner=task_runner())(database_url=url, crawl=True)
        assert summary.failed == 0 and summary.new == 6, summary.rows()
        results[runner] = rows(url)
    assert results["dask"] == results["threads"]
