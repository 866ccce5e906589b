"""Fitting the scorer: labels, grouped folds, reproducible weights, honest (out-of-fold) figures."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractors import train
from extractors.scorer import WEIGHTS_FILE
from klimamaal.cli import main
from klimamaal.config import shared_dir

REAL = Path(__file__).parent / "gold" / "real"
needs_shared = pytest.mark.skipif(
    not (shared_dir() / "real" / "greve").is_dir(), reason="../shared/real is not beside the project"
)


def test_a_groups_fold_depends_on_its_name_alone() -> None:
    """One candidate more in one group must not redraw the split (out-of-fold figures would move with
    it): a group keeps its fold whatever the other groups are, and another salt draws another split."""
    groups = [f"g{i % 400}" for i in range(2000)] + ["big"] * 300
    folds = train.fold_of_groups(groups, 5)
    assert set(folds) == set(groups) and set(folds.values()) == set(range(5))
    sizes = defaultdict(int)
    for g in set(groups):
        sizes[folds[g]] += 1
    assert min(sizes.values()) >= 40  # 400 groups hashed into 5 folds: none nearly empty
    grown = train.fold_of_groups(groups + ["g7"] * 50 + ["new"], 5)
    assert {g: grown[g] for g in folds} == folds
    assert train.fold_of_groups(list(reversed(groups)), 5) == folds
    assert train.fold_of_groups(groups, 5, salt=1) != folds


def test_repeated_splits_average_each_candidates_out_of_fold_scores() -> None:
    docs = train.load_gold([Path(__file__).parent / "gold" / "webnews.jsonl"])[:60]
    data = train.collect(docs)
    settings = train.FitSettings(c=0.3, folds=3)
    first = train.out_of_fold(data, settings)  # the split of salt 0
    second = [[0.0] * len(c) for c in data.by_doc]  # the split of salt 1, scored by hand
    for fitted, held in train.fold_plan(data, settings, salt=1):
        rows, y, w = train._training_rows(data, lambda d, i, fitted=fitted: data.groups[d][i] in fitted)
        bias, weights = train.fit(rows, y, settings, w)
        for d, i in data.flat():
            if data.groups[d][i] in held:
                names = train.feature_names(data.by_doc[d][i]["features"])
                second[d][i] = train._logit_score(bias, weights, names)
    both = train.out_of_fold(data, train.FitSettings(c=0.3, folds=3, repeats=2))
    for d, i in data.flat():
        assert both[d][i] == pytest.approx((first[d][i] + second[d][i]) / 2)
    assert any(abs(first[d][i] - second[d][i]) > 1e-6 for d, i in data.flat())  # the splits differ


def test_candidates_are_labelled_one_to_one_and_optional_ones_left_out() -> None:
    text = "Kommunen skal reducere udledningen med 50 % i 2030. Transport står for 30 % af udledningen."
    doc = train.GoldDoc(
        "p",
        text,
        [{"quote": "Kommunen skal reducere udledningen med 50 % i 2030", "value": 50.0}],
        "written",
        [(0, "p")],
    )
    from extractors.pipeline import collect_candidates

    cands = collect_candidates(text)
    assert train.label_candidates(doc, cands) == [1, 0]
    doc.targets[0]["optional"] = True
    assert train.label_candidates(doc, cands) == [None, 0]


@needs_shared
def test_the_threshold_counts_a_restated_target_once() -> None:
    """Agendas restate a case in committee, finance committee and council: the F1 the target threshold
    is chosen by weighs the three statements of one target as one target, found or missed."""
    repeated = {"quote": "Udledningen skal halveres i 2030", "value": 50.0, "target_year": 2030}
    other = {"quote": "Kommunen skal være klimaneutral i 2040", "value": None, "target_year": 2040}
    passages = [
        {"id": f"m{i}", "text": "Udledningen skal halveres i 2030.", "targets": [repeated]} for i in range(3)
    ]
    passages.append({"id": "plan", "text": "Kommunen skal være klimaneutral i 2040.", "targets": [other]})
    found_other = {"plan": [{**other, "start": 0, "end": len(other["quote"])}]}
    found_repeated = {f"m{i}": [{**repeated, "start": 0, "end": len(repeated["quote"])}] for i in range(3)}
    # one of two targets found either way: the three statements do not outweigh the one
    assert train.distinct_f1(passages, found_other) == pytest.approx(2 / 3)
    assert train.distinct_f1(passages, found_repeated) == pytest.approx(2 / 3)
    # a false target restated three times is one false target
    budget = "Budgettet skal reduceres med 5 % i 2026"
    passages += [{"id": f"b{i}", "text": budget + ".", "targets": []} for i in range(3)]
    false = {"quote": budget, "value": 5.0, "start": 0, "end": len(budget)}
    with_false = {**found_other, **{f"b{i}": [false] for i in range(3)}}
    assert train.distinct_f1(passages, with_false) == pytest.approx(2 / (2 + 1 + 1))


def _gold_doc(doc_id: str, text: str, source: str, target: bool) -> train.GoldDoc:
    gold = [{"quote": text.rstrip("."), "value": None}] if target else []
    return train.GoldDoc(doc_id, text, gold, source)


def test_the_target_threshold_keeps_precision_on_agendas() -> None:
    """The best F1 would take the threshold down to where a budget line in an agenda is a target;
    the floor on agenda precision keeps the threshold above it, at the best F1 that keeps the floor."""
    docs = [
        _gold_doc("plan-1", "Kommunen skal være klimaneutral i 2040.", "plans.jsonl", True),
        _gold_doc("plan-2", "Udledningen skal halveres i 2030.", "plans.jsonl", True),
        _gold_doc("plan-3", "Vi vil plante 10 hektar skov i 2030.", "plans.jsonl", True),
        _gold_doc("agenda-1", "Budgettet skal reduceres med 5 % i 2026.", "agendas.jsonl", False),
        _gold_doc("agenda-2", "Kommunen skal være klimaneutral i 2045.", "agendas.jsonl", True),
    ]
    data = train.collect(docs)
    assert [len(cands) for cands in data.by_doc] == [1, 1, 1, 1, 1]
    scores = [[0.9], [0.3], [0.3], [0.32], [0.95]]
    free = train.FitSettings(agenda_precision=0.85)
    assert train.choose_thresholds(data, scores, free)[0] <= 0.3  # no agenda gold named: F1 alone
    kept = train.FitSettings(agenda_precision=0.85, agenda_gold=("agendas.jsonl",))
    assert train.choose_thresholds(data, scores, kept)[0] == 0.33


def test_each_kind_of_text_weighs_the_same_in_the_target_threshold() -> None:
    """Pooled, six plan targets outweigh one real agenda's target: the threshold stays above the
    plans' two false candidates and loses the agenda's target. Weighed by kind, losing a kind's
    only target costs more than two false ones in the other kind."""
    plans = [
        "Kommunen skal være klimaneutral i 2040.",
        "Udledningen skal halveres i 2030.",
        "Vi vil plante 10 hektar skov i 2030.",
        "Andelen af elbiler skal være 50 % i 2030.",
        "Kommunens bygninger skal være fossilfri i 2035.",
        "Energiforbruget skal reduceres med 20 % i 2030.",
    ]
    false = ["Budgettet skal reduceres med 5 % i 2026.", "Gebyret skal stige med 3 % i 2027."]
    docs = [_gold_doc(f"plan-{i}", text, "plans.jsonl", True) for i, text in enumerate(plans)]
    docs += [_gold_doc(f"false-{i}", text, "plans.jsonl", False) for i, text in enumerate(false)]
    docs.append(_gold_doc("agenda", "Kommunen skal være CO2-neutral i 2050.", "real.jsonl", True))
    data = train.collect(docs)
    assert [len(cands) for cands in data.by_doc] == [1] * len(docs)
    scores = [[0.9]] * len(plans) + [[0.35]] * len(false) + [[0.3]]
    pooled = train.FitSettings()
    assert train.choose_thresholds(data, scores, pooled)[0] > 0.35
    by_kind = train.FitSettings(kinds=(("plans.jsonl",), ("real.jsonl",)))
    assert train.choose_thresholds(data, scores, by_kind)[0] <= 0.3


def test_a_case_in_committee_and_council_is_one_group() -> None:
    with (REAL / "cases.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    files_by_case = defaultdict(set)
    for row in rows:
        files_by_case[row["case"]].add(row["file"])
    case, files = next((c, f) for c, f in files_by_case.items() if len(f) >= 2 and not c.startswith("real/"))
    docs = {d.id: d for d in train.load_gold([REAL / "greve-dev.jsonl", REAL / "holdout.jsonl"])}
    groups = set()
    for name in files:
        doc = docs[name]
        starts = [offset for offset, group in doc.groups if group == case]
        assert starts, (name, case)
        groups.add(doc.group_at(starts[0]))
    assert groups == {case}


@needs_shared
def test_each_case_is_scored_once_by_a_fit_that_never_saw_it() -> None:
    data = train.collect(train.load_gold([REAL / "greve-dev.jsonl"])[:6])
    plan = train.fold_plan(data, train.FitSettings(folds=3))
    every = {g for groups in data.groups for g in groups}
    assert len(plan) == 3
    for fitted, held in plan:
        assert not fitted & held and fitted | held == every
    scored = [g for _, held in plan for g in held]
    assert sorted(scored) == sorted(every)  # each group scored in exactly one fold


def test_the_stored_weights_are_a_refit_of_the_stored_gold() -> None:
    result = CliRunner().invoke(main, ["train", "--check"])
    assert result.exit_code == 0, result.output
    stored = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    settings, gold = train.load_settings()
    assert stored["gold_digest"] == train.gold_digest(gold)
    assert 0 < stored["thresholds"]["suggestion"] < stored["thresholds"]["target"] < 1


def test_a_changed_gold_file_changes_the_digest(tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    gold.write_text('{"id": "a", "text": "x", "targets": []}\n', encoding="utf-8")
    before = train.gold_digest([gold])
    gold.write_text('{"id": "a", "text": "y", "targets": []}\n', encoding="utf-8")
    assert train.gold_digest([gold]) != before


def test_calibration_table_and_brier() -> None:
    figures = train.calibration([(0.05, 0), (0.15, 0), (0.95, 1), (0.85, 1), (0.9, 0)])
    assert figures["n"] == 5
    assert abs(figures["brier"] - (0.05**2 + 0.15**2 + 0.05**2 + 0.15**2 + 0.9**2) / 5) < 1e-9
    assert [row["n"] for row in figures["table"]] == [1, 1, 1, 2]


def test_evaluate_cv_prints_bands_kinds_and_calibration() -> None:
    gold = Path(__file__).parent / "gold" / "seeds.jsonl"
    result = CliRunner().invoke(main, ["evaluate", "--cv", str(gold)])
    assert result.exit_code == 0, result.output
    for expected in ("candidate recall", "targets+suggestions", "kind outcome", "calibration: Brier"):
        assert expected in result.output
    distinct = re.search(r"each distinct target once: (\d\.\d{4})", result.output)
    assert distinct and 0.0 < float(distinct.group(1)) <= 1.0
