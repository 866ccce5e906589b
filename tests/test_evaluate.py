"""The scorer follows shared/docs/gold-format.md to the letter."""

from __future__ import annotations

from extractors.evaluate import field_ok, find_span, match_spans, score

TEXT = "Mål: 25 % genanvendelse af plast og 20 % genanvendelse af metal i 2018."


def _gold(quote: str, value: float | None, year: int | None = 2018, baseline: int | None = None) -> dict:
    return {
        "quote": quote,
        "value": value,
        "unit": "%",
        "direction": "reach",
        "target_year": year,
        "baseline_year": baseline,
    }


def _pred(quote: str, value: float | None, year: int | None = 2018, baseline: int | None = None) -> dict:
    start = TEXT.index(quote)
    return {"start": start, "end": start + len(quote), **_gold(quote, value, year, baseline)}


def test_find_span_exact_then_whitespace_insensitive() -> None:
    assert find_span("a b  c", "b  c") == (2, 6)
    assert find_span("a b\n c", "b c") == (2, 6)
    assert find_span("abc", "x") is None
    assert find_span("abc", "") is None


def test_match_is_one_to_one_largest_overlap_first() -> None:
    gold = [(0, 10), (12, 20)]
    pred = [(0, 20)]
    assert match_spans(gold, pred) == [(0, 0)]
    assert match_spans([(0, 10)], [(0, 3), (2, 10)]) == [(0, 1)]
    assert match_spans([(0, 5)], [(5, 9)]) == []


def test_value_tolerance_and_nulls() -> None:
    assert field_ok("value", 33.33, 33.3)
    assert not field_ok("value", 33.33, 33.2)
    assert field_ok("value", None, None)
    assert not field_ok("value", None, 0.0)
    assert field_ok("target_year", None, None)


def test_perfect_prediction() -> None:
    passage = {
        "id": "p",
        "text": TEXT,
        "targets": [
            _gold("25 % genanvendelse af plast", 25.0),
            _gold("20 % genanvendelse af metal i 2018", 20.0),
        ],
    }
    preds = {
        "p": [_pred("25 % genanvendelse af plast", 25.0), _pred("20 % genanvendelse af metal i 2018", 20.0)]
    }
    f = score([passage], preds).figures()
    assert f["detection"]["f1"] == 1.0 and f["strict"]["f1"] == 1.0 and f["passage_accuracy"] == 1.0


def test_strict_needs_value_year_and_baseline() -> None:
    passage = {
        "id": "p",
        "text": TEXT,
        "targets": [_gold("25 % genanvendelse af plast", 25.0, baseline=2010)],
    }
    preds = {"p": [_pred("25 % genanvendelse af plast", 25.0, baseline=None)]}
    report = score([passage], preds)
    f = report.figures()
    assert f["detection"]["f1"] == 1.0
    assert f["strict"]["f1"] == 0.0
    assert f["fields"]["baseline_year"] == 0.0 and f["fields"]["value"] == 1.0
    assert report.errors[0]["kind"] == "wrong_fields"


def test_misses_spurious_and_passage_accuracy() -> None:
    passages = [
        {"id": "a", "text": TEXT, "targets": [_gold("25 % genanvendelse af plast", 25.0)]},
        {"id": "b", "text": "I 2012 indgik kommunerne en aftale.", "targets": []},
    ]
    preds = {"a": [], "b": [{"start": 0, "end": 6, "quote": "I 2012", "value": None}]}
    report = score(passages, preds)
    f = report.figures()
    assert f["detection"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert f["passage_accuracy"] == 0.0
    assert sorted(e["kind"] for e in report.errors) == ["missed", "spurious"]


def test_prediction_without_offsets_is_placed_by_quote() -> None:
    passage = {"id": "p", "text": TEXT, "targets": [_gold("25 % genanvendelse af plast", 25.0)]}
    preds = {
        "p": [{"quote": "25 % genanvendelse", "value": 25.0, "target_year": 2018, "baseline_year": None}]
    }
    assert score([passage], preds).figures()["strict"]["f1"] == 1.0


def test_empty_gold_and_empty_prediction_is_right() -> None:
    f = score([{"id": "n", "text": "Ingen mål her.", "targets": []}], {}).figures()
    assert f["passage_accuracy"] == 1.0
    assert f["detection"]["f1"] == 1.0


def test_an_optional_gold_target_is_neither_required_nor_penalised() -> None:
    optional = {**_gold("20 % genanvendelse af metal i 2018", 20.0), "optional": True}
    passage = {"id": "p", "text": TEXT, "targets": [_gold("25 % genanvendelse af plast", 25.0), optional]}
    found = score([passage], {"p": [_pred("25 % genanvendelse af plast", 25.0)]}).figures()
    assert found["gold_targets"] == 1 and found["detection"]["recall"] == 1.0
    both = [_pred("25 % genanvendelse af plast", 25.0), _pred("20 % genanvendelse af metal i 2018", 20.0)]
    figures = score([passage], {"p": both}).figures()
    assert figures["predicted_targets"] == 1 and figures["detection"]["precision"] == 1.0


def test_a_resolved_gold_span_wins_over_the_first_occurrence() -> None:
    text = "Målet er 50 % i 2030. Målet er 50 % i 2030."
    second = text.rindex("Målet")
    gold = {"quote": "Målet er 50 % i 2030.", "start": second, "end": len(text), "value": 50.0}
    gold |= {"target_year": 2030, "baseline_year": None}
    passage = {"id": "d", "text": text, "targets": [gold]}
    at_first = {"start": 0, "end": 21, "value": 50.0, "target_year": 2030, "baseline_year": None}
    assert score([passage], {"d": [at_first]}).figures()["matched"] == 0
    at_second = {**at_first, "start": second, "end": len(text)}
    assert score([passage], {"d": [at_second]}).figures()["matched"] == 1
