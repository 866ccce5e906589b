"""Commands for operators and analysts: ingest, documents, targets, reextract, db, schedule.

The crawl of registered sources and its records are in ``klimamaal.cli_crawl``.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click

from extractors.target import GOLD_KEYS
from klimamaal.config import CORPUS_DIR, DEFAULT_CRON
from klimamaal.config import database_url as default_database_url

#: The gold-format keys with the reviewer's sector, scope and strength; the long quote goes last.
TARGET_COLUMNS = (
    "id",
    "municipality",
    "document",
    "page",
    "status",
    *(key for key in GOLD_KEYS if key != "quote"),
    "sector",
    "scope",
    "strength",
    "rules",
    "quote",
)


#: The table of ``targets``: what a target says in one column, so that it reads in a terminal of 80
#: columns (``--format csv`` and ``jsonl`` have every field).
TARGET_TABLE_COLUMNS = ("id", "municipality", "doc", "page", "status", "target", "quote")
_TABLE_WIDTHS = {"municipality": 13, "target": 24}
_BOUNDS = {"at_least": ">=", "at_most": "<="}


def target_summary(row: dict[str, object]) -> str:
    """One target's fields as one reads them: "reduce >=70 % by 2030 vs 1990 (transport)"."""
    value = row.get("value")
    amount = None
    if value is not None:
        number = f"{value:g}" if isinstance(value, float) else str(value)
        amount = f"{_BOUNDS.get(str(row.get('bound')), '')}{number} {row.get('unit') or ''}".strip()
    year = row.get("target_year")
    parts = [
        row.get("direction"),
        amount,
        "per year" if row.get("rate") == "per_year" else None,
        f"{row.get('deadline_kind') or 'in'} {year}" if year else None,
        f"vs {row['baseline_year']}" if row.get("baseline_year") else None,
        f"({row['sector']})" if row.get("sector") else None,
    ]
    return " ".join(str(p) for p in parts if p)


def _print_target_table(rows: list[dict[str, object]]) -> None:
    cells = [{**row, "doc": row.get("document_id"), "target": target_summary(row)} for row in rows]
    _print_table(cells, TARGET_TABLE_COLUMNS, widths=_TABLE_WIDTHS, compact=True)


#: Column widths of a wide table: long text folds.
_WIDE_WIDTHS = {"quote": 60, "error": 60}


