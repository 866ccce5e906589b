"""Deployments own the schedules: the flows themselves know nothing about when they run.

`klimamaal schedule` serves these against a real Prefect server (`prefect
server start`, with PREFECT_API_URL pointing at it): schedules fire only
there. For more than one machine, the same deployment can be created on a
work pool instead and run by `prefect worker start` on each machine (README,
"When one machine is not enough").
"""

from __future__ import annotations

import datetime as dt

from prefect import serve
from prefect.deployments.runner import RunnerDeployment

from flows.ingest import ingest_flow
from flows.reextract import reextract_flow
from klimamaal.config import DEFAULT_CRON


def crawl_deployment(
    paths: list[str],
    cron: str | None = DEFAULT_CRON,
    database_url: str | None = None,
    interval: float | None = None,
) -> RunnerDeployment:
    """Crawl the registered sources (and ``paths``) on a schedule: new and changed documents are picked up,
    unchanged ones cost a conditional request."""
    schedule = {"interval": dt.timedelta(seconds=interval)} if interval else {"cron": cron or DEFAULT_CRON}
    return ingest_flow.to_deployment(
        name="scheduled-crawl",
        parameters={"paths": paths, "database_url": database_url, "progress": False, "crawl": True},
        description="Crawl the registered sources; unchanged documents are skipped by conditional requests "
        "and the fingerprint of their text.",
        **schedule,
    )


def reextract_deployment(database_url: str | None = None) -> RunnerDeployment:
    """On-demand re-extraction (no schedule): run it after the rules change."""
    return reextract_flow.to_deployment(name="reextract", parameters={"database_url": database_url})


def serve_deployments(
    paths: list[str], cron: str | None, database_url: str | None, interval: float | None = None
) -> None:
    serve(crawl_deployment(paths, cron, database_url, interval), reextract_deployment(database_url))
