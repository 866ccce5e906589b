"""One definition of "the same target": quotes read alike and the identifying fields agree."""

from __future__ import annotations

from extractors.same_target import is_same_target, normalise_quote, same_target_key

FIELDS = {"value": 70.0, "unit": "%", "direction": "reduce", "target_year": 2030, "baseline_year": 1990}


def test_spelling_case_space_and_dashes_are_set_aside() -> None:
    a = "CO₂-udledningen skal reduceres med 70 %\ni 2030."
    b = "co2 – udledningen  skal reduceres med 70 % i 2030"
    assert normalise_quote(a).replace(" ", "") == normalise_quote(b).replace(" ", "")
    assert is_same_target(
        "Udledningen skal reduceres med 70 % i 2030.",
        FIELDS,
        "udledningen skal reduceres  med 70 % i 2030",
        FIELDS,
    )
    assert normalise_quote("220.536 ton") == normalise_quote("220536 ton")
    assert normalise_quote("C02-neutral") == normalise_quote("CO2-neutral")


def test_a_different_value_or_year_is_another_target() -> None:
    quote = "Udledningen skal reduceres med 70 % i 2030."
    assert not is_same_target(quote, FIELDS, quote, {**FIELDS, "value": 75.0})
    assert not is_same_target(quote, FIELDS, quote, {**FIELDS, "target_year": 2035})
    assert not is_same_target(quote, FIELDS, "Udledningen skal reduceres med 75 % i 2030.", FIELDS)


def test_the_metric_does_not_make_it_another_target() -> None:
    quote = "Udledningen skal reduceres med 70 % i 2030."
    assert same_target_key(quote, {**FIELDS, "metric": "udledning"}) == same_target_key(
        quote, {**FIELDS, "metric": "CO₂"}
    )
    assert len(same_target_key(quote, FIELDS)) == 20
