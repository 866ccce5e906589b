"""Run records: a dead run is closed by the next one, a live one is left alone; a temporary Prefect server
that cannot start is said so; two requests to one host are the host's delay apart."""

from __future__ import annotations

import datetime as dt
import os
import socket
import time

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from klimamaal.ingest import RunSummary
from klimamaal.runs import STALE_AFTER, close_run, open_run
from models import IngestRun, utcnow


def test_the_next_run_closes_dead_runs_and_leaves_live_ones(sessions) -> None:  # type: ignore[no-untyped-def]
    here = socket.gethostname()
    with sessions.begin() as session:
        old = utcnow() - STALE_AFTER - dt.timedelta(seconds=5)
        session.add_all(
            [
                IngestRun(kind="crawl", status="running", host="other-machine", pid=1, heartbeat_at=old),
                IngestRun(kind="crawl", status="running", host="other-machine", pid=1, heartbeat_at=utcnow()),
                IngestRun(kind="crawl", status="running", host=here, pid=os.getpid(), heartbeat_at=old),
                IngestRun(
                    kind="crawl", status="running", host=here, pid=2**22 + 12345, heartbeat_at=utcnow()
                ),
            ]
        )
    run_id, closed = open_run(sessions, "crawl", [], "v1")
    assert sorted(c.id for c in closed) == [
        1,
        3,
        4,
    ]  # stale elsewhere, stale here, and a process that is gone
    with sessions() as session:
        status = dict(session.execute(select(IngestRun.id, IngestRun.status)).all())
    assert status == {1: "failed", 2: "running", 3: "failed", 4: "failed", run_id: "running"}
    assert close_run(sessions, run_id, RunSummary()) == "finished"


def test_a_temporary_prefect_server_that_cannot_start_is_said_so(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from klimamaal.cli import main

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("KLIMAMAAL_PREFECT_START_TIMEOUT", "0.01")
    monkeypatch.setenv("KLIMAMAAL_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    result = CliRunner().invoke(main, ["crawl", "--no-progress"])
    assert result.exit_code == 1
    assert "Prefects midlertidige server startede ikke" in result.output
    assert "did not start within 0.01 s" in result.output and "PREFECT_API_URL" in result.output


def test_requests_to_one_host_are_the_delay_apart() -> None:
    from klimamaal.crawling import Hosts
    from klimamaal.fetching import FetchLimits, new_client
    from tests.webserver import Portal, serve_portal

    limits = FetchLimits(deadline=10)
    portal = Portal(meetings=[], files={"/a.txt": (b"a", "text/plain"), "/b.txt": (b"b", "text/plain")})
    with serve_portal(portal), new_client(limits) as client:
        hosts = Hosts(client, limits, delay=0.5)
        clock = time.monotonic()
        for name in ("a", "b"):
            hosts.get(f"{portal.url}/{name}.txt").discard()
        assert time.monotonic() - clock >= 0.5
        assert [r.path for r in portal.log] == ["/robots.txt", "/a.txt", "/b.txt"]
        assert "klimamaal/" in client.headers["User-Agent"] and "contact" in client.headers["User-Agent"]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_one_setting_sizes_the_readers_page_pool(monkeypatch, workers: str) -> None:  # type: ignore[no-untyped-def]
    from extractors.readers.pdf_pool import parallel_enabled

    monkeypatch.setenv("KLIMAMAAL_WORKERS", workers)
    assert parallel_enabled() == (workers == "2" and (os.cpu_count() or 1) >= 2)
