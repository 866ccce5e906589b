"""The gold set itself: valid by the checker, large enough, and rich in negatives."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

GOLD = Path(__file__).resolve().parent / "gold"


def passages() -> list[dict]:
    return [json.loads(line) for path in sorted(GOLD.glob("*.jsonl")) for line in path.open(encoding="utf-8")]


def test_every_gold_file_passes_the_checker() -> None:
    result = subprocess.run([sys.executable, str(GOLD / "check_gold.py")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:]


def test_gold_has_at_least_250_passages_and_a_third_negatives() -> None:
    rows = passages()
    negatives = [row for row in rows if not row["targets"]]
    assert len(rows) >= 250
    assert len(negatives) * 3 >= len(rows)


def test_every_seed_document_is_covered() -> None:
    sources = {row.get("source") for row in passages()}
    assert {f"seed {n:03d}" for n in range(5)} <= sources
