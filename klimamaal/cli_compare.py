"""Commands for analysts: compare municipalities' plans (a report), search the stored text, peer lists."""

from __future__ import annotations

from pathlib import Path

import click

from klimamaal.cli_review import DATABASE_OPTION, DIALECT_OPTION, _sessions


@click.command("compare")
@click.option(
    "--municipality",
    "municipalities",
    multiple=True,
    help="Name or kommunekode; repeat for several (default: all).",
)
@click.option("--sector", "sectors", multiple=True, help="Only these DK2020 sectors (repeatable).")
@click.option("--reviewed-only", is_flag=True, help="Only targets a reviewer accepted or corrected.")
@click.option("--peers-of", "peer_of", help="Compare this municipality with similar ones.")
@click.option(
    "--peers",
    default="region",
    show_default=True,
    help="Who is similar: region, population (the same population band) or the name of a saved list.",
)
@DIALECT_OPTION
@click.option("--no-shared-language", is_flag=True, help="Skip the search for passages plans share.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True)
@DATABASE_OPTION
def compare(
    municipalities: tuple[str, ...],
    sectors: tuple[str, ...],
    reviewed_only: bool,
    peer_of: str | None,
    peers: str,
    dialect: str,
    no_shared_language: bool,
    out_dir: Path,
    database_url: str | None,
) -> None:
    """Compare municipalities' targets: report.html, report.xlsx and a CSV per view in OUT."""
    from analysis.peers import saved_peer_codes
    from analysis.report import build_report
    from analysis.writers import write_report

    _, sessions = _sessions(database_url)
    with sessions() as session:
        saved: list[int] = []
        if peer_of and peers not in ("region", "population"):
            found = saved_peer_codes(session, peers)
            if found is None:
                raise click.BadParameter(f"no saved peer list named {peers!r}", param_hint="--peers")
            saved = found
        try:
            report = build_report(
                session,
                municipalities=municipalities,
                sectors=sectors,
                reviewed_only=reviewed_only,
                peer_of=peer_of,
                peers=peers,
                saved_peers=saved,
                shared_language=not no_shared_language,
                parallel=True,
            )
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc
    written = write_report(report, out_dir, dialect)
    with_headline = sum(1 for row in report.matrix if row.headline.chosen is not None)
    flagged = sum(1 for row in report.matrix if row.headline.flagged)
    click.echo(
        f"{len(report.municipalities)} municipalities, {len(report.commitments)} targets "
        f"({with_headline} with a headline target, {flagged} with disagreeing sources), "
        f"{len(report.resources)} resource commitments, {len(report.shared)} shared passages, "
        f"{len(report.changes)} changes over time"
    )
    for path in written:
        click.echo(f"wrote {path}")


@click.command("search")
@click.argument("query")
@click.option("--municipality", help="Only documents of this municipality (name or kommunekode).")
@click.option("--kind", help="Only documents of this kind (plan, strategy, agenda, web_page, news).")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True)
@DATABASE_OPTION
def search(
    query: str, municipality: str | None, kind: str | None, limit: int, fmt: str, database_url: str | None
) -> None:
    """Search the stored text (Danish stems, parts of compounds): hits in context, with document and page."""
    import json

    from db.search import index_missing
    from db.search import search as run_search

    _, sessions = _sessions(database_url)
    with sessions() as session:
        index_missing(session)
        hits = run_search(session, query, municipality=municipality, kind=kind, limit=limit)
    if fmt == "jsonl":
        for hit in hits:
            click.echo(json.dumps({**hit.__dict__, "link": hit.link}, ensure_ascii=False))
        return
    if not hits:
        click.echo(f"no hits for {query!r}")
        return
    for hit in hits:
        click.echo(f"{hit.municipality or '-'} · {hit.document} · side {hit.page} · {hit.link}")
        click.echo(f"    {hit.before}[{hit.match}]{hit.after}")


@click.group("peers")
def peers_group() -> None:
    """Saved lists of municipalities to compare one of them with (compare --peers-of X --peers NAME)."""


@peers_group.command("save")
@click.argument("name")
@click.argument("municipalities", nargs=-1, required=True)
@DATABASE_OPTION
def peers_save(name: str, municipalities: tuple[str, ...], database_url: str | None) -> None:
    """Save (or replace) the list NAME of MUNICIPALITIES (names or kommunekoder)."""
    from analysis.peers import save_peer_group
    from analysis.report import resolve_municipalities

    _, sessions = _sessions(database_url)
    with sessions.begin() as session:
        try:
            codes = resolve_municipalities(session, municipalities)
            group = save_peer_group(session, name, codes, None)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc
        click.echo(f"saved {group.name}: {len(group.codes)} municipalities")


@peers_group.command("list")
@DATABASE_OPTION
def peers_list(database_url: str | None) -> None:
    from analysis.peers import peer_groups

    _, sessions = _sessions(database_url)
    with sessions() as session:
        for group in peer_groups(session):
            click.echo(f"{group.name}: {', '.join(map(str, group.codes))}")


commands: list[click.Command] = [compare, search, peers_group]
