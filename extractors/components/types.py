"""Plain records the components leave on a Doc, and the helpers to load pattern files.

Components communicate through ``Doc`` extension attributes holding these
records (character offsets relative to the Doc text), so the assembling
component can reason about characters without re-tokenising.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

PATTERN_DIR = Path(__file__).resolve().parent.parent / "patterns"
#: The label prefix of an evidence pattern that denies another label where it matches ("NOT_TOPIC_MONEY").
DENIAL_PREFIX = "NOT_"


@dataclass(frozen=True, slots=True)
class Cue:
    """A word or phrase that signals direction, commitment, negation… (from ``cues.jsonl``)."""

    label: str
    start: int
    end: int
    rule_id: str


@dataclass(slots=True)
class Quantity:
    """A value with its unit as written ("minimum 10 mio. kr.", "halvdelen", "10 Miyawaki-skove")."""

    start: int
    end: int
    value: float
    unit: str | None
    kind: str  # number | word | fraction | verb | bare
    rule_id: str
    bound: str | None = None
    direction: str | None = None  # hint from the quantity itself (halvere, fra … til …)
    link: str | None = None  # med | til | af | less | more: how it attaches to its verb or noun
    rate: str | None = None
    role: str = "value"  # value | from


#: A number the rules read as a year (1950-2100); the year patterns of the components build on it.
YEARLIKE = re.compile(r"(?:19[5-9]\d|20\d\d|2100)")


def yearlike(text: str, q: Quantity) -> bool:
    """ "2030" may be a year; "2.000" may not."""
    return YEARLIKE.fullmatch(text, q.start, q.end) is not None


@dataclass(frozen=True, slots=True)
class YearMention:
    """A year and what it is in its phrase: deadline (in/by), baseline, start, period, name."""

    start: int
    end: int
    year: int
    role: str  # in | by | baseline | start | period_start | period_end | name | skip | bare
    expr_start: int
    expr_end: int
    rule_id: str


def doc_text(doc: Doc) -> str:
    """The Doc's text; the pipeline hands the source string along, since ``doc.text`` re-joins every token."""
    text = doc.user_data.get("kl_text")
    return text if isinstance(text, str) else doc.text


def _key(name: str) -> tuple[str, str, None, None]:
    return ("._.", name, None, None)


def get_ext(doc: Doc, name: str) -> Any:
    """``doc._.<name>`` without building spaCy's ``Underscore`` proxy (about 2 µs a time, 8 times a unit).

    Reads the very ``user_data`` slot spaCy uses for a Doc extension with a ``None``
    default, so ``doc._.<name>`` still sees the same value.
    """
    return doc.user_data.get(_key(name))


def set_ext(doc: Doc, name: str, value: Any) -> None:
    """``doc._.<name> = value`` into the same ``user_data`` slot (see :func:`get_ext`)."""
    doc.user_data[_key(name)] = value


def register_extensions() -> None:
    """Doc attributes the components fill; idempotent."""
    for name in ("kl_cues", "kl_quantities", "kl_years", "kl_evidence", "kl_targets"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


@cache
def load_jsonl(name: str) -> tuple[dict[str, Any], ...]:
    """Entries of a pattern file; every entry must carry an ``id``."""
    entries = []
    with (PATTERN_DIR / name).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                entry = json.loads(line)
                if "id" not in entry:
                    raise ValueError(f"{name}: pattern without id: {line.strip()}")
                entries.append(entry)
    return tuple(entries)


@cache
def load_json(name: str) -> dict[str, Any]:
    with (PATTERN_DIR / name).open(encoding="utf-8") as fh:
        return json.load(fh)


register_extensions()
