"""The task runner of the per-document work, sized by the one setting ``KLIMAMAAL_WORKERS``.

- ``threads`` (default): a pool of ``KLIMAMAAL_WORKERS`` threads in the run's
  process; downloads overlap, and long PDFs share their pages with the
  readers' one worker process, so two cores are used and not oversubscribed.
- ``dask``: a local Dask cluster of ``KLIMAMAAL_WORKERS`` processes with one
  thread each; the readers' page pool is switched off in them
  (``KLIMAMAAL_PDF_WORKERS=0``), since every core already has a process.
- ``dask://host:port`` (or ``tcp://``): a running Dask scheduler, whose workers
  may be on other machines; they need the project installed and the same
  ``KLIMAMAAL_DATABASE_URL`` (PostgreSQL).
"""

from __future__ import annotations

import os

from prefect.task_runners import ThreadPoolTaskRunner

from klimamaal.config import task_runner_name, workers


def task_runner():  # type: ignore[no-untyped-def]
    name = task_runner_name()
    count = workers()
    if name == "threads":
        return ThreadPoolTaskRunner(max_workers=count)
    if name == "dask" or name.startswith(("dask://", "tcp://")):
        from prefect_dask import DaskTaskRunner

        if name == "dask":
            return DaskTaskRunner(
                cluster_kwargs={
                    "n_workers": count,
                    "threads_per_worker": 1,
                    "processes": True,
                    "dashboard_address": None,
                    "env": {"KLIMAMAAL_PDF_WORKERS": "0", **_passed_on()},
                }
            )
        return DaskTaskRunner(address="tcp://" + name.split("://", 1)[1])
    raise ValueError(f"KLIMAMAAL_TASK_RUNNER={name!r}: use threads, dask or dask://host:port")


def _passed_on() -> dict[str, str]:
    """The settings the worker processes must share with the run (its database, limits, Prefect API)."""
    return {k: v for k, v in os.environ.items() if k.startswith(("KLIMAMAAL_", "PREFECT_"))}
