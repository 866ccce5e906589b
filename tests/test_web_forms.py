"""Form parsing (Danish numbers, years, choices) and the passage marks, without a server."""

from __future__ import annotations

import pytest

from webapp.forms import format_number, parse_fields, parse_number
from webapp.passage import build_passage


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("70", 70.0),
        ("1,5", 1.5),
        ("1.5", 1.5),
        ("220.536", 220536.0),
        ("1.230,5", 1230.5),
        (" 25 ", 25.0),
        ("-2,25", -2.25),
    ],
)
def test_danish_numbers_are_read(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["mange", "1,2,3", "12a", "1.23.4", ""])
def test_non_numbers_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


def test_numbers_are_written_back_the_danish_way() -> None:
    assert (format_number(1.5), format_number(70.0), format_number(None)) == ("1,5", "70", "")


def test_field_errors_are_clear_danish_sentences() -> None:
    fields, errors = parse_fields(
        {"value": "mange", "target_year": "1899", "baseline_year": "20x0", "direction": "sideways"}
    )
    assert errors == {
        "value": "«mange» er ikke et tal. Skriv fx 70 eller 1,5.",
        "target_year": "1899 ligger uden for 1900–2100.",
        "baseline_year": "«20x0» er ikke et årstal. Skriv et år mellem 1900 og 2100.",
        "direction": "«sideways» er ikke et gyldigt valg.",
    }
    fields, errors = parse_fields(
        {"value": "1,5", "target_year": "2030", "direction": "reduce", "interim": "on", "unit": " % "}
    )
    assert errors == {}
    assert (
        fields["value"],
        fields["target_year"],
        fields["direction"],
        fields["interim"],
        fields["unit"],
    ) == (1.5, 2030, "reduce", True, "%")
    assert fields["baseline_year"] is None and fields["bound"] is None


def test_passage_marks_the_fields_inside_the_quote_only() -> None:
    text = (
        "I 2030 skal vi videre. Senest i 2030 er udledningen reduceret med 70 % i forhold til 1990. Resten."
    )
    start = text.index("Senest")
    end = text.index("Resten") - 1
    passage = build_passage(text, start, end, {"value": 70.0, "target_year": 2030, "baseline_year": 1990})
    kinds = {s.kind: s.text for s in passage.quote}
    assert (kinds["value"], kinds["year"], kinds["baseline"]) == ("70", "2030", "1990")
    assert "".join(s.text for s in passage.before + passage.quote + passage.after) == text[passage.offset :]
    assert passage.unmarked == []


def test_a_value_written_in_words_is_reported_unmarked() -> None:
    text = "Udledningen skal halveres i 2030."
    passage = build_passage(text, 0, len(text), {"value": 50.0, "target_year": 2030})
    assert passage.unmarked == ["value"]


def test_passage_shows_whole_lines_of_context_on_both_sides() -> None:
    lines = [f"Linje {i} med lidt tekst om klimaet i kommunen." for i in range(60)]
    text = "\n".join(lines)
    start = text.index("Linje 30 ")
    end = start + len(lines[30])
    passage = build_passage(text, start, end, {})
    before = "".join(s.text for s in passage.before)
    after = "".join(s.text for s in passage.after)
    assert 300 < len(before) <= 500 and 300 < len(after) <= 500
    assert before.startswith("Linje ") and (after.endswith(".") or after.endswith("\n"))
    assert passage.truncated_start and passage.truncated_end
