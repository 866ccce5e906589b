"""Commands for the registered sources and their crawl: sources, crawl, runs, diff."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from klimamaal.cli_ingest import (
    _emit,
    _exit_on_failure,
    _print_summary,
    _print_table,
    _sessions,
    run_ingest_flow,
)
from models import SOURCE_KINDS


def _migrated(database_url: str | None):  # type: ignore[no-untyped-def]
    """Sessions on a database brought to the current schema (adding a source is often the first step)."""
    from db.engine import session_factory
    from db.migrate import upgrade
    from klimamaal.config import database_url as default_database_url
    from klimamaal.ingest import seed_municipalities

    url = database_url or default_database_url()
    upgrade(url)
    sessions = session_factory(url)
    seed_municipalities(sessions)
    return sessions


@click.group()
def sources() -> None:
    """Where municipalities publish: documents, and index pages whose links are followed."""


@sources.command("add")
@click.argument("url")
@click.option("--municipality", help="Name or official code.")
@click.option("--kind", type=click.Choice(SOURCE_KINDS))
@click.option("--follow", help="Regular expression of the links to follow (makes the URL an index page).")
@click.option(
    "--depth", type=int, default=0, help="How many links away from an index page (default 1 with --follow)."
)
@click.option("--database-url", envvar="KLIMAMAAL_DATABASE_URL")
def sources_add(
    url: str,
    municipality: str | None,
    kind: str | None,
    follow: str | None,
    depth: int,
    database_url: str | None,
) -> None:
    """Register URL (a document, or with --follow/--depth an index page)."""
    from klimamaal.registry import SourceError, SourceSpec, add_sources

    try:
        (spec,) = add_sources(_migrated(database_url), [SourceSpec(url, municipality, kind, follow, depth)])
    except SourceError as error:
        raise click.ClickException(str(error)) from error
    what = (
        f"index page, links {spec.follow or '(documents)'} to depth {spec.depth}"
        if spec.is_index
        else "document"
    )
    click.echo(f"source {spec.id}: {spec.url} ({what})")


@sources.command("list")
@click.option("--database-url", envvar="KLIMAMAAL_DATABASE_URL")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl"]), default="table")
def sources_list(database_url: str | None, fmt: str) -> None:
    """The registered sources and how their last pass went."""
    from klimamaal.registry import source_rows

    columns = ("id", "url", "municipality", "kind", "follow", "depth", "checked", "status", "error")
    _emit(source_rows(_sessions(database_url)), columns, fmt)


@sources.command("remove")
@click.argument("source_id", type=int)
@click.option("--database-url", envvar="KLIMAMAAL_DATABASE_URL")
def sources_remove(source_id: int, database_url: str | None) -> None:
    """Forget a source; the documents it brought stay."""
    from klimamaal.registry import SourceError, remove_source

    try:
        click.echo(f"removed {remove_source(_sessions(database_url), source_id)}")
    except SourceError as error:
        raise click.ClickException(str(error)) from error


@sources.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--database-url", envvar="KLIMAMAAL_DATABASE_URL")
def sources_import(file: Path, database_url: str | None) -> None:
    """Register the [[source]] entries of a TOML file (all or none)."""
    from klimamaal.registry import SourceError, add_sources, read_toml

    try:
        added = add_sources(_migrated(database_url), read_toml(file))
    except SourceError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{len(added)} sources from {file}")


@sources.command("export")
@click.option("--database-url", envvar="KLIMAMAAL_DATABASE_URL")
def sources_export(database_url: str | None) -> None:
    """Print the sources as TOML (for `klimamaal sources import` elsewhere)."""
    from klimamaal.registry import list_sources, to_toml

    click.echo(to_toml(list_sources(_sessions(database_url))), nl=False)


@click.command()
@click.option("--source", "source_id", type=int, help="Only this source.")
@click.option(
    "--dry-run", is_flag=True, help="Show what would be fetched (index pages are read); store nothing."
)
@click.option("--database-url", envvar="KLIMAMAAL_DATABASE_URL")
@click.option("--progress/--no-progress", default=None)
def crawl(source_id: int | None, dry_run: bool, database_url: str | None, progress: bool | None) -> None:
    """One pass over the registered sources now, through the Prefect flow."""
    show = sys.stderr.isatty() if progress is None else progress
    summary = run_ingest_flow(
        paths=[], database_url=database_url, progress=show, crawl=True, source_id=source_id, dry_run=dry_run
    )
    if dry_run:
        _print_table(
            [{"would fetch": o.source} for o in summary.outcomes], ("would fetch",), title="crawl --dry-run"
        )
        for outcome in summary.outcomes:
            if outcome.status == "failed":
                click.echo(f"failed: {outcome.error}", err=True)
        return
    _print_summary(summary, "crawl")
    _exit_on_failure(summary)


@click.command()
@click.option("--last", type=int, default=10, show_default=True)
@click.option("--database-url", envvar="KLIMAMAAL_DATABASE_URL")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl"]), default="table")
def runs(last: int, database_url: str | None, fmt: str) -> None:
    """The last runs: started, finished, new / changed / unchanged / failed, new targets, errors and changes."""
    from klimamaal.runs import run_rows

    columns = (
        "id",
        "kind",
        "status",
        "started",
        "finished",
        "new",
        "changed",
        "unchanged",
        "failed",
        "targets",
        "host",
        "errors",
        "changes",
    )
    _emit(run_rows(_sessions(database_url), last), columns, fmt)


@click.command()
@click.argument("doc_a", type=int)
@click.argument("doc_b", type=int)
@click.option("--database-url", envvar="KLIMAMAAL_DATABASE_URL")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table")
def diff(doc_a: int, doc_b: int, database_url: str | None, fmt: str) -> None:
    """Targets added, removed and changed from document DOC_A to DOC_B (two versions of a document)."""
    from db.versions import diff_documents

    with _sessions(database_url)() as session:
        try:
            result = diff_documents(session, doc_a, doc_b)
        except LookupError as error:
            raise click.ClickException(str(error)) from error
    rows = [{"change": "+", **t} for t in result.added] + [{"change": "-", **t} for t in result.removed]
    for old, new in result.changed:
        fields = [k for k in old if k not in ("id", "page") and old[k] != new[k]]
        rows.append({"change": "~", **new, "was": ", ".join(f"{k}={old[k]!r}" for k in fields)})
    click.echo(f"document {doc_a} -> {doc_b}: {result.summary()}")
    _emit(rows, ("change", "id", "page", "value", "unit", "target_year", "was", "quote"), fmt)


commands: list[click.Command] = [sources, crawl, runs, diff]
