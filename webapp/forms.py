"""Parsing and validating the target form; messages are Danish because reviewers read them.

Reviewers type numbers the Danish way ("1,5", "220.536", "1.230,5"), so the
value parser accepts a decimal comma and thousands dots as well as a plain
"1.5". Choice fields are checked against the extractor's vocabulary so that a
reviewer's correction is held to the same contract as a machine target.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from extractors.labels import CHOICES, FIELD_LABELS

#: Danish labels of the fields, in form order.
LABELS = FIELD_LABELS
YEAR_FIELDS = ("target_year", "baseline_year", "start_year")
TEXT_FIELDS = {"unit": 30, "metric": 500, "baseline_label": 200}
UNITS = ("%", "procentpoint", "tons", "kWh", "MWh", "GWh", "MW", "liter/døgn", "kr", "ha", "count")

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_PLAIN = re.compile(r"^[+-]?\d+(\.\d+)?$")


def parse_number(text: str) -> float:
    """A number as a Dane writes it: "1,5", "220.536", "1.230,5"; also "1.5" and "70"."""
    raw = text.strip().replace("\u00a0", "").replace(" ", "")
    if _NUMBER.match(raw):
        return float(raw.replace(".", "").replace(",", "."))
    if _PLAIN.match(raw):
        return float(raw)
    raise ValueError(text)


def format_number(value: float | None) -> str:
    """The Danish way of writing a value back into the form: 1.5 -> "1,5", 70.0 -> "70"."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value)).replace(".", ",")


def parse_fields(form: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Turn the submitted form into target fields; returns (fields, Danish error messages by field)."""
    fields: dict[str, Any] = {}
    errors: dict[str, str] = {}
    raw_value = str(form.get("value", "") or "").strip()
    if raw_value:
        try:
            fields["value"] = parse_number(raw_value)
        except ValueError:
            errors["value"] = f"«{raw_value}» er ikke et tal. Skriv fx 70 eller 1,5."
    else:
        fields["value"] = None
    for name in YEAR_FIELDS:
        raw = str(form.get(name, "") or "").strip()
        if not raw:
            fields[name] = None
            continue
        if not re.fullmatch(r"\d{1,4}", raw):
            errors[name] = f"«{raw}» er ikke et årstal. Skriv et år mellem 1900 og 2100."
            continue
        year = int(raw)
        if not 1900 <= year <= 2100:
            errors[name] = f"{year} ligger uden for 1900–2100."
            continue
        fields[name] = year
    for name, choices in CHOICES.items():
        raw = str(form.get(name, "") or "").strip()
        if not raw:
            fields[name] = None
        elif raw in choices:
            fields[name] = raw
        else:
            errors[name] = f"«{raw}» er ikke et gyldigt valg."
    for name, limit in TEXT_FIELDS.items():
        raw = str(form.get(name, "") or "").strip()
        if len(raw) > limit:
            errors[name] = f"Højst {limit} tegn."
        fields[name] = raw or None
    fields["interim"] = str(form.get("interim", "")) in ("on", "1", "true")
    fields["kind"] = fields.get("kind") or "outcome"  # every target is of one kind; outcome unless chosen
    quote = str(form.get("quote", "") or "")
    if "quote" in form:
        if not quote.strip():
            errors["quote"] = "Citatet må ikke være tomt."
        fields["quote"] = quote
    return fields, errors


def form_values(fields: Mapping[str, Any]) -> dict[str, str]:
    """Target fields as the strings the form shows."""
    values: dict[str, str] = {}
    for name in LABELS:
        value = fields.get(name)
        if name == "value":
            values[name] = format_number(value)
        elif name == "interim":
            values[name] = "on" if value else ""
        else:
            values[name] = "" if value is None else str(value)
    return values


def display(name: str, value: Any) -> str:
    """A field value for people: Danish numbers and labels, "–" for nothing."""
    if value is None or value == "":
        return "–"
    if name == "value":
        return format_number(value)
    if name == "interim":
        return "ja" if value else "nej"
    if name in CHOICES:
        return CHOICES[name].get(str(value), str(value))
    return str(value)