def _print_table(
    rows: list[dict[str, object]],
    columns: tuple[str, ...],
    title: str | None = None,
    widths: dict[str, int] = _WIDE_WIDTHS,
    compact: bool = False,
) -> None:
    """``rows`` as a table of ``columns``; ``compact``: no borders, the terminal's width (COLUMNS, 80 when
    output is not a terminal), else 200 columns."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False, **({"box": None, "padding": (0, 1)} if compact else {}))
    for column in columns:
        table.add_column(column, overflow="fold", max_width=widths.get(column))
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    Console(width=None if compact else 200).print(table)


def _print_summary(summary, kind: str) -> None:  # type: ignore[no-untyped-def]
    if summary.run_id is not None:
        click.echo(f"{kind} run {summary.run_id}: {summary.status}")
    _print_table(
        summary.rows(),
        ("source", "status", "pages", "targets", "suggestions", "error"),
        title=f"{kind}: documents",
    )
    figures = summary.figures()
    _print_table([figures], tuple(figures), title=f"{kind}: summary")


@click.command()
@click.argument("paths", nargs=-1, type=str)
@click.option("--database-url", envvar="KLIMAMAAL_DATABASE_URL", help="Database (default: SQLite in data/).")
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal)."
)
def ingest(paths: tuple[str, ...], database_url: str | None, progress: bool | None) -> None:
    """Ingest files or folders (.pdf, .html/.htm, .txt/.md) or URLs; default: the bundled corpus."""
    from klimamaal.ingest import is_url

    locations = list(paths) or [str(CORPUS_DIR)]
    for location in locations:
        if not is_url(location) and not Path(location).exists():
            raise click.BadParameter(f"{location} does not exist", param_hint="PATHS")
    show = sys.stderr.isatty() if progress is None else progress
    summary = run_ingest_flow(paths=locations, database_url=database_url, progress=show)
    _print_summary(summary, "ingest")
    _exit_on_failure(summary)


def run_ingest_flow(**parameters):  # type: ignore[no-untyped-def]
    """The ingest flow on the configured task runner, against PREFECT_API_URL or a temporary server."""
    from flows.runners import task_runner
    from flows.server import PrefectUnavailable, prefect_api

    try:
        with prefect_api():
            from flows.ingest import ingest_flow

            return ingest_flow.with_options(task_runner=task_runner())(**parameters)
    except PrefectUnavailable as error:
        raise click.ClickException(str(error)) from error


def _exit_on_failure(summary) -> None:  # type: ignore[no-untyped-def]
    """A run in which every place failed exits non-zero (after its summary)."""
    if summary.status == "failed":
        click.echo(f"run {summary.run_id} failed: every source failed", err=True)
        sys.exit(1)


@click.command()
@click.option("--database-url", envvar="KLIMAMAAL_DATABASE_URL")
@click.option("--progress/--no-progress", default=None)
def reextract(database_url: str | None, progress: bool | None) -> None:
    """Run the current rules over all stored text again; reviewed targets are kept and flagged."""
    from flows.server import PrefectUnavailable, prefect_api

    show = sys.stderr.isatty() if progress is None else progress
    try:
        with prefect_api():
            from flows.reextract import reextract_flow

            summary = reextract_flow(database_url=database_url, progress=show)
    except PrefectUnavailable as error:
        raise click.ClickException(str(error)) from error
    _print_summary(summary, "reextract")


@click.command()
@click.option("--database-url", envvar="KLIMAMAAL_DATABASE_URL")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl"]), default="table")
@click.option("--failed", is_flag=True, help="Only what failed: documents not read, and places not fetched.")
def documents(database_url: str | None, fmt: str, failed: bool) -> None:
    """List stored documents: municipality, title, kind, pages (and how many were OCR'd), targets, status/error.

    A superseded version says by which document (``superseded_by``)."""
    from db.queries import document_rows, failed_places

    sessions = _sessions(database_url)
    rows = document_rows(sessions)
    if failed:
        rows = [r for r in rows if r["status"] in ("failed", "no_text")] + failed_places(sessions)
    columns = (
        "id",
        "municipality",
        "title",
        "kind",
        "pages",
        "ocr_pages",
        "targets",
        "suggestions",
        "status",
        "superseded_by",
        "error",
        "source",
    )
    _emit(rows, columns, fmt)


@click.command()
@click.option("--database-url", envvar="KLIMAMAAL_DATABASE_URL")
@click.option("--municipality", help="Name or official code, e.g. Ballerup or 151.")
@click.option("--status", type=click.Choice(["pending", "accepted", "edited", "rejected"]))
@click.option("--document", "document_id", type=int, help="Only this document id.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl"]), default="table")
@click.option(
    "--suggestions", is_flag=True, help="Also list suggestions no reviewer has accepted (for the queue)."
)
def targets(
    database_url: str | None,
    municipality: str | None,
    status: str | None,
    document_id: int | None,
    fmt: str,
    suggestions: bool,
) -> None:
    """List targets with their current values (the latest review, else the machine's).

    Suggestions (the scorer was unsure) appear once a reviewer accepted or corrected them."""
    from db.queries import target_rows

    rows = target_rows(
        _sessions(database_url),
        municipality=municipality,
        status=status,
        document_id=document_id,
        suggestions=suggestions,
    )
    if fmt == "table":
        _print_target_table(rows)
    else:
        _emit(rows, TARGET_COLUMNS, fmt)


@click.group()
def db() -> None:
    """Database schema (Alembic migrations)."""


@db.command("upgrade")
@click.option("--database-url", envvar="KLIMAMAAL_DATABASE_URL")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(database_url: str | None, revision: str) -> None:
    """Apply migrations up to REVISION."""
    from db.migrate import upgrade

    url = database_url or default_database_url()
    upgrade(url, revision)
    click.echo(f"database at revision {revision}: {_redact(url)}")


@db.command("current")
@click.option("--database-url", envvar="KLIMAMAAL_DATABASE_URL")
def db_current(database_url: str | None) -> None:
    """Show the schema revision of the database and the newest one known."""
    from db.engine import make_engine
    from db.migrate import current_revision, head_revision

    engine = make_engine(database_url or default_database_url())
    click.echo(f"current: {current_revision(engine)}  head: {head_revision()}")


def _sessions(url: str | None):  # type: ignore[no-untyped-def]
    from db.engine import cached_engine, session_factory
    from db.migrate import is_current

    resolved = url or default_database_url()
    if not is_current(cached_engine(resolved)):
        raise click.ClickException(
            f"the database at {_redact(resolved)} is not at the current schema: run `klimamaal db upgrade`"
        )
    return session_factory(resolved)


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _emit(rows: list[dict[str, object]], columns: tuple[str, ...], fmt: str) -> None:
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False, default=str))
    elif fmt == "csv":
        from db.sheets import csv_cell

        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows({key: csv_cell(value) for key, value in row.items()} for row in rows)
    else:
        _print_table(rows, columns)


@click.command()
@click.argument("paths", nargs=-1, type=str)
@click.option("--cron", default=None, help=f"When to crawl (cron syntax; default {DEFAULT_CRON!r}).")
@click.option("--interval", type=float, default=None, help="Or every this many seconds.")
@click.option("--database-url", envvar="KLIMAMAAL_DATABASE_URL")
def schedule(
    paths: tuple[str, ...], cron: str | None, interval: float | None, database_url: str | None
) -> None:
    """Serve the deployment that crawls the registered sources (and PATHS) on a schedule.

    Needs a running Prefect server (`prefect server start`, PREFECT_API_URL); refuses without one."""
    import os

    from flows.server import PrefectUnavailable, require_server
    from klimamaal.ingest import is_url

    try:
        require_server(os.environ.get("PREFECT_API_URL"))
    except PrefectUnavailable as error:
        raise click.ClickException(str(error)) from error
    from flows.deployments import serve_deployments

    locations = [p if is_url(p) else str(Path(p).resolve()) for p in paths]
    serve_deployments(locations, cron or DEFAULT_CRON, database_url, interval)


commands: list[click.Command] = [ingest, documents, targets, reextract, db, schedule]
