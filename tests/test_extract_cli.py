"""`klimamaal extract` and `klimamaal evaluate` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from klimamaal.cli import main

PASSAGES = [
    {"id": "a", "text": "Senest i 2030 er udledningen reduceret med 70 % i forhold til 1990.", "source": "x"},
    {"id": "b", "text": "I 2012 indgik kommunerne en aftale."},
]


def test_extract_jsonl_one_line_out_per_line_in() -> None:
    stdin = "\n".join(json.dumps(p, ensure_ascii=False) for p in PASSAGES) + "\n"
    result = CliRunner().invoke(main, ["extract", "--jsonl"], input=stdin)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    (t,) = lines[0]["targets"]
    assert PASSAGES[0]["text"][t["start"] : t["end"]] == t["quote"]
    assert (t["value"], t["unit"], t["target_year"], t["deadline_kind"], t["baseline_year"]) == (
        70.0,
        "%",
        2030,
        "by",
        1990,
    )
    assert lines[1]["targets"] == []


def test_extract_file_table_and_json(tmp_path: Path) -> None:
    doc = tmp_path / "plan.txt"
    doc.write_text("Mål:\n\n- Kommunen er klimaneutral senest i 2045.\n", encoding="utf-8")
    table = CliRunner().invoke(main, ["extract", str(doc)])
    assert table.exit_code == 0, table.output
    assert "1 targets" in table.output and "2045" in table.output
    as_json = CliRunner().invoke(main, ["extract", str(doc), "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    (t,) = json.loads(as_json.output)
    assert t["direction"] == "neutral" and t["target_year"] == 2045


def _gold_file(tmp_path: Path) -> Path:
    gold = [
        {
            **PASSAGES[0],
            "targets": [
                {
                    "quote": PASSAGES[0]["text"],
                    "value": 70.0,
                    "unit": "%",
                    "direction": "reduce",
                    "bound": None,
                    "metric": "udledningen",
                    "target_year": 2030,
                    "deadline_kind": "by",
                    "baseline_year": 1990,
                }
            ],
        },
        {**PASSAGES[1], "targets": []},
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in gold) + "\n", encoding="utf-8")
    return path


def test_evaluate_runs_the_extractor(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["evaluate", str(_gold_file(tmp_path)), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)[str(tmp_path / "gold.jsonl")]
    assert figures["strict"]["f1"] == 1.0 and figures["passage_accuracy"] == 1.0


def test_evaluate_scores_a_predictions_file_and_lists_errors(tmp_path: Path) -> None:
    preds = tmp_path / "preds.jsonl"
    preds.write_text(
        json.dumps({"id": "a", "targets": []})
        + "\n"
        + json.dumps({"id": "b", "targets": [{"quote": "I 2012", "start": 0, "end": 6}]})
        + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["evaluate", str(_gold_file(tmp_path)), "--predictions", str(preds), "--errors"]
    )
    assert result.exit_code == 0, result.output
    assert "MISSED" in result.output and "SPURIOUS" in result.output
    assert "passage accuracy 0.000" in result.output
