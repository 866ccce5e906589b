"""The extractor against every hand-annotated gold file in tests/gold/: the issue's goals are the floor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors import extract_targets
from extractors.evaluate import score

GOLD_DIR = Path(__file__).resolve().parent / "gold"
GOLD_FILES = sorted(GOLD_DIR.glob("*.jsonl"))
STRICT_F1_GOAL = 0.95
PASSAGE_ACCURACY_GOAL = 0.97


def _load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _predict(passages: list[dict]) -> dict[str, list[dict]]:
    return {p["id"]: [t.to_gold() for t in extract_targets(p["text"])] for p in passages}


def test_gold_files_exist() -> None:
    assert GOLD_FILES, "no gold files in tests/gold/"


@pytest.mark.parametrize("path", GOLD_FILES, ids=[p.name for p in GOLD_FILES])
def test_gold_file_meets_goals(path: Path) -> None:
    passages = _load(path)
    figures = score(passages, _predict(passages)).figures()
    assert figures["strict"]["f1"] >= STRICT_F1_GOAL, figures
    assert figures["passage_accuracy"] >= PASSAGE_ACCURACY_GOAL, figures


def test_all_gold_together_meets_goals() -> None:
    passages = [p for path in GOLD_FILES for p in _load(path)]
    figures = score(passages, _predict(passages)).figures()
    assert figures["strict"]["f1"] >= STRICT_F1_GOAL, figures
    assert figures["detection"]["f1"] >= STRICT_F1_GOAL, figures
    assert figures["passage_accuracy"] >= PASSAGE_ACCURACY_GOAL, figures


def test_offsets_hold_on_gold() -> None:
    for path in GOLD_FILES:
        for p in _load(path):
            for t in extract_targets(p["text"]):
                assert p["text"][t.start : t.end] == t.quote
                assert t.rule_ids and 0.0 < t.confidence <= 1.0
