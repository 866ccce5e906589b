"""When two findings are the same target: one definition for versions, comparison and cross-validation.

A municipality states a target once and then repeats it: the committee's
agenda item comes back word for word in the city council, a plan's new version
keeps most of the old one's text, the summary of a case restates what the case
description said. Each statement is annotated and extracted where it stands,
but it is one commitment of the municipality:

- a reviewer's decision carries over to the new version of a document when the
  target is the same there (``db``, ingestion of changed documents);
- comparisons count it once, with all its sources;
- cross-validation keeps every statement of it in one fold.

Two findings are the same target when their quotes read the same once case,
white space, soft hyphens, dashes and the spelling of numbers and "CO₂" are
set aside, and the machine's fields that make a target what it is (value,
unit, direction, target year, baseline year) agree. The key is a short
digest, so it can be stored and indexed.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

#: The fields that make two statements one commitment (a metric worded differently does not).
IDENTITY_FIELDS = ("value", "unit", "direction", "target_year", "baseline_year")

_SPACE = re.compile(r"\s+")
_DASH = re.compile(r"[‐‑‒–—―−]")
_CO2 = re.compile(r"\bc\s*[o0]\s*(?:2|₂)", re.I)
_NUMBER = re.compile(r"(?<=\d)[.\u00a0 ](?=\d{3}\b)")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_EDGE = " .,;:!?\"'«»“”()[]-•*"


def normalise_quote(quote: str) -> str:
    """The quote as the comparison reads it: NFKC, lower case, one space, "co2", plain dashes and numbers."""
    text = unicodedata.normalize("NFKC", quote).translate(_INVISIBLE).casefold()
    text = _CO2.sub("co2", text)
    text = _DASH.sub("-", text)
    text = _NUMBER.sub("", text)
    return _SPACE.sub(" ", text).strip(_EDGE)


def _field(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def same_target_key(quote: str, fields: Mapping[str, Any]) -> str:
    """The key two statements of one target share (a 20-character hex digest)."""
    parts = [normalise_quote(quote), *(_field(fields.get(name)) for name in IDENTITY_FIELDS)]
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


def is_same_target(a_quote: str, a: Mapping[str, Any], b_quote: str, b: Mapping[str, Any]) -> bool:
    return same_target_key(a_quote, a) == same_target_key(b_quote, b)
