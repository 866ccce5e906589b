"""The extractor against the hand-annotated gold, measured honestly: the scorer is fit on this gold, so its
figures come from cross-validation (grouped by passage and agenda case), never from what it was fit on.

The floors are what the current rules and gold reach (see BENCHMARKS.md, "Extraction quality, bands and thresholds"); a change
that lowers them fails here, and the issue's goals are written beside them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors import extract_targets, train
from extractors.evaluate import score
from extractors.scorer import load_model
from klimamaal.config import shared_dir

GOLD_DIR = Path(__file__).resolve().parent / "gold"
WRITTEN = ("seeds.jsonl", "webnews.jsonl", "plans.jsonl")
#: Cross-validated floors (the goals of the work on real documents in brackets).
WRITTEN_STRICT_F1 = 0.95  # (the goal)
#: The Greve dev gold states about 14 targets 55 times, so one agenda case (three meetings) moves
#: target-band precision by about 0.08 and recall by up to 0.3 (the adopted recycling requirements,
#: 18 mentions in one case, sit in the suggestion band; the legally required charging points, 3 mentions,
#: sit at the target threshold and move recall by 0.055 between refits): the floors leave room for one
#: small case.
REAL_PRECISION = 0.80  # (goal 0.90)
REAL_RECALL = 0.45  # (goal 0.90)
REAL_RECALL_WITH_SUGGESTIONS = 0.85  # (goal 0.97)


@pytest.fixture(scope="module")
def cross_validated():  # type: ignore[no-untyped-def]
    """Out-of-fold targets and suggestions for every gold file the scorer is fit on."""
    settings, gold = train.load_settings()
    data = train.collect(train.load_gold(gold))
    scores = train.out_of_fold(data, settings)
    model = load_model()
    targets, both = train.banded_predictions(data, scores, model.target, model.suggestion)
    passages = train.passages_of(data.docs)

    def figures(names: tuple[str, ...], predictions: dict) -> dict:
        part = [p for p, d in zip(passages, data.docs, strict=True) if Path(d.source).name in names]
        assert part, names
        return score(part, predictions).figures()

    return figures, targets, both


def test_written_gold_cross_validated(cross_validated) -> None:  # type: ignore[no-untyped-def]
    figures, targets, both = cross_validated
    found = figures(WRITTEN, targets)
    assert found["strict"]["f1"] >= WRITTEN_STRICT_F1, found
    assert figures(WRITTEN, both)["detection"]["recall"] >= 0.97


@pytest.mark.skipif(not (shared_dir() / "real").is_dir(), reason="../shared/real is not beside the project")
def test_real_gold_cross_validated_by_case(cross_validated) -> None:  # type: ignore[no-untyped-def]
    figures, targets, both = cross_validated
    found = figures(("greve-dev.jsonl",), targets)["detection"]
    assert found["precision"] >= REAL_PRECISION and found["recall"] >= REAL_RECALL, found
    with_suggestions = figures(("greve-dev.jsonl",), both)
    assert with_suggestions["detection"]["recall"] >= REAL_RECALL_WITH_SUGGESTIONS, with_suggestions
    suggested = (
        with_suggestions["predicted_targets"] - figures(("greve-dev.jsonl",), targets)["predicted_targets"]
    )
    assert suggested <= with_suggestions["gold_targets"]  # no more suggestions than gold targets


def test_offsets_hold_on_gold() -> None:
    for path in sorted(GOLD_DIR.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            import json

            p = json.loads(line)
            for t in extract_targets(p["text"], suggestions=True):
                assert p["text"][t.start : t.end] == t.quote
                assert t.evidence and 0.0 < t.confidence <= 1.0
