"""Run records that are true after a crash: opened at the start, kept alive by a heartbeat, closed at the end.

A run killed with ``kill -9`` cannot close its record. So a run records its
host, process id and a heartbeat (every ``HEARTBEAT_SECONDS``), and each new
run first closes the runs that are dead: on this host, a process that no
longer exists; on any host, a heartbeat older than ``STALE_AFTER``. A live
concurrent run is left alone. The caller is told which runs it closed, so it
can say so (and mark their Prefect flow runs as crashed).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.engine import refresh_statistics
from models import IngestRun, RunItem, utcnow

HEARTBEAT_SECONDS = 10.0
#: A run whose heartbeat is older than this is dead, whatever host it ran on.
STALE_AFTER = dt.timedelta(seconds=120)


@dataclass(frozen=True)
class ClosedRun:
    """A dead run the new one closed, for the message and for Prefect."""

    id: int
    host: str | None
    pid: int | None
    flow_run_id: str | None

    def describe(self) -> str:
        return (
            f"run {self.id} (process {self.pid} on {self.host}) had stopped without closing: closed as failed"
        )


def _alive(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def close_dead_runs(
    session: Session, *, closer: int | None = None, now: dt.datetime | None = None
) -> list[ClosedRun]:
    """Close the runs still marked running whose process is gone or whose heartbeat is stale."""
    now = now or utcnow()
    host = socket.gethostname()
    closed = []
    for run in session.scalars(
        select(IngestRun).where(IngestRun.status == "running", IngestRun.id != closer)
    ):
        beat = run.heartbeat_at or run.started_at
        gone_here = run.host == host and not _alive(run.pid)
        if not gone_here and now - beat < STALE_AFTER:
            continue
        run.status = "failed"
        run.finished_at = now
        why = (
            f"process {run.pid} on {run.host} is gone"
            if gone_here
            else f"no heartbeat since {beat:%Y-%m-%d %H:%M:%S}"
        )
        run.error = f"the run stopped without closing ({why}); closed by run {closer}"
        closed.append(ClosedRun(run.id, run.host, run.pid, run.flow_run_id))
    return closed


def open_run(
    sessions: sessionmaker[Session],
    kind: str,
    sources: list[str],
    extractor_version: str,
    flow_run_id: str | None = None,
) -> tuple[int, list[ClosedRun]]:
    """Record a run as running (host, pid, heartbeat); close dead runs. Returns its id and those closed."""
    with sessions.begin() as session:
        run = IngestRun(
            kind=kind,
            started_at=utcnow(),
            sources=sources,
            extractor_version=extractor_version,
            status="running",
            host=socket.gethostname(),
            pid=os.getpid(),
            heartbeat_at=utcnow(),
            flow_run_id=flow_run_id,
        )
        session.add(run)
        session.flush()
        run_id = run.id
        closed = close_dead_runs(session, closer=run_id)
    return run_id, closed


@contextmanager
def heartbeat(
    sessions: sessionmaker[Session], run_id: int, every: float = HEARTBEAT_SECONDS
) -> Iterator[None]:
    """Keep the run's heartbeat fresh while the body runs (a daemon thread; a missed beat is harmless)."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(every):
            try:
                with sessions.begin() as session:
                    session.get_one(IngestRun, run_id).heartbeat_at = utcnow()
            except Exception:  # noqa: BLE001 - a busy database skips one beat; the next one counts
                continue

    thread = threading.Thread(target=beat, name=f"klimamaal-heartbeat-{run_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=every + 1)


def close_run(
    sessions: sessionmaker[Session],
    run_id: int,
    summary,  # type: ignore[no-untyped-def]  # klimamaal.ingest.RunSummary
    *,
    error: str | None = None,
) -> str:
    """Store the run's figures and what it did per place, and close it; returns its status.

    A run in which every place failed (or that raised) is "failed"; so is its exit code.
    """
    figures = summary.figures()
    everything_failed = bool(summary.outcomes) and summary.failed == len(summary.outcomes)
    status = "failed" if error or everything_failed else "finished"
    with sessions.begin() as session:
        run = session.get_one(IngestRun, run_id)
        run.finished_at = utcnow()
        run.heartbeat_at = run.finished_at
        run.status = status
        run.error = error or ("every source failed" if everything_failed else None)
        for name in ("new", "changed", "unchanged", "failed", "pages", "targets"):
            setattr(run, name, figures[name])
        session.add_all(
            RunItem(
                run_id=run_id,
                location=o.source,
                status=o.status,
                document_id=o.document_id,
                previous_id=o.previous_id,
                targets=o.targets,
                error=o.error,
                detail=o.detail or o.warning,
            )
            for o in summary.outcomes
        )
    if summary.new or summary.changed:  # new rows: the planner's statistics may be out of date
        refresh_statistics(sessions.kw["bind"])
    return status


def run_rows(sessions: sessionmaker[Session], last: int = 10) -> list[dict[str, object]]:
    """The newest runs, newest first, with the places that failed or changed."""
    with sessions() as session:
        runs = session.scalars(select(IngestRun).order_by(IngestRun.id.desc()).limit(last)).all()
        rows = []
        for run in runs:
            problems = [
                f"{i.location}: {i.error}" for i in run.items if i.error and i.status in ("failed", "no_text")
            ]
            changes = [f"{i.location}: {i.detail}" for i in run.items if i.status == "changed" and i.detail]
            rows.append(
                {
                    "id": run.id,
                    "kind": run.kind,
                    "status": run.status,
                    "started": f"{run.started_at:%Y-%m-%d %H:%M:%S}",
                    "finished": f"{run.finished_at:%Y-%m-%d %H:%M:%S}" if run.finished_at else "",
                    "new": run.new,
                    "changed": run.changed,
                    "unchanged": run.unchanged,
                    "failed": run.failed,
                    "targets": run.targets,
                    "host": f"{run.host}:{run.pid}" if run.host else "",
                    "errors": "\n".join(([run.error] if run.error else []) + problems),
                    "changes": "\n".join(changes),
                }
            )
        return rows
