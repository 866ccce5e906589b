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

try:  # the parser behind ``re.compile``, to prove a pattern may run on lower-cased text (CPython 3.11+)
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - another Python: patterns simply keep their IGNORECASE form
    _sre = _sre_parse = None


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


#: The characters for which an IGNORECASE match on a text and a case-sensitive match on its lower-cased
#: copy differ (checked over every code point): "İ" lower-cases to two characters, and the dotless "ı"
#: and long "ſ" match "i"/"s" case-insensitively but are their own lower case.
CASE_EXCEPTIONS = re.compile("[\u0130\u0131\u017f]")


def foldable(text: str) -> bool:
    """May the :func:`compile_folded` twins run on ``text.lower()`` in place of the IGNORECASE patterns?"""
    return text.isascii() or CASE_EXCEPTIONS.search(text) is None


def _plain_char(code: int) -> bool:
    """A character an IGNORECASE pattern matches exactly where its lower-cased text has it:
    lower-case ASCII, "æøå" or uncased (digits, punctuation, "₂")."""
    ch = chr(code)
    if ch.isascii():
        return not ch.isupper()
    return ch in "æøå" or (not ch.isalpha() and ch.lower() == ch == ch.upper())


def _class_folds(items: list[tuple[Any, Any]]) -> bool:
    """A character class whose members' lower cases are members too, all of them plain."""
    members: set[int] = set()
    for op, av in items:
        if op is _sre.LITERAL:
            members.add(av)
        elif op is _sre.RANGE:
            if av[1] - av[0] > 256:
                return False
            members.update(range(av[0], av[1] + 1))
        elif op not in (_sre.CATEGORY, _sre.NEGATE):
            return False
    for code in members:
        low = chr(code).lower()
        if len(low) != 1 or ord(low) not in members or not _plain_char(ord(low)):
            return False
    return True


def _folds(parsed: Any) -> bool:
    """Does every part of a parsed pattern match the same on lower-cased text without IGNORECASE?"""
    for op, av in parsed:
        if op in (_sre.LITERAL, _sre.NOT_LITERAL):
            ok = _plain_char(av)
        elif op is _sre.IN:
            ok = _class_folds(av)
        elif op in (_sre.ANY, _sre.AT):
            ok = True
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
            ok = _folds(av[2])
        elif op is _sre.SUBPATTERN:
            ok = not (av[1] | av[2]) & re.IGNORECASE and _folds(av[3])  # no (?i:…)/(?-i:…) inside
        elif op is _sre.ATOMIC_GROUP:
            ok = _folds(av)
        elif op is _sre.BRANCH:
            ok = all(_folds(branch) for branch in av[1])
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            ok = _folds(av[1])
        else:  # back references and conditionals compare captured text: not worth proving
            ok = False
        if not ok:
            return False
    return True


def compile_folded(source: str) -> re.Pattern[str] | None:
    """``source`` compiled case-sensitively to run on lower-cased text, or None if that could differ.

    Python's regex engine gives up its fast paths (literal prefixes, the first-character
    test of alternatives) for case-insensitive patterns, so searching ``text.lower()``
    with the case-sensitive twin is quicker. It finds the very same spans as
    ``re.compile(source, re.IGNORECASE)`` on ``text`` when the pattern's letters are
    lower case (or its classes hold both cases) and ``foldable(text)``: the engine
    then compares each character's lower case, ``text.lower()`` keeps every offset,
    and ``\\w``, ``\\s``, ``\\d`` and ``\\b`` say the same of a character and its lower case.
    """
    if _sre_parse is None:
        return None
    try:
        parsed = _sre_parse.parse(source, re.IGNORECASE)
    except re.error:
        return None
    return re.compile(source) if _folds(parsed) else None


def leading_literal(pattern: re.Pattern[str]) -> str:
    """The literal text every match of ``pattern`` starts with (after ``\\b``-like assertions), or "".

    A text without it cannot match, which ``str.find`` tells much faster than a search that
    has to test a word boundary at every position."""
    if _sre_parse is None or pattern.flags & re.IGNORECASE:
        return ""
    chars = []
    for op, av in _sre_parse.parse(pattern.pattern, pattern.flags):
        if op is _sre.AT and not chars:
            continue
        if op is not _sre.LITERAL:
            break
        chars.append(chr(av))
    return "".join(chars)


def lower_source(source: str) -> str | None:
    """A case-insensitive pattern with its letters lower-cased (the same pattern under IGNORECASE),
    so that :func:`compile_folded` can take it; None where lower-casing could change its meaning
    (an escape written with a capital, such as ``\\S``, or a group name)."""
    if re.search(r"\\[A-Z]|\(\?P", source):
        return None
    return source.lower()


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
    for name in ("kl_cues", "kl_quantities", "kl_years", "kl_targets"):
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
