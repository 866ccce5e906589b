"""Deployments own the schedules: the flows themselves know nothing about when they run.

`klimamaal schedule` serves these; schedules fire only against a real
Prefect server (`prefect server start`, with PREFECT_API_URL pointing at it).
"""

from __future__ import annotations

from prefect import serve
from prefect.deployments.runner import RunnerDeployment

from flows.ingest import ingest_flow
from flows.reextract import reextract_flow
from klimamaal.config import DEFAULT_CRON


def ingest_deployment(
    paths: list[str], cron: str = DEFAULT_CRON, database_url: str | None = None
) -> RunnerDeployment:
    """Re-ingest ``paths`` on a cron schedule; new and changed plans are picked up, unchanged ones skipped."""
    return ingest_flow.to_deployment(
        name="scheduled-ingest",
        cron=cron,
        parameters={"paths": paths, "database_url": database_url, "progress": False},
        description="Ingest the registered sources; unchanged bytes are skipped by their sha256.",
    )


def reextract_deployment(database_url: str | None = None) -> RunnerDeployment:
    """On-demand re-extraction (no schedule): run it after the rules change."""
    return reextract_flow.to_deployment(name="reextract", parameters={"database_url": database_url})


def serve_deployments(paths: list[str], cron: str, database_url: str | None) -> None:
    serve(ingest_deployment(paths, cron, database_url), reextract_deployment(database_url))
