"""The shortcuts of the assembly speed work say what the slower code they stand for said.

No timing here: speed is measured by scripts; these tests pin the equivalences.
"""

from __future__ import annotations

import pytest

from extractors.target import (
    _CHOICE_FIELDS,
    Target,
    TargetValidationError,
    _check_choice,
    _check_year,
)

#: Values a choice or year field may be handed: words of every vocabulary, None, near misses,
#: other types and unhashable values.
_PROBES = [
    None,
    "",
    "Reduce",
    "reduce ",
    1,
    2030,
    1899,
    2101,
    1900,
    2100,
    2030.5,
    True,
    ["reduce"],
    {"a": 1},
    b"reduce",
    *(word for _, choices in _CHOICE_FIELDS for word in choices),
]


def _outcome(build, *args, **kwargs) -> tuple[str, str]:
    try:
        build(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the kind and message of any rejection are compared
        return type(exc).__name__, str(exc)
    return "ok", ""


def _old_validation(values: dict) -> None:
    """Target.__post_init__ as it was before the frozenset fast path."""
    for name, choices in _CHOICE_FIELDS:
        _check_choice(name, values.get(name), choices)
    for name in ("target_year", "baseline_year", "start_year"):
        _check_year(name, values.get(name))


@pytest.mark.parametrize(
    "field", [name for name, _ in _CHOICE_FIELDS] + ["target_year", "baseline_year", "start_year"]
)
def test_target_validation_rejects_what_it_always_rejected(field: str) -> None:
    for probe in _PROBES:
        values = {field: probe}
        assert _outcome(Target, 0, 1, "x", **values) == _outcome(_old_validation, values), probe


def test_first_failing_field_is_named() -> None:
    with pytest.raises(TargetValidationError, match="^direction="):
        Target(0, 1, "x", direction="up", sector="nowhere", target_year="2030")
    with pytest.raises(TargetValidationError, match="^sector="):
        Target(0, 1, "x", sector=["energi"])


def test_baseline_words_are_in_every_baseline_phrase() -> None:
    """fields.may_name_baseline may answer for baseline_label: each phrase the pattern opens with
    holds one of its words (a phrase added to the pattern without its word fails here)."""
    from re import _parser

    from extractors import fields

    opening = _parser.parse(fields._BASELINE_LABEL.pattern)[0]
    assert opening[0] is _parser.BRANCH
    for branch in opening[1][1]:
        literal = "".join(chr(av) if op is _parser.LITERAL else " " for op, av in branch)
        assert any(word in literal for word in fields._BASELINE_WORDS), literal


@pytest.mark.parametrize(
    "after",
    [
        " under 1990-niveau",
        " lavere end niveauet i 2019",
        " mindre end det i 2005",
        " over niveauet i 2019",
        " højere end udgangsniveau",
        " flere end i 2010",
        " Under Basisår",
        "  over  det   2020",
        " under 19",
        " i 2030",
        "",
        " fra 2019",
    ],
)
def test_relative_level_as_one_pattern_reads_as_the_rules_in_turn(after: str) -> None:
    """refine._relative_level (one caseless pattern, a group per rule) links what matching each
    rule's regex in rule order, on the 60 characters after the figure, linked."""
    import re

    from extractors.caseless import fold
    from extractors.components.types import Quantity
    from extractors.refine import _R, _relative_level

    for text in (f"30 %{after}", f"30 %{after}" + " og mere tekst" * 8):
        expected = next(
            (rule["link"] for rule in _R["relative_level"] if re.match(rule["regex"], text[4:64], re.I)),
            None,
        )
        for low in (fold(text), None):
            q = Quantity(0, 4, 30.0, "%", "number", "test")
            _relative_level(text, q, low)
            assert q.link == expected
