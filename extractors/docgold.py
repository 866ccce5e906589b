"""Stand-off gold for real documents: lines that name a file instead of carrying its text.

Real municipal documents stay in ``../shared/real/`` (their text is never copied
into the project). A gold line names the file and quotes only the clause that
states each target; the clause is found again in the text the ingest readers
make of the file, as its ``occurrence``-th match (whitespace-insensitive, 1
when absent). The result is a passage like those of the written gold, with the
gold spans resolved, so one scorer judges both (``extractors.evaluate``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any


class GoldError(ValueError):
    """A document gold line that cannot be resolved (missing file, quote not found)."""


def is_document_gold(line: dict[str, Any]) -> bool:
    """A line of stand-off gold names a ``file``; a passage line carries ``text``."""
    return "file" in line and "text" not in line


def _quote_pattern(quote: str) -> re.Pattern[str] | None:
    parts = quote.split()
    if not parts:
        return None
    return re.compile(r"\s*".join(re.escape(p) for p in parts))


def quote_spans(text: str, quote: str) -> list[tuple[int, int]]:
    """Every (non-overlapping) whitespace-insensitive match of ``quote`` in ``text``, in order."""
    pattern = _quote_pattern(quote)
    if pattern is None:
        return []
    return [m.span() for m in pattern.finditer(text)]


def locate(text: str, quote: str, occurrence: int = 1) -> tuple[int, int] | None:
    """The ``occurrence``-th match of ``quote`` in ``text`` (1-based), or None."""
    spans = quote_spans(text, quote)
    return spans[occurrence - 1] if 0 < occurrence <= len(spans) else None


def resolve_path(name: str, shared: Path | None = None) -> Path:
    """``name`` is relative to ``../shared`` (``real/greve/...``); an absolute path is kept."""
    from klimamaal.config import shared_dir

    path = Path(name)
    return path if path.is_absolute() else (shared or shared_dir()) / path


@lru_cache(maxsize=64)
def _parsed(path: str, mtime: float) -> tuple[str, tuple[str, ...]]:
    from extractors.readers import read_document

    doc = read_document(Path(path).read_bytes(), Path(path).name)
    return doc.text, tuple(doc.metadata.get(k, "") for k in ("title",))


def document_text(name: str, shared: Path | None = None) -> str:
    """The text ``klimamaal ingest`` stores for the named file (read once per process)."""
    path = resolve_path(name, shared)
    if not path.is_file():
        raise GoldError(f"{name}: no such file under {path.parent} (is ../shared beside the project?)")
    return _parsed(str(path), path.stat().st_mtime)[0]


@dataclass(frozen=True)
class ResolvedGold:
    """A document gold line made a passage: ``text`` is the reader's text, targets carry start/end."""

    passage: dict[str, Any]
    problems: tuple[str, ...]


def resolve(line: dict[str, Any], shared: Path | None = None) -> ResolvedGold:
    """The passage of one stand-off line: id = file, the document text, each target with its span.

    A quote that is not found (or has fewer matches than its ``occurrence``) is a
    problem, and the target keeps no span (the scorer then counts it as missed).
    """
    name = line["file"]
    text = document_text(name, shared)
    problems = []
    targets = []
    for i, gold in enumerate(line.get("targets") or []):
        occurrence = int(gold.get("occurrence") or 1)
        span = locate(text, gold.get("quote") or "", occurrence)
        target = dict(gold)
        if span is None:
            problems.append(
                f"{name} target {i}: quote not found (occurrence {occurrence}): {gold.get('quote')!r}"
            )
        else:
            target["start"], target["end"] = span
        targets.append(target)
    passage = {"id": name, "file": name, "text": text, "targets": targets}
    return ResolvedGold(passage, tuple(problems))


def load(path: Path, shared: Path | None = None) -> list[dict[str, Any]]:
    """Passages of a gold file: written passages as they are, stand-off lines resolved against the files.

    Raises :class:`GoldError` naming the first quote that cannot be found: a gold
    file that no longer fits the reader must be mended, not scored quietly.
    """
    passages = []
    with path.open(encoding="utf-8") as fh:
        for number, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            line = json.loads(raw)
            if not is_document_gold(line):
                passages.append(line)
                continue
            resolved = resolve(line, shared)
            if resolved.problems:
                raise GoldError(f"{path}:{number}: {resolved.problems[0]}")
            passages.append(resolved.passage)
    return passages
