"""Snapshot of everything ``extract_targets`` finds, to prove a speed change changes no output.

Runs the extractor of the *current directory* (so the same script can snapshot
another checkout: ``cd OTHER_CHECKOUT && python /path/to/snapshot_extract.py``) over
- every passage text in ``tests/gold/*.jsonl``,
- the text of every corpus document (read with ``extractors.readers``),
- a slice of the generated plan the benchmark uses (``--words``, default 200k),
and writes ``{key: [target.to_dict(), ...]}`` as JSON. ``--compare FILE`` runs the
same and reports every text whose targets differ from the snapshot in FILE.

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


def texts(words: int) -> dict[str, str]:
    """Every text to snapshot, keyed by where it came from."""
    from extractors.readers import read_document

    out: dict[str, str] = {}
    for path in sorted((CWD / "tests" / "gold").glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                record = json.loads(line)
                out[f"gold/{path.name}/{n}/{record.get('id', '')}"] = record["text"]
    for path in sorted((CWD / "corpus").glob("*")):
        if path.name == "manifest.csv" or not path.is_file():
            continue
        out[f"corpus/{path.name}"] = read_document(path.read_bytes(), path.name).text
    out[f"generated/{words}"] = _generate_plan(words)
    return out


def snapshot(words: int) -> dict[str, list[dict]]:
    from extractors import pipeline

    result: dict[str, list[dict]] = {}
    for key, text in texts(words).items():
        if hasattr(pipeline, "clear_unit_cache"):
            pipeline.clear_unit_cache()
        result[key] = [t.to_dict() for t in pipeline.extract_targets(text)]
    return result


def compare(old: dict[str, list[dict]], new: dict[str, list[dict]]) -> int:
    """Print every difference; return how many texts differ."""
    differing = 0
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        differing += 1
        if a is None or b is None:
            print(f"{key}: only in {'new' if a is None else 'snapshot'}")
            continue
        print(f"{key}: {len(a)} targets in snapshot, {len(b)} now")
        shown = 0
        for i in range(max(len(a), len(b))):
            x = a[i] if i < len(a) else None
            y = b[i] if i < len(b) else None
            if x != y and shown < 5:
                shown += 1
                if x is None or y is None:
                    print(f"  [{i}] snapshot={x}\n  [{i}] now={y}")
                else:
                    diff = {k: (x.get(k), y.get(k)) for k in set(x) | set(y) if x.get(k) != y.get(k)}
                    print(f"  [{i}] {x.get('quote', '')[:80]!r}: {diff}")
    total = sum(len(v) for v in new.values())
    print(f"{len(new)} texts, {total} targets; {differing} texts differ")
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
    result = snapshot(args.words)
    if args.out:
        args.out.write_text(json.dumps(result, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        print(f"{len(result)} texts, {sum(len(v) for v in result.values())} targets -> {args.out}")
    if args.compare:
        old = json.loads(args.compare.read_text(encoding="utf-8"))
        sys.exit(1 if compare(old, json.loads(json.dumps(result, ensure_ascii=False))) else 0)


if __name__ == "__main__":
    main()
