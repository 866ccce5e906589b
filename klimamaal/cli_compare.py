"""Commands for analysts: compare municipalities' plans (a report), search the stored text, peer lists."""

from __future__ import annotations

from pathlib import Path

import click

from klimamaal.cli_review import DATABASE_OPTION, _sessions


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
@click.option(
    "--dialect",
    type=click.Choice(["international", "excel-da"]),
    default="international",
    show_default=True,
    help="CSV dialect: comma and decimal point, or semicolon and decimal comma (Danish Excel).",
)
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


commands: list[click.Command] = [compare]
