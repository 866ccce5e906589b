"""Danish labels of the coded values of a target (``reduce`` -> "reducere"), for every place people read them:
the review form and queue, and the comparison's spreadsheets and report."""

from __future__ import annotations

from extractors.target import BOUNDS, DEADLINE_KINDS, DIRECTIONS, KINDS, RATES, SCOPES, SECTORS, STRENGTHS

#: Danish labels for the choices, shown in the form and the queue.
CHOICES: dict[str, dict[str, str]] = {
    "direction": {
        "reduce": "reducere",
        "increase": "øge",
        "reach": "nå (andel/niveau)",
        "maintain": "fastholde",
        "neutral": "neutral",
        "phase_out": "udfase",
    },
    "bound": {"at_least": "mindst", "at_most": "højst"},
    "deadline_kind": {"in": "i (fx »i 2030«)", "by": "senest (fx »inden 2030«)"},
    "strength": {"binding": "bindende (skal)", "intent": "hensigt (vil)", "aspiration": "ønske (stræber)"},
    "scope": {
        "area": "hele kommunen",
        "organisation": "kommunen som virksomhed",
        "utility": "forsyning (medejer)",
    },
    "rate": {"per_year": "pr. år"},
    "sector": {s: s for s in SECTORS},
    "kind": {"outcome": "resultatmål", "resource": "ressource (penge til klimaindsats)"},
}
assert set(CHOICES["direction"]) == set(DIRECTIONS) and set(CHOICES["bound"]) == set(BOUNDS)
assert set(CHOICES["deadline_kind"]) == set(DEADLINE_KINDS) and set(CHOICES["strength"]) == set(STRENGTHS)
assert set(CHOICES["scope"]) == set(SCOPES) and set(CHOICES["rate"]) == set(RATES)
assert set(CHOICES["kind"]) == set(KINDS)
