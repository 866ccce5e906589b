"""Danish numbers and the document segmenter, the two pieces everything else stands on, and how a
target's figure is read from them (shares in words, ranges, signs)."""

from __future__ import annotations

import re

import pytest

from extractors import extract_targets
from extractors.numbers import (
    NUMBER_WORD_RE,
    NUMBER_WORDS,
    parse_digits,
    parse_fraction,
    parse_number,
    parse_number_word,
)
from extractors.pipeline import collect_candidates
from extractors.segment import segments, split_sentences


@pytest.mark.parametrize(
    "raw,value",
    [
        ("25", 25.0),
        ("1,5", 1.5),
        ("220.536", 220536.0),
        ("1.230,5", 1230.5),
        ("10\u00a0000", 10000.0),
        ("2.5", 2.5),
    ],
)
def test_digits_the_danish_way(raw: str, value: float) -> None:
    assert parse_digits(raw) == value


@pytest.mark.parametrize("raw", ["", "abc", "9" * 50, "1,2,3"])
def test_not_numbers(raw: str) -> None:
    assert parse_digits(raw) is None


@pytest.mark.parametrize(
    "word,value",
    [
        ("femten", 15.0),
        ("femogtyve", 25.0),
        ("halvtreds", 50.0),
        ("to", 2.0),
        ("hundrede", 100.0),
        ("anden", None),
    ],
)
def test_number_words(word: str, value: float | None) -> None:
    assert parse_number_word(word) == value


def test_compounds_with_en_are_number_words_in_text() -> None:
    """ "enogtyve" (21), "enogfyrre" (41): "en" alone is an article, in a compound it is one."""
    assert "enogtyve" in NUMBER_WORDS and re.fullmatch(NUMBER_WORD_RE, "enogfyrre")
    assert not re.fullmatch(NUMBER_WORD_RE, "en")
    (target,) = extract_targets("Vi vil plante enogtyve hektar ny skov senest i 2030.")
    assert (target.value, target.unit) == (21.0, "ha")


def test_fractions_and_fallback() -> None:
    assert parse_fraction("tre  fjerdedele") == 75.0
    assert parse_fraction("en tredjedel") == 33.33
    assert parse_fraction("halvdelen") == 50.0
    assert parse_number("fyrre") == 40.0 and parse_number("40") == 40.0


def test_sentences_keep_abbreviations_together() -> None:
    text = "Der anvendes 10 mio. kr. årligt, bl.a. til solceller. Næste sætning er her."
    spans = list(split_sentences(text, 0, len(text)))
    assert [text[s:e] for s, e in spans] == [
        "Der anvendes 10 mio. kr. årligt, bl.a. til solceller.",
        "Næste sætning er her.",
    ]


@pytest.mark.parametrize(
    "text,first",
    [
        ("Kommunen har afsat 12,2 mio. kr. Heri indgår to puljer.", "Kommunen har afsat 12,2 mio. kr."),
        ("Andelen er 20 pct. Det er for lidt.", "Andelen er 20 pct."),
        ("Der plantes 30 ha. Skoven står klar i 2030.", "Der plantes 30 ha."),
    ],
)
def test_a_unit_abbreviation_before_a_capital_ends_the_sentence(text: str, first: str) -> None:
    """Agendas end sentences on amounts ("… mio. kr. Heri …"): a quote must not run into the next one."""
    spans = list(split_sentences(text, 0, len(text)))
    assert text[spans[0][0] : spans[0][1]] == first and len(spans) == 2


def test_a_unit_abbreviation_before_a_digit_or_small_letter_does_not() -> None:
    text = "Udgiften er 3 mio. kr. i 2024 og 2 mio. kr. 2025-2026."
    assert len(list(split_sentences(text, 0, len(text)))) == 1


def test_headers_carry_scope_interim_and_year_to_list_items() -> None:
    text = "Delmål:\n\nDet vi gør selv:\n\n- Første punkt 1.\n\nDet vi gør som medejer:\n\n- Andet punkt 2.\n\n2030:\n\n- Tredje 3."
    items = [s for s in segments(text) if s.kind == "item"]
    assert [(s.context.scope, s.context.interim, s.context.year) for s in items] == [
        ("organisation", True, None),
        ("utility", True, None),
        ("utility", True, 2030),
    ]
    assert all(text[s.start : s.end].startswith(("Første", "Andet", "Tredje")) for s in items)


def test_prose_ends_a_list_and_tables_give_column_years() -> None:
    text = (
        "Mål:\n\n- Punkt 5 %.\n\nAlmindelig tekst med 7 % her.\n\nSektor | 2025 | 2030\nEnergi | 60 % | 85 %"
    )
    segs = list(segments(text))
    prose = next(s for s in segs if s.kind == "sentence")
    assert prose.context.target_list is False
    row = next(s for s in segs if s.kind == "row")
    assert [c[2] for c in row.cells] == [None, 2025, 2030]


def test_offsets_point_into_the_original_text() -> None:
    text = "  •\u00a0Senest i 2030 er udledningen halveret.\n\n\f\n\nNy side: 50 % mindre affald i 2030."
    for seg in segments(text):
        assert text[seg.start : seg.end] == text[seg.start : seg.end].strip()
        assert seg.end <= len(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Udledningen skal reduceres med 250 000 tons CO2 inden 2030.", 250000.0),
        ("Vi skal spare 2 500 MWh i 2030.", 2500.0),
    ],
)
def test_thousands_grouped_by_plain_spaces_before_a_unit(text: str, value: float) -> None:
    """PDF text writes "250 000 tons" with plain spaces; the figure was read as "000 tons", 0."""
    (target,) = extract_targets(text)
    assert target.value == value


