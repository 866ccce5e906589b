"""Commands: ``extract`` (passages or a document to targets) and ``evaluate`` (score against gold).

``klimamaal extract --jsonl`` is the format of ``shared/docs/gold-format.md``:
one JSON line in, one out, same order, so any gold file can be piped through.
``klimamaal evaluate`` applies that file's scoring rules (``extractors.evaluate``)
to the extractor's output, or to a predictions file given with ``--predictions``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

TABLE_COLUMNS = (
    "value",
    "unit",
    "direction",
    "bound",
    "target_year",
    "deadline_kind",
    "baseline_year",
    "sector",
    "scope",
    "quote",
)


def _targets_of(text: str, suggestions: bool = False) -> list[dict[str, Any]]:
    from extractors.pipeline import extract_targets

    return [t.to_gold() for t in extract_targets(text, suggestions=suggestions)]


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        from extractors.readers import read_document
    except ImportError:  # readers not installed: plain text only
        return data.decode("utf-8", errors="replace")
    return read_document(data, path.name).text


@click.command("extract")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--jsonl", "jsonl", is_flag=True, help="Read passages as JSON Lines on stdin, write targets per line."
)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def extract(file: Path | None, jsonl: bool, fmt: str) -> None:
    """Find the targets in FILE (a PDF, HTML or text document), or in JSONL passages on stdin."""
    if jsonl:
        for number, line in enumerate(sys.stdin, 1):
            if not line.strip():
                continue
            try:
                passage = json.loads(line)
            except json.JSONDecodeError as exc:
                raise click.ClickException(f"stdin line {number} is not JSON: {exc}") from exc
            if not isinstance(passage, dict):
                raise click.ClickException(f"stdin line {number} is not a JSON object")
            out = {"id": passage.get("id"), "targets": _targets_of(passage.get("text") or "")}
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        return
    if file is None:
        raise click.UsageError("give a FILE or --jsonl")
    from extractors.document import ReadError

    try:
        text = _read_text(file)
    except ReadError as exc:
        raise click.ClickException(str(exc)) from exc
    targets = _targets_of(text)
    if fmt == "json":
        click.echo(json.dumps(targets, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{file.name}: {len(targets)} targets")
    for col in TABLE_COLUMNS:
        table.add_column(col, overflow="fold")
    for t in targets:
        table.add_row(*("" if t.get(c) is None else str(t.get(c)) for c in TABLE_COLUMNS))
    Console().print(table)


@click.command("text")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--blocks", is_flag=True, help="Mark each block with its page, kind and offset.")
def text_command(file: Path, blocks: bool) -> None:
    """Print the text the readers make of FILE: what ingest stores and extraction reads (page by page)."""
    from extractors.document import PAGE_SEPARATOR, ReadError
    from extractors.readers import open_document

    try:
        stream = open_document(file, file.name)
        start = 0
        for index, page in enumerate(stream.pages):
            if not blocks:
                click.echo((PAGE_SEPARATOR if index else "") + page.text, nl=False)
                continue
            how = f" {page.ocr}" if page.ocr else ""
            for block in page.blocks:
                click.echo(f"[p{page.number}{how} {block.kind} @{start + block.start}] {block.text}")
            start += len(page.text) + len(PAGE_SEPARATOR)
    except ReadError as exc:
        raise click.ClickException(str(exc)) from exc
    if not blocks:
        click.echo("")
    for note in stream.notes:
        click.echo(f"note: {note}", err=True)


def _load_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@click.command("evaluate")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--errors", is_flag=True, help="List misses, spurious targets and wrong fields.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--predictions",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Score this predictions JSONL ({id, targets}) instead of running the extractor.",
)
@click.option(
    "--suggestions", is_flag=True, help="Count suggestions as predictions too (the recall a reviewer sees)."
)
@click.option(
    "--cv",
    is_flag=True,
    help="Cross-validate the scorer on GOLD, grouped by passage and agenda case: figures per band, "
    "per file and per kind, candidate recall and calibration.",
)
def evaluate(
    gold: tuple[Path, ...], errors: bool, as_json: bool, predictions: Path | None, suggestions: bool, cv: bool
) -> None:
    """Score the extractor (or --predictions) on GOLD.jsonl files: detection, strict, fields, passages.

    Written passages carry their text; stand-off lines name a document under ../shared, which is read
    through the same readers as ingest. With --cv, the scorer is refit in folds on GOLD instead.
    """
    from extractors.docgold import GoldError, load
    from extractors.evaluate import format_errors, format_report, score

    if cv:
        _cross_validate(gold, as_json)
        return
    given: dict[str, list[dict[str, Any]]] = {}
    if predictions is not None:
        given = {p["id"]: p.get("targets") or [] for p in _load_jsonl(predictions)}
    results = {}
    all_passages: list[dict[str, Any]] = []
    all_preds: dict[str, list[dict[str, Any]]] = {}
    for path in gold:
        try:
            passages = load(path)
        except GoldError as exc:
            raise click.ClickException(str(exc)) from exc
        if predictions is not None:
            preds = given
        else:
            preds = {p["id"]: _targets_of(p["text"], suggestions) for p in passages}
        report = score(passages, preds)
        results[str(path)] = report
        all_passages += passages
        all_preds.update({p["id"]: preds.get(p["id"], []) for p in passages})
    total = score(all_passages, all_preds) if len(gold) > 1 else next(iter(results.values()))
    if as_json:
        out = {name: r.figures() for name, r in results.items()}
        if len(gold) > 1:
            out["total"] = total.figures()
        if errors:
            out["errors"] = total.errors
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    for name, r in results.items():
        click.echo(format_report(r.figures(), name))
    if len(gold) > 1:
        click.echo(format_report(total.figures(), "total"))
    if errors:
        click.echo(format_errors(total.errors))


def _cross_validate(gold: tuple[Path, ...], as_json: bool) -> None:
    from extractors import train

    settings, _ = train.load_settings()
    docs = train.load_gold(list(gold))
    data = train.collect(docs)
    scores = train.out_of_fold(data, settings)
    target, suggestion = train.choose_thresholds(data, scores, settings)
    evaluation = train.evaluate_scores(data, scores, target, suggestion, settings)
    if as_json:
        click.echo(json.dumps(evaluation.figures, ensure_ascii=False, indent=2))
    else:
        click.echo(
            f"cross-validation: {settings.folds} folds grouped by passage and agenda case, "
            f"scores averaged over {settings.repeats} splits"
        )
        click.echo(evaluation.as_text())


@click.command("train")
@click.argument("gold", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the weights (default: the extractor's own weights file).",
)
@click.option("--check", is_flag=True, help="Refit and fail if the stored weights file differs.")
def train_command(gold: tuple[Path, ...], out: Path | None, check: bool) -> None:
    """Refit the scorer's weights on GOLD (default: the files in extractors/model/training.json).

    Thresholds and the printed figures come from cross-validation grouped by passage and
    agenda case; the weights are then fit on all of GOLD and written with its digest.
    """
    from extractors import train
    from extractors.scorer import WEIGHTS_FILE

    settings, default_gold = train.load_settings()
    paths = list(gold) or default_gold
    content, evaluation = train.train(paths, settings)
    target = out or WEIGHTS_FILE
    click.echo(evaluation.as_text())
    if check:
        stored = json.loads(target.read_text(encoding="utf-8")) if target.is_file() else None
        if stored != json.loads(json.dumps(content)):
            raise click.ClickException(f"{target} differs from a refit on {len(paths)} gold files")
        click.echo(f"{target} reproduces")
        return
    train.write_weights(content, target)
    click.echo(f"wrote {target} ({len(content['weights'])} weights, gold {content['gold_digest'][:12]})")


commands: list[click.Command] = [extract, evaluate, text_command, train_command]
