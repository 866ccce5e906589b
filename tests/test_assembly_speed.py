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
