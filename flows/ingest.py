"""The ingest flow: open the run -> expand the sources -> one task per place -> close the run.

One flow serves ``klimamaal ingest PATH…`` (files, folders, URLs) and
``klimamaal crawl`` (the registered sources). Places fetched before are first
asked whether they changed, in chunks (``klimamaal.checking``); every other
place is one task on the configured task runner (``flows.runners``): it
fetches politely (robots.txt, per-host delay, conditional requests), refuses
soft 404s and stores through the core ``ingest_source`` in its own
transactions. A failure of one place is
recorded on the place and the run and the run goes on; a 5xx or a timeout is
retried by Prefect with backoff, never a 4xx. The run is recorded when it
starts (closing dead runs, whose Prefect flow runs are marked crashed) and
closed when it ends, with a summary artifact.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import TaskRunContext
from sqlalchemy import select

from db.engine import session_factory
from db.migrate import upgrade
from extractors import extract_for_review, extractor_version
from flows.progress import progress_bar
from klimamaal.checking import CHUNK, Checked, check_places, known_places, polite_get
from klimamaal.config import database_url as default_database_url
from klimamaal.config import fetch_retries
from klimamaal.crawling import Hosts, expand_source
from klimamaal.fetching import Download, FetchFailed, FetchLimits, new_client
from klimamaal.ingest import (
    IngestOutcome,
    RunSummary,
    Source,
    discover,
    ingest_source,
    record_fetch_failure,
    seed_municipalities,
)
from klimamaal.registry import SourceSpec, list_sources, record_pass
from klimamaal.runs import ClosedRun, close_run, heartbeat, open_run
from models import Location

_hosts_lock = threading.Lock()
_hosts: dict[str, Hosts] = {}


def hosts_for(run_key: str) -> Hosts:
    """The politeness state of one run in this process (threads share it; each Dask worker has its own)."""
    with _hosts_lock:
        if run_key not in _hosts:
            for old in list(_hosts):  # one run at a time per process keeps its hosts
                _hosts.pop(old).client.close()
            limits = FetchLimits.from_env()
            _hosts[run_key] = Hosts(new_client(limits), limits)
        return _hosts[run_key]


@task(name="prepare-database", cache_policy=NO_CACHE)
def prepare_database(url: str) -> None:
    upgrade(url)
    seed_municipalities(session_factory(url))


def _transient(task, task_run, state) -> bool:  # type: ignore[no-untyped-def]
    """Retry a place only for what a retry can cure: a 5xx or a timeout (``FetchFailed.transient``)."""
    try:
        state.result()
    except FetchFailed as error:
        return error.transient
    except Exception:  # noqa: BLE001
        return False
    return False


#: Tasks that fetch: never cached, retried with backoff for what a retry can cure (``_transient``).
FETCHING: dict[str, Any] = {
    "cache_policy": NO_CACHE,
    "retries": fetch_retries(),
    "retry_delay_seconds": [1, 4, 16],
    "retry_condition_fn": _transient,
}


def _last_attempt() -> bool:
    context = TaskRunContext.get()
    if context is None:
        return True
    return context.task_run.run_count > (context.task.retries or 0)


@task(name="expand-source", task_run_name="expand {spec.url}", **FETCHING)
def expand(url: str, spec: SourceSpec, run_key: str) -> tuple[list[Source], list[tuple[str, str]]]:
    """The places of a registered source (an index page's links); a 5xx or timeout is retried."""
    return expand_source(hosts_for(run_key), session_factory(url), spec, raise_transient=not _last_attempt())


@task(name="check-places", cache_policy=NO_CACHE)
def check(url: str, places: list[Source], run_key: str) -> list[Checked]:
    """Conditional requests for a chunk of places fetched before (``klimamaal.checking``)."""
    return check_places(hosts_for(run_key), session_factory(url), places)


@task(name="ingest-place", task_run_name="ingest {source.location}", **FETCHING)
def ingest_place(url: str, source: Source, run_key: str, fetched: Download | None = None) -> IngestOutcome:
    """Fetch (for a URL, unless ``fetched`` brought its bytes to this machine) and store one place; a failure
    ends as a recorded outcome, a transient one after the last retry."""
    sessions = session_factory(url)
    if fetched is not None and (fetched.path is None or not fetched.path.exists()):
        fetched = None  # checked on another machine: fetch it here
    if source.is_url and fetched is None:
        with sessions() as session:
            known = session.scalar(select(Location).where(Location.key == source.key))
            usable = known is not None and known.document_id is not None and known.status == "ok"
            conditions = {"etag": known.etag, "last_modified": known.last_modified} if usable else {}
        try:
            fetched = polite_get(hosts_for(run_key), source, **conditions)
        except FetchFailed as error:
            if error.transient and not _last_attempt():
                raise
            record_fetch_failure(sessions, source, str(error))
            return IngestOutcome(source=source.location, status="failed", error=str(error))
    return ingest_source(sessions, source, extract_for_review, extractor_version(), fetched)


def _submitted(url: str, places: list[Source], run_key: str) -> list[tuple[Source, object]]:
    """Each place with its outcome (a 304, a failure met while checking) or the future of its ingest task."""
    known = known_places(session_factory(url), places)
    asked = [p for p in places if p.key in known]
    checks = [check.submit(url, asked[i : i + CHUNK], run_key) for i in range(0, len(asked), CHUNK)]
    answers: dict[str, object] = {}
    for future in checks:
        for place, answer in future.result():
            answers[place.key] = answer
    submitted: list[tuple[Source, object]] = []
    for place in places:
        answer = answers.get(place.key)
        if isinstance(answer, IngestOutcome):
            submitted.append((place, answer))
        else:
            submitted.append((place, ingest_place.submit(url, place, run_key, answer)))
    return submitted


@task(name="close-dead-flow-runs", cache_policy=NO_CACHE)
def mark_crashed(closed: Sequence[ClosedRun]) -> None:
    """The Prefect flow runs of runs that died stay RUNNING; mark them crashed."""
    from prefect.client.orchestration import get_client
    from prefect.states import Crashed

    with get_client(sync_client=True) as client:
        for run in closed:
            if run.flow_run_id:
                try:
                    client.set_flow_run_state(run.flow_run_id, Crashed(message=run.describe()), force=True)
                except Exception as error:  # noqa: BLE001 - another server's run: nothing to mark here
                    get_run_logger().info(f"flow run {run.flow_run_id} not marked: {error}")


def publish(kind: str, run_id: int, summary: RunSummary) -> None:
    create_table_artifact(
        key=f"{kind}-summary",
        table=[summary.figures()] + summary.rows(),
        description=f"klimamaal {kind} run {run_id}: "
        + ", ".join(f"{k} {v}" for k, v in summary.figures().items()),
    )


def _places(
    url: str, paths: list[str], crawl: bool, source_id: int | None, run_key: str, summary: RunSummary
):  # type: ignore[no-untyped-def]
    """The places of a run: files and URLs named, and what the registered sources stand for."""
    places: list[Source] = list(discover(paths)) if paths else []
    passes: dict[int, list[str]] = {}
    if crawl:
        specs = list_sources(session_factory(url), source_id)
        futures = [expand.submit(url, spec, run_key) for spec in specs]
        for spec, future in zip(specs, futures, strict=True):
            found, failures = future.result()
            places.extend(found)
            passes[spec.id] = []
            for place, cause in failures:
                passes[spec.id].append(cause)
                summary.add(IngestOutcome(source=place, status="failed", error=cause))
    unique: dict[str, Source] = {}
    for place in places:  # a place named twice (two sources, a path and its manifest URL) is fetched once
        unique.setdefault(place.key, place)
    return list(unique.values()), passes


@flow(name="ingest", log_prints=True)
def ingest_flow(
    paths: list[str] | None = None,
    database_url: str | None = None,
    progress: bool = False,
    crawl: bool = False,
    source_id: int | None = None,
    dry_run: bool = False,
) -> RunSummary:
    """Ingest files, folders and URLs, and (``crawl``) the registered sources; summarise the run."""
    from prefect.runtime import flow_run

    url = database_url or default_database_url()
    paths = list(paths or [])
    prepare_database(url)
    sessions = session_factory(url)
    run_key = str(flow_run.id or id(paths))
    summary = RunSummary()
    if dry_run:
        places, _ = _places(url, paths, crawl, source_id, run_key, summary)
        summary.outcomes.extend(IngestOutcome(source=p.location, status="planned") for p in places)
        return summary
    names = [*paths, *(["<registered sources>"] if crawl else [])]
    run_id, closed = open_run(
        sessions, "crawl" if crawl else "ingest", names, extractor_version(), flow_run.id
    )
    for dead in closed:
        get_run_logger().warning(dead.describe())
        print(dead.describe())
    if closed:
        mark_crashed(closed)
    error = None
    with heartbeat(sessions, run_id):
        try:
            places, passes = _places(url, paths, crawl, source_id, run_key, summary)
            submitted = _submitted(url, places, run_key)
            with progress_bar(len(submitted), "ingest", enabled=progress) as advance:
                for place, answer in submitted:
                    outcome = answer if isinstance(answer, IngestOutcome) else _outcome(place, answer)
                    summary.add(outcome)
                    if place.source_id is not None and outcome.status in ("failed", "no_text"):
                        passes.setdefault(place.source_id, []).append(outcome.error or outcome.status)
                    if outcome.error or outcome.warning:
                        get_run_logger().warning(outcome.error or outcome.warning)
                    advance(place.name)
            for registered, problems in passes.items():
                record_pass(
                    sessions, registered, "failed" if problems else "ok", "; ".join(problems[:5]) or None
                )
        except BaseException as failure:
            error = f"{type(failure).__name__}: {failure}"
            close_run(sessions, run_id, summary, error=error)
            raise
    summary.run_id = run_id
    summary.status = close_run(sessions, run_id, summary)
    publish("ingest", run_id, summary)
    return summary


def _outcome(place: Source, future) -> IngestOutcome:  # type: ignore[no-untyped-def]
    """The task's outcome; a task that raised all the same (a bug) is a failure of that place only."""
    try:
        return future.result()
    except Exception as error:  # noqa: BLE001
        return IngestOutcome(source=place.location, status="failed", error=f"{place.location}: {error}")
