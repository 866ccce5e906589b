"""Snapshot of everything the extractor finds, to prove a speed change changes no output.

Runs the extractor of the *current directory* (so the same script can snapshot
another checkout: ``cd OTHER_CHECKOUT && python /path/to/snapshot_extract.py``) over
- every passage text in ``tests/gold/*.jsonl``,
- every real document the stand-off gold names (``tests/gold/real/*.jsonl``, read with
  ``extractors.docgold.document_text``; skipped with a note when ``../shared`` is missing),
- the text of every corpus document (read with ``extractors.readers``),
- a slice of the generated plan the benchmark uses (``--words``, default 200k),
and records for each text
- ``targets``: ``extract_targets(text, suggestions=True)`` as ``Target.to_dict()`` (every field,
  the band, the confidence and the evidence with its weights and pattern ids), and
- ``candidates``: ``collect_candidates(text)``, every candidate's fields with its features as
  (name, pattern id) pairs in the order they were found,
as JSON. ``--compare FILE`` runs the same and reports every text whose targets or candidates
differ from the snapshot in FILE (a snapshot holding only targets, as written before the
candidates were added, is compared on targets alone).

    .venv/bin/python benchmarks/snapshot_extract.py --out /tmp/extract-snapshot.json
    .venv/bin/python benchmarks/snapshot_extract.py --compare /tmp/extract-snapshot.json
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

CWD = Path.cwd().resolve()
sys.path.insert(0, str(CWD))  # the extractor under test is the one in the current directory

_BENCH = Path(__file__).resolve().parent / "bench_extract.py"


def _generate_plan(words: int) -> str:
    """The benchmark's generator, loaded from this script's directory (the same text for any checkout)."""
    spec = importlib.util.spec_from_file_location("_bench_extract", _BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate_plan(words)


def _real_documents() -> dict[str, str]:
    """The text of every real document the stand-off gold names, keyed by file (once each)."""
    try:
        from extractors.docgold import GoldError, document_text
    except ImportError:
        return {}
    out: dict[str, str] = {}
    for path in sorted((CWD / "tests" / "gold" / "real").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            name = json.loads(line).get("file")
            if not name or f"document/{name}" in out:
                continue
            try:
                out[f"document/{name}"] = document_text(name)
            except GoldError as exc:
                print(f"  (skipping {name}: {exc})", file=sys.stderr)
    return out


def texts(words: int) -> dict[str, str]:
    """Every text to snapshot, keyed by where it came from."""
    from extractors.readers import read_document

    out: dict[str, str] = {}
    for path in sorted((CWD / "tests" / "gold").glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                record = json.loads(line)
                if "text" in record:
                    out[f"gold/{path.name}/{n}/{record.get('id', '')}"] = record["text"]
    out.update(_real_documents())
    for path in sorted((CWD / "corpus").glob("*")):
        if path.name == "manifest.csv" or not path.is_file():
            continue
        out[f"corpus/{path.name}"] = read_document(path.read_bytes(), path.name).text
    out[f"generated/{words}"] = _generate_plan(words)
    return out


def _candidate(found: dict) -> dict:
    """A candidate as JSON: its fields, and its features as [name, pattern id] in the order found."""
    out = {k: v for k, v in found.items() if k != "features"}
    out["features"] = [[e.feature, e.pattern] for e in found.get("features", ())]
    return out


def snapshot(words: int) -> dict[str, dict[str, list[dict]]]:
    from extractors import pipeline

    result: dict[str, dict[str, list[dict]]] = {}
    for key, text in texts(words).items():
        if hasattr(pipeline, "clear_unit_cache"):
            pipeline.clear_unit_cache()
        entry = {"targets": [t.to_dict() for t in pipeline.extract_targets(text, suggestions=True)]}
        if hasattr(pipeline, "collect_candidates"):
            pipeline.clear_unit_cache()
            entry["candidates"] = [_candidate(c) for c in pipeline.collect_candidates(text)]
        result[key] = entry
    return result


def _show(part: str, a: list[dict], b: list[dict]) -> None:
    print(f"  {part}: {len(a)} in snapshot, {len(b)} now")
    shown = 0
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else None
        y = b[i] if i < len(b) else None
        if x != y and shown < 5:
            shown += 1
            if x is None or y is None:
                print(f"    [{i}] snapshot={x}\n    [{i}] now={y}")
            else:
                diff = {k: (x.get(k), y.get(k)) for k in set(x) | set(y) if x.get(k) != y.get(k)}
                print(f"    [{i}] {x.get('quote', '')[:80]!r}: {diff}")


def compare(old: dict[str, dict], new: dict[str, dict]) -> int:
    """Print every difference; return how many texts differ."""
    differing = 0
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a is None or b is None:
            differing += 1
            print(f"{key}: only in {'new' if a is None else 'snapshot'}")
            continue
        if isinstance(a, list):  # a snapshot of targets alone
            a = {"targets": a}
        parts = [part for part in ("targets", "candidates") if part in a and a[part] != b.get(part)]
        if parts:
            differing += 1
            print(f"{key}:")
            for part in parts:
                _show(part, a[part], b.get(part, []))
    targets = sum(len(v["targets"]) for v in new.values())
    candidates = sum(len(v.get("candidates", ())) for v in new.values())
    print(
        f"{len(new)} texts, {targets} targets and suggestions, {candidates} candidates; {differing} texts differ"
    )
    return differing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the snapshot here")
    parser.add_argument("--compare", type=Path, help="compare with this snapshot")
    parser.add_argument("--words", type=int, default=200_000)
    args = parser.parse_args()
    if not args.out and not args.compare:
        parser.error("give --out or --compare")
    import extractors

    print(f"extractor: {extractors.__file__}", file=sys.stderr)
    result = json.loads(json.dumps(snapshot(args.words), ensure_ascii=False))  # tuples as JSON reads them
    if args.out:
        args.out.write_text(json.dumps(result, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        targets = sum(len(v["targets"]) for v in result.values())
        print(f"{len(result)} texts, {targets} targets and suggestions -> {args.out}")
    if args.compare:
        old = json.loads(args.compare.read_text(encoding="utf-8"))
        sys.exit(1 if compare(old, result) else 0)


if __name__ == "__main__":
    main()