def test_plain_spaces_without_a_unit_stay_apart() -> None:
    """A plain space also parts the columns of a table: numbers with no unit after them are not joined."""
    from extractors.pipeline import _stages

    found = [q.value for q in _stages().quantities.find("Transport 35 120 240")]
    assert found == [35.0, 120.0, 240.0]


@pytest.mark.parametrize(
    "text, value",
    [
        # "hver" before a common noun, "hvert" before a neuter one
        ("Hvert fjerde tag på kommunens bygninger skal have solceller i 2028.", 25.0),
        ("Hver tredje bil i kommunen skal være en elbil i 2030.", 33.33),
        # the guide's "alle kommunens biler skal være elbiler" is 100 %, and so it is when the whole is counted
        ("Alle kommunens 120 biler skal være elbiler i 2027.", 100.0),
        ("I 2030 skal samtlige 14 skoler være opvarmet med fjernvarme.", 100.0),
    ],
)
def test_a_share_in_words_is_a_percentage(text: str, value: float) -> None:
    (target,) = extract_targets(text)
    assert (target.value, target.unit) == (value, "%")


def test_a_count_without_all_stays_a_count() -> None:
    (target,) = extract_targets("Kommunen vil have 120 elbiler i 2027.")
    assert (target.value, target.unit) == (120.0, "count")


@pytest.mark.parametrize(
    "text",
    ["Planen revideres hvert fjerde år, næste gang i 2028.", "Haverne tømmes hver anden uge fra 2026."],
)
def test_every_nth_period_is_how_often_not_a_share(text: str) -> None:
    assert not [c for c in collect_candidates(text) if c["unit"] == "%"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Der plantes 2.000 til 3.000 træer om året frem mod 2030.", 2000.0),
        ("Kommunen har opgjort udledningen for 2023 til 241.000 ton CO2e.", 241000.0),
    ],
)
def test_a_range_starts_at_a_grouped_number_but_never_at_a_year(text: str, value: float) -> None:
    values = {c["value"] for c in collect_candidates(text)}
    assert value in values and 2023.0 not in values


def test_a_minus_before_a_figure_is_a_cut() -> None:
    """Sector tables write cuts as signed figures ("Transport | -50 % | -75 %"); a range's dash is no sign."""
    table = "Sektor | 2030 | 2035\nTransport | -50 % | -75 %"
    assert {c["direction"] for c in collect_candidates(table)} == {"reduce"}
    (candidate,) = collect_candidates("Andelen af elbiler skal være 20-30 % i 2030.")
    assert candidate["direction"] == "reach"


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("Alle lastbiler over 3,5 tons i kommunens flåde skal være fossilfri senest i 2030.", 3.5),
        ("CO2-udledningen på over 300.000 tons skal halveres inden 2030.", 300000.0),
        ("Boliger på mere end 150 m2 skal have et energiforbrug under 50 kWh/m2 i 2030.", 150.0),
        # the verb after the subject a plain present tense
        ("Alle kommunens køretøjer under 3,5 ton kører på el senest i 2027.", 3.5),
        # after a preposition, wherever it stands
        ("Mål 2030: Mindst 75 % af borgerne cykler, går eller tager bussen på ture under 5 km.", 5.0),
    ],
)
def test_a_figure_that_says_which_things_are_meant_is_no_value(text: str, qualifier: float) -> None:
    """In the subject, "<noun> over/under/mere end <figure>" narrows the noun; the goal is the rest."""
    (target,) = extract_targets(text)
    assert target.value != qualifier
    assert qualifier not in {c["value"] for c in collect_candidates(text)}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a level noun before the figure makes it the level, a verb before it makes it the goal
        ("Andelen på over 50 % skal fastholdes frem mod 2030.", 50.0),
        ("Udledningen skal være under 2 tons pr. borger i 2035.", 2.0),
        ("Over 80 % af borgerne skal have adgang til fjernvarme i 2030.", 80.0),
    ],
)
def test_a_level_after_over_or_under_stays_the_value(text: str, value: float) -> None:
    (target,) = extract_targets(text)
    assert target.value == value


@pytest.mark.parametrize(
    ("text", "value", "unit", "year"),
    [
        (
            "Antallet af offentlige ladepunkter skal være mindst 600 ved udgangen af 2027.",
            600.0,
            "count",
            2027,
        ),
        ("Affaldsplanen sigter mod, at genanvendelsesprocenten når 60 i 2030.", 60.0, "%", 2030),
    ],
)
def test_a_bare_number_takes_its_unit_from_the_words_before_it(
    text: str, value: float, unit: str, year: int
) -> None:
    """ "Antallet af …" counts, "…procenten" is a share; "ved udgangen af" and "når" frame it as a level."""
    (target,) = extract_targets(text)
    assert (target.value, target.unit, target.target_year) == (value, unit, year)


def test_a_bare_number_with_no_unit_word_before_it_is_no_target() -> None:
    assert extract_targets("Kommunen skal være mindst 600 ved udgangen af 2027.") == []


def test_degrees_celsius_are_a_unit() -> None:
    """The annotation guide's unit °C: "fremløbstemperaturen skal sænkes til højst 55 °C", "1,5 °C"."""
    from extractors import extract_targets

    (target,) = extract_targets(
        "Fremløbstemperaturen i fjernvarmenettet skal sænkes til højst 55 °C inden 2026."
    )
    assert (target.value, target.unit) == (55.0, "°C")


def test_degrees_alone_may_be_an_angle() -> None:
    """ "taghældningen ændres til 10-35 grader" in a local plan is an angle: only "°C" and "grader
    celsius" name a temperature."""
    from extractors.pipeline import collect_candidates

    assert collect_candidates("Taghældningen ændres til 35 grader i lokalplanen.") == []
