"""Stand-off gold: lines that name a real document are resolved through the ingest readers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors import docgold
from klimamaal.config import shared_dir

GREVE = "real/greve/greve_2023-05-15_byraad-2022-2025.html"
needs_shared = pytest.mark.skipif(
    not (shared_dir() / GREVE).is_file(), reason="../shared/real is not beside the project"
)


def test_quote_spans_are_whitespace_insensitive_and_counted() -> None:
    text = "Målet er 70 %\ni 2030. Igen: målet er 70 % i 2030."
    assert docgold.quote_spans(text, "er 70 % i 2030") == [(6, 20), (34, 48)]
    assert docgold.locate(text, "er 70 % i 2030", 2) == (34, 48)
    assert docgold.locate(text, "er 70 % i 2030", 3) is None
    assert docgold.locate(text, "   ") is None


def test_a_line_names_a_file_a_passage_carries_text() -> None:
    assert docgold.is_document_gold({"file": "real/x.html", "targets": []})
    assert not docgold.is_document_gold({"id": "p", "text": "…", "targets": []})


def test_a_missing_document_is_a_clear_error(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"file": "real/nowhere/missing.html", "targets": []}) + "\n", encoding="utf-8")
    with pytest.raises(docgold.GoldError, match="missing.html"):
        docgold.load(gold, shared=tmp_path)


@needs_shared
def test_a_document_line_resolves_to_the_readers_text_and_the_nth_match(tmp_path: Path) -> None:
    text = docgold.document_text(GREVE)
    quote = "Byrådet"
    second = docgold.locate(text, quote, 2)
    assert second is not None
    line = {"file": GREVE, "targets": [{"quote": quote, "occurrence": 2, "value": None}]}
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    (passage,) = docgold.load(gold)
    assert passage["text"] == text and passage["id"] == GREVE
    assert (passage["targets"][0]["start"], passage["targets"][0]["end"]) == second


@needs_shared
def test_a_quote_that_is_not_in_the_document_names_the_file(tmp_path: Path) -> None:
    line = {"file": GREVE, "targets": [{"quote": "en sætning der ikke står her", "value": None}]}
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(docgold.GoldError, match="greve_2023-05-15"):
        docgold.load(gold)


@needs_shared
def test_every_real_gold_quote_is_found() -> None:
    for path in sorted((Path(__file__).parent / "gold" / "real").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            resolved = docgold.resolve(json.loads(line))
            assert resolved.problems == (), resolved.problems
