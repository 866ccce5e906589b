"""Danish labels of the coded values of a target (``reduce`` -> "reducere"), for every place people read them:
the review form and queue, and the comparison's spreadsheets and report."""

from __future__ import annotations

from typing import Any

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

#: Short forms for tables, where the form's examples would not fit.
SHORT: dict[str, dict[str, str]] = {"deadline_kind": {"in": "i", "by": "senest"}}
#: A target's review status, band and origin.
STATUS_LABELS = {"pending": "afventer", "accepted": "accepteret", "edited": "rettet", "rejected": "afvist"}
BAND_LABELS = {"target": "mål", "suggestion": "forslag"}
ORIGIN_LABELS = {"machine": "maskine", "reviewer": "bedømmer"}
YES, NO = "ja", "nej"

#: Danish names of a target's fields, in the form and as column names.
FIELD_LABELS: dict[str, str] = {
    "quote": "Citat",
    "value": "Værdi",
    "unit": "Enhed",
    "direction": "Retning",
    "bound": "Grænse",
    "metric": "Måleenhed / hvad der måles",
    "sector": "Sektor",
    "scope": "Omfang",
    "target_year": "Målår",
    "deadline_kind": "Frist",
    "baseline_year": "Basisår",
    "baseline_label": "Basis (tekst)",
    "start_year": "Startår",
    "rate": "Rate",
    "strength": "Styrke",
    "interim": "Delmål",
    "kind": "Art",
}


def danish(field: str, value: Any) -> Any:
    """A coded value in Danish for a table cell (``reduce`` -> ``reducere``); others as they are."""
    if value is None:
        return None
    if field == "interim" or isinstance(value, bool):
        return YES if value else NO
    if field in SHORT:
        return SHORT[field].get(value, value)
    return CHOICES.get(field, {}).get(value, value)
