"""Validate the hand-annotated gold files in tests/gold/.

Usage:  python tests/gold/check_gold.py [FILE.jsonl ...]

Without arguments every ``*.jsonl`` file next to this script is checked.
Checks: each line parses as a JSON object; ``id`` is unique across all files;
``text`` is a non-empty string; every target ``quote`` is an exact substring
of ``text``; quotes of different targets in one passage do not overlap; field
vocabularies (direction, bound, deadline_kind, unit, optional keys); years are
integers in 1900-2100 or null; ``value`` is a float or null.
Prints passages / positives / negatives / targets per file and exits 1 on any error.

Stand-off lines (``{"file": "real/...", "targets": [...]}``, for real documents
read from ``../shared``) are checked the same way, against the text the
readers make of the file: each quote must be found at its ``occurrence``, and
``kind`` is ``outcome`` or ``resource``. Where a quote occurs more often in the
document than it is annotated, a note says so (every mention is a target).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from extractors import target
from extractors.target import DIRECTIONS, GOLD_KEYS, RATES, SCOPES, SECTORS, STRENGTHS

HERE = Path(__file__).resolve().parent

# The keys and vocabularies are the extractor's (``extractors.target``), so gold and machine targets
# are held to the same words; gold writes "no bound" and "no deadline kind" as null.
BOUNDS = {*target.BOUNDS, None}
DEADLINE_KINDS = {*target.DEADLINE_KINDS, None}
#: Units the gold files usually use; another one is a warning, not an error (the extractor has no list).
UNITS = {
    "%",
    "procentpoint",
    "tons",
    "kWh",
    "MWh",
    "GWh",
    "MW",
    "liter/døgn",
    "kr",
    "ha",
    "count",
    "°C",
    "m",
    None,
}
OPTIONAL_TARGET_KEYS = {
    "baseline_label",
    "start_year",
    "rate",
    "sector",
    "scope",
    "strength",
    "interim",
    "kind",
    "note",
    "optional",
    "occurrence",
}
KINDS = {"outcome", "resource"}
PASSAGE_KEYS = {"id", "text", "targets", "source", "note"}


def _year_ok(v) -> bool:
    return v is None or (isinstance(v, int) and not isinstance(v, bool) and 1900 <= v <= 2100)


def check_target(t: dict, text: str, where: str, errors: list[str], warnings: list[str]) -> None:
    for k in GOLD_KEYS:
        if k not in t:
            errors.append(f"{where}: missing key {k!r}")
    extra = set(t) - set(GOLD_KEYS) - OPTIONAL_TARGET_KEYS
    if extra:
        errors.append(f"{where}: unknown keys {sorted(extra)}")
    q = t.get("quote")
    if not isinstance(q, str) or not q.strip():
        errors.append(f"{where}: empty quote")
    elif text is not None and q not in text:
        errors.append(f"{where}: quote not in text: {q!r}")
    if "kind" in t and t["kind"] not in KINDS:
        errors.append(f"{where}: kind {t['kind']!r} is not one of {sorted(KINDS)}")
    if "optional" in t and not isinstance(t["optional"], bool):
        errors.append(f"{where}: optional must be a bool")
    if "occurrence" in t and not (isinstance(t["occurrence"], int) and t["occurrence"] >= 1):
        errors.append(f"{where}: occurrence must be an int >= 1")
    v = t.get("value")
    if v is not None and (not isinstance(v, float) or isinstance(v, bool)):
        errors.append(f"{where}: value must be a float or null, got {v!r}")
    if t.get("unit") not in UNITS:
        warnings.append(
            f"{where}: unit {t.get('unit')!r} not in the usual list {sorted(u for u in UNITS if u)}"
        )
    if t.get("direction") not in DIRECTIONS:
        errors.append(f"{where}: direction {t.get('direction')!r}")
    if t.get("bound") not in BOUNDS:
        errors.append(f"{where}: bound {t.get('bound')!r}")
    if t.get("deadline_kind") not in DEADLINE_KINDS:
        errors.append(f"{where}: deadline_kind {t.get('deadline_kind')!r}")
    for k in ("target_year", "baseline_year", "start_year"):
        if not _year_ok(t.get(k)):
            errors.append(f"{where}: {k} {t.get(k)!r} not an int in 1900-2100 or null")
    if not isinstance(t.get("metric"), (str, type(None))):
        errors.append(f"{where}: metric must be a string or null")
    if "sector" in t and t["sector"] not in SECTORS:
        errors.append(f"{where}: sector {t['sector']!r}")
    if "scope" in t and t["scope"] not in SCOPES:
        errors.append(f"{where}: scope {t['scope']!r}")
    if "strength" in t and t["strength"] not in STRENGTHS:
        errors.append(f"{where}: strength {t['strength']!r}")
    if "rate" in t and t["rate"] not in RATES:
        errors.append(f"{where}: rate {t['rate']!r}")
    if "interim" in t and not isinstance(t["interim"], bool):
        errors.append(f"{where}: interim must be a bool")
    if "baseline_label" in t and not isinstance(t["baseline_label"], str):
        errors.append(f"{where}: baseline_label must be a string")
    # consistency checks
    if v is None and t.get("unit") is not None:
        errors.append(f"{where}: unit without value")
    if v is not None and t.get("unit") is None:
        errors.append(f"{where}: value without unit")
    if t.get("direction") in ("neutral", "phase_out") and v is not None:
        warnings.append(f"{where}: {t.get('direction')} target with a value")
    if t.get("deadline_kind") is not None and t.get("target_year") is None:
        errors.append(f"{where}: deadline_kind without target_year")
    if t.get("target_year") is not None and t.get("deadline_kind") is None and t.get("start_year") is None:
        warnings.append(f"{where}: target_year without deadline_kind or start_year")


def check_file(path: Path, seen_ids: dict[str, str], errors: list[str], warnings: list[str]) -> dict:
    counts = {"passages": 0, "positives": 0, "negatives": 0, "targets": 0}
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            where = f"{path.name}:{lineno}"
            if not line.strip():
                errors.append(f"{where}: blank line")
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"{where}: invalid JSON ({exc})")
                continue
            if not isinstance(rec, dict):
                errors.append(f"{where}: not an object")
                continue
            if "file" in rec:
                _check_document(rec, where, seen_ids, path, errors, warnings, counts)
                continue
            pid = rec.get("id")
            where = f"{path.name}:{lineno} ({pid})"
            if not isinstance(pid, str) or not pid:
                errors.append(f"{where}: missing id")
            elif pid in seen_ids:
                errors.append(f"{where}: duplicate id (also in {seen_ids[pid]})")
            else:
                seen_ids[pid] = path.name
            extra = set(rec) - PASSAGE_KEYS
            if extra:
                errors.append(f"{where}: unknown passage keys {sorted(extra)}")
            text = rec.get("text")
            if not isinstance(text, str) or not text.strip():
                errors.append(f"{where}: empty text")
                text = ""
            targets = rec.get("targets")
            if not isinstance(targets, list):
                errors.append(f"{where}: targets must be a list")
                targets = []
            spans = []
            for i, t in enumerate(targets):
                tw = f"{where} target {i}"
                if not isinstance(t, dict):
                    errors.append(f"{tw}: not an object")
                    continue
                check_target(t, text, tw, errors, warnings)
                q = t.get("quote")
                if isinstance(q, str) and q and q in text:
                    start = text.find(q)
                    spans.append((start, start + len(q), i))
            spans.sort()
            for (_s1, e1, i1), (s2, _e2, i2) in zip(spans, spans[1:], strict=False):
                if s2 < e1:
                    errors.append(f"{where}: quotes of targets {i1} and {i2} overlap")
            counts["passages"] += 1
            counts["targets"] += len(targets)
            counts["positives" if targets else "negatives"] += 1
    return counts


def _check_document(
    rec: dict, where: str, seen: dict[str, str], path: Path, errors: list[str], warnings: list[str], counts
) -> None:
    """A stand-off line: the file is read through the readers and every quote located in its text."""
    from extractors import docgold

    name = rec.get("file")
    where = f"{where} ({name})"
    extra = set(rec) - {"file", "targets", "note"}
    if extra:
        errors.append(f"{where}: unknown keys {sorted(extra)}")
    if not isinstance(name, str) or not name:
        errors.append(f"{where}: missing file")
        return
    if name in seen:
        errors.append(f"{where}: file annotated twice (also in {seen[name]})")
    seen[name] = path.name
    try:
        text = docgold.document_text(name)
    except docgold.GoldError as exc:
        errors.append(f"{where}: {exc}")
        return
    targets = rec.get("targets")
    if not isinstance(targets, list):
        errors.append(f"{where}: targets must be a list")
        return
    spans = []
    annotated: dict[str, set[int]] = {}
    for i, t in enumerate(targets):
        tw = f"{where} target {i}"
        if not isinstance(t, dict):
            errors.append(f"{tw}: not an object")
            continue
        check_target(t, None, tw, errors, warnings)
        q = t.get("quote")
        if not isinstance(q, str) or not q.strip():
            continue
        occurrence = t.get("occurrence", 1)
        span = docgold.locate(text, q, occurrence if isinstance(occurrence, int) else 1)
        if span is None:
            found = len(docgold.quote_spans(text, q))
            errors.append(f"{tw}: quote not found as occurrence {occurrence} ({found} matches): {q!r}")
            continue
        spans.append((span[0], span[1], i))
        annotated.setdefault(q, set()).add(occurrence)
    spans.sort()
    for (_s1, e1, i1), (s2, _e2, i2) in zip(spans, spans[1:], strict=False):
        if s2 < e1:
            errors.append(f"{where}: quotes of targets {i1} and {i2} overlap")
    for q, occurrences in annotated.items():
        n = len(docgold.quote_spans(text, q))
        if n > len(occurrences):
            warnings.append(f"{where}: {q[:60]!r}… occurs {n} times, annotated at {sorted(occurrences)}")
    counts["passages"] += 1
    counts["targets"] += len(targets)
    counts["positives" if targets else "negatives"] += 1


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] if argv else sorted([*HERE.glob("*.jsonl"), *HERE.glob("real/*.jsonl")])
    errors: list[str] = []
    warnings: list[str] = []
    seen: dict[str, str] = {}
    total = {"passages": 0, "positives": 0, "negatives": 0, "targets": 0}
    print(f"{'file':<22}{'passages':>9}{'positives':>10}{'negatives':>10}{'targets':>8}")
    for path in files:
        c = check_file(path, seen, errors, warnings)
        for k in total:
            total[k] += c[k]
        print(f"{path.name:<22}{c['passages']:>9}{c['positives']:>10}{c['negatives']:>10}{c['targets']:>8}")
    print(
        f"{'TOTAL':<22}{total['passages']:>9}{total['positives']:>10}{total['negatives']:>10}{total['targets']:>8}"
    )
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("ERROR:", e)
    print(f"{len(errors)} error(s), {len(warnings)} warning(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
