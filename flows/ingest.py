"""The ingest flow: discover -> one task per document -> summary.

Each document task runs the core ``ingest_source`` in its own transaction; a
failure is recorded on that document and the flow goes on. Database tasks use
no cache: their result depends on the database, not only on their inputs.
"""

from __future__ import annotations

import datetime as dt

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from db.engine import session_factory
from db.migrate import upgrade
from extractors import extract_for_review, extractor_version
from flows.progress import progress_bar
from klimamaal.config import database_url as default_database_url
from klimamaal.ingest import (
    IngestOutcome,
    RunSummary,
    Source,
    discover,
    ingest_source,
    record_run,
    seed_municipalities,
)
from models import utcnow


@task(name="prepare-database", cache_policy=NO_CACHE)
def prepare_database(url: str) -> None:
    upgrade(url)
    seed_municipalities(session_factory(url))


@task(name="discover", cache_policy=NO_CACHE)
def discover_sources(locations: list[str]) -> list[Source]:
    return discover(locations)


@task(name="ingest-document", cache_policy=NO_CACHE, task_run_name="ingest {source.name}")
def ingest_document(url: str, source: Source) -> IngestOutcome:
    return ingest_source(session_factory(url), source, extract_for_review, extractor_version())


@task(name="summarise", cache_policy=NO_CACHE)
def summarise(url: str, kind: str, locations: list[str], summary: RunSummary, started_at: dt.datetime) -> int:
    run_id = record_run(session_factory(url), kind, locations, summary, started_at, extractor_version())
    create_table_artifact(
        key=f"{kind}-summary",
        table=[summary.figures()] + summary.rows(),
        description=f"klimamaal {kind} run {run_id}: "
        + ", ".join(f"{k} {v}" for k, v in summary.figures().items()),
    )
    return run_id


@flow(name="ingest", log_prints=True)
def ingest_flow(paths: list[str], database_url: str | None = None, progress: bool = False) -> RunSummary:
    """Ingest files, folders and URLs into the database and summarise the run."""
    url = database_url or default_database_url()
    started_at = utcnow()
    prepare_database(url)
    sources = discover_sources(paths)
    summary = RunSummary()
    with progress_bar(len(sources), "ingest", enabled=progress) as advance:
        for source in sources:
            outcome = ingest_document(url, source)
            summary.add(outcome)
            if outcome.error or outcome.warning:
                get_run_logger().warning(outcome.error or outcome.warning)
            advance(source.name)
    summarise(url, "ingest", [str(p) for p in paths], summary, started_at)
    return summary
