"""Crawl 200 documents from a portal on 127.0.0.1: first crawl, second crawl (unchanged), threads vs Dask.

The portal (``tests/webserver.py``) serves an index page linking 200 meeting
pages: the 41 Greve meetings of ../shared/real/greve, each in up to five
editions that differ by one paragraph (so each is its own document). The
per-host delay is 0, so the figures are about klimamaal, not politeness.

Printed: the first crawl (read, extract, store everything), the second (all
conditional requests answered 304) and their ratio (goal at most 5 %), the
first crawl with the Dask task runner (a local cluster of ``--workers``
processes, its start included) on a fresh database against threads, and the
peak memory of this process and its children (sampled every 20 ms), which
the temporary Prefect server is one of.

    .venv/bin/python benchmarks/bench_crawl.py [--documents 200] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

os.environ.setdefault("KLIMAMAAL_HOST_DELAY", "0")
os.environ.setdefault("PREFECT_HOME", str(ROOT / ".prefect" / "bench"))

from klimamaal.config import prepare_prefect_env  # noqa: E402

prepare_prefect_env()


class PeakMemory:
    """The largest sum of resident memory of this process and its descendants, sampled every 20 ms."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(0.02):
            try:
                processes = [me, *me.children(recursive=True)]
                total = sum(p.memory_info().rss for p in processes if p.is_running())
            except psutil.Error:
                continue
            self.peak = max(self.peak, total)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def editions(count: int) -> dict[str, tuple[bytes, str]]:
    from tests.webserver import greve_meetings

    files: dict[str, tuple[bytes, str]] = {}
    meetings = greve_meetings()
    for n in range(count):
        meeting = meetings[n % len(meetings)]
        edition = n // len(meetings)
        body = meeting.read_bytes().replace(
            b"</main>", f"<p>Udgave {edition} af mødet, offentliggjort som dokument {n}.</p></main>".encode()
        )
        files[f"/meetings/{edition}/{meeting.name}"] = (body, "text/html; charset=utf-8")
    return files


def crawl(url: str, runner: str, workers: int):  # type: ignore[no-untyped-def]
    os.environ["KLIMAMAAL_TASK_RUNNER"] = runner
    os.environ["KLIMAMAAL_WORKERS"] = str(workers)
    from flows.ingest import ingest_flow
    from flows.runners import task_runner

    clock = time.perf_counter()
    summary = ingest_flow.with_options(task_runner=task_runner())(database_url=url, crawl=True)
    return time.perf_counter() - clock, summary


def prepared(url: str, portal_url: str) -> str:
    from db.engine import session_factory
    from db.migrate import upgrade
    from klimamaal.ingest import seed_municipalities
    from klimamaal.registry import SourceSpec, add_sources

    upgrade(url)
    sessions = session_factory(url)
    seed_municipalities(sessions)
    add_sources(sessions, [SourceSpec(portal_url + "/", "Greve", "agenda", follow="/meetings/", depth=1)])
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-dask", action="store_true", help="Only the two crawls with threads.")
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="postgresql: a throwaway cluster",
    )
    args = parser.parse_args()

    from flows.server import prefect_api
    from tests.webserver import Portal, serve_portal

    portal = Portal(meetings=[], files=editions(args.documents))
    folder = Path(tempfile.mkdtemp(prefix="klimamaal-bench-crawl-"))
    cluster = None
    if args.database == "postgresql":
        from tests.pgcluster import start_cluster

        cluster = start_cluster()

    def database(name: str) -> str:
        return cluster.create_database() if cluster else f"sqlite:///{folder / name}"

    try:
        with serve_portal(portal), prefect_api(), PeakMemory() as memory:
            figures = measure(args, portal, database)
    finally:
        if cluster is not None:
            cluster.stop()
    report(args, memory, *figures)


def measure(args: argparse.Namespace, portal, database):  # type: ignore[no-untyped-def]
    """The first and second crawl with threads, and a first crawl with Dask on a fresh database."""
    threads_url = prepared(database("threads.db"), portal.url)
    first, summary = crawl(threads_url, "threads", args.workers)
    assert summary.new == args.documents and summary.failed == 0, summary.figures()
    portal.log.clear()
    second, again = crawl(threads_url, "threads", args.workers)
    assert again.unchanged == args.documents and again.new == 0, again.figures()
    conditional = sum(1 for r in portal.log if r.status == 304)
    dask = None
    if not args.no_dask:
        dask_url = prepared(database("dask.db"), portal.url)
        dask, on_dask = crawl(dask_url, "dask", args.workers)
        assert on_dask.new == args.documents, on_dask.figures()
    return first, summary, second, conditional, dask


def report(args: argparse.Namespace, memory: PeakMemory, first, summary, second, conditional, dask) -> None:  # type: ignore[no-untyped-def]
    n = args.documents
    print(f"database                       {args.database}")
    print(f"documents                      {n} ({summary.pages} pages, {summary.targets} targets)")
    print(f"first crawl, threads ({args.workers})       {first:8.2f} s   {n / first:6.2f} documents/s")
    print(f"second crawl (unchanged)        {second:8.2f} s   {conditional} answers 304")
    print(f"second / first                  {second / first:8.2%}   (goal at most 5 %)")
    if dask is not None:
        print(f"first crawl, Dask ({args.workers} processes)  {dask:8.2f} s   {n / dask:6.2f} documents/s")
        print(f"Dask / threads throughput       {first / dask:8.2f}")
    print(f"peak memory with children       {memory.peak / 1048576:8.0f} MB")


if __name__ == "__main__":
    main()
