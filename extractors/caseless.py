"""Case-insensitive patterns matched fast: case-sensitively, on lower-cased text.

Python's ``re`` has no fast scan for a pattern compiled with ``re.IGNORECASE``
whose literals are letters: at every position it tries every alternative,
folding each character as it goes. The same pattern written in lower case and
run on ``text.lower()`` gets sre's literal and charset fast paths, 3-8x faster
on the long word lists of the assembly rules.

The two agree character for character (same matches, same offsets) for every
character but "İ", "ı" and "ſ": their lower case is two characters, or
``re.IGNORECASE`` folds them to another letter. :func:`fold` returns None for a
text holding one of them, and :class:`Caseless` then runs the
``re.IGNORECASE`` pattern on the original text, so results never differ.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import Any

try:  # the parser behind ``re.compile``, to prove a pattern may run on lower-cased text (CPython 3.11+)
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - another Python: patterns simply keep their IGNORECASE form
    _sre = _sre_parse = None

#: The nodes :func:`parsed_nodes` enters (a group's own flags are a test of its own, see ``_node_folds``).
_CONTAINERS = (
    ()
    if _sre is None
    else (
        _sre.MAX_REPEAT,
        _sre.MIN_REPEAT,
        _sre.POSSESSIVE_REPEAT,
        _sre.ATOMIC_GROUP,
        _sre.BRANCH,
        _sre.ASSERT,
        _sre.ASSERT_NOT,
    )
)

_ESCAPE_OR_CHAR = re.compile(r"\\.|[^\\]", re.S)


#: The characters IGNORECASE matches to a letter they do not lower-case to ("ı" and "İ" match "i",
#: "ſ" matches "s"): in a text with one, matching its lower case is not matching it with IGNORECASE.
CASE_BREAKERS = ("\u0130", "\u0131", "\u017f")


def foldable(text: str) -> bool:
    """May a :func:`compile_folded` twin run on ``text.lower()`` in place of the IGNORECASE pattern?

    Not where the text holds one of :data:`CASE_BREAKERS`. Three substring
    tests rather than one search for a class of three: ``in`` scans a string in C
    without the regex engine's per-character dispatch (several times faster).
    """
    return text.isascii() or not ("\u0130" in text or "\u0131" in text or "\u017f" in text)


def fold(text: str) -> str | None:
    """``text.lower()`` if case-sensitive matching on it equals ``re.IGNORECASE`` matching on ``text``."""
    return text.lower() if foldable(text) else None


def _lower_literals(source: str) -> str:
    """The pattern with its literals in lower case; escapes (``\\S``, ``\\W``, ``\\B``) kept as written."""
    return "".join(t if t[0] == "\\" else t.lower() for t in _ESCAPE_OR_CHAR.findall(source))


class Caseless:
    """A case-insensitive pattern; each method takes the text and its :func:`fold` (None: match ``text``).

    Match objects from the folded text report the same offsets as on ``text``,
    but their groups are lower case: take returned wording from ``text``.
    """

    __slots__ = ("folded", "ignorecase", "pattern")

    def __init__(self, source: str) -> None:
        self.pattern = source
        self.ignorecase = re.compile(source, re.I)
        # the lower-cased twin only where the pattern provably matches the same (always, for today's rules)
        self.folded = compile_folded(_lower_literals(source))

    def search(
        self, text: str, low: str | None, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[str] | None:
        if low is None or self.folded is None:
            return self.ignorecase.search(text, pos, endpos)
        return self.folded.search(low, pos, endpos)

    def match(
        self, text: str, low: str | None, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[str] | None:
        if low is None or self.folded is None:
            return self.ignorecase.match(text, pos, endpos)
        return self.folded.match(low, pos, endpos)

    def finditer(self, text: str, low: str | None, pos: int = 0, endpos: int = sys.maxsize):
        if low is None or self.folded is None:
            return self.ignorecase.finditer(text, pos, endpos)
        return self.folded.finditer(low, pos, endpos)


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


def parsed_nodes(parsed: Any) -> Iterator[tuple[Any, Any]]:
    """Every node of a parsed pattern (``re._parser``), the containers before what they hold: the
    items of repeats, groups, atomic groups, branches and look-arounds. A test of a pattern is then
    ``all`` of a test of each node; other nodes (back references, conditionals) are not entered."""
    for op, av in parsed:
        yield op, av
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
            yield from parsed_nodes(av[2])
        elif op is _sre.SUBPATTERN:
            yield from parsed_nodes(av[3])
        elif op is _sre.ATOMIC_GROUP:
            yield from parsed_nodes(av)
        elif op is _sre.BRANCH:
            for branch in av[1]:
                yield from parsed_nodes(branch)
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            yield from parsed_nodes(av[1])


def _node_folds(op: Any, av: Any) -> bool:
    """Does this node match the same on lower-cased text without IGNORECASE (its contents aside)?"""
    if op in (_sre.LITERAL, _sre.NOT_LITERAL):
        return _plain_char(av)
    if op is _sre.IN:
        return _class_folds(av)
    if op is _sre.SUBPATTERN:
        return not (av[1] | av[2]) & re.IGNORECASE  # no (?i:…)/(?-i:…) inside
    # containers are as good as what they hold; back references and conditionals compare captured
    # text: not worth proving
    return op in _CONTAINERS or op in (_sre.ANY, _sre.AT)


def _folds(parsed: Any) -> bool:
    """Does every part of a parsed pattern match the same on lower-cased text without IGNORECASE?"""
    return all(_node_folds(op, av) for op, av in parsed_nodes(parsed))


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
