"""The quantity finder's fast paths must answer exactly what the regexes they stand in for answer.

``extractors/components/quantities.py`` skips searches with substring tests and runs some
patterns combined or case-folded. Each test here proves one such shortcut, from the parsed
pattern where it can (so a change to ``patterns/quantities.json`` that breaks it fails here),
and by comparing on adversarial text otherwise.
"""

from __future__ import annotations

import re
import sys
from re import _constants as sre
from re import _parser as sre_parse
from typing import Any

from extractors.components import quantities as q
from extractors.components.types import load_json

DATA = load_json("quantities.json")


def _run_holds(items: list[tuple[Any, Any]], literal: str) -> bool:
    """Does a run of consecutive LITERAL nodes in ``items`` spell ``literal``?"""
    run = ""
    for op, av in items:
        run = run + chr(av) if op is sre.LITERAL else ""
        if run.endswith(literal):
            return True
    return False


def _requires(items: list[tuple[Any, Any]], literal: str) -> bool:
    """Must every match of the parsed sequence ``items`` contain ``literal``? (sound, not complete:
    a literal run at the top of the sequence, or a group or alternation all of whose branches need it)"""
    if _run_holds(items, literal):
        return True
    for op, av in items:
        if op is sre.SUBPATTERN and _requires(av[3], literal):
            return True
        if op is sre.BRANCH and all(_requires(branch, literal) for branch in av[1]):
            return True
    return False


def requires(source: str, literal: str) -> bool:
    return _requires(sre_parse.parse(source, re.I), literal)


def test_the_literal_checker_is_not_vacuous() -> None:
    assert requires(r"(?:om\s+året|/år)\b", "år")
    assert not requires(r"(?:om\s+året|/ar)\b", "år")
    assert not requires(r"(?:år)?x", "år")
    assert not requires(r"å\s*r", "år")


def test_letters_of_the_literals_lower_to_themselves_from_everything_ignorecase_matches() -> None:
    """So a text matching a literal under IGNORECASE holds it in its lower case."""
    for letter in sorted(set(q._PER_YEAR_LITERAL + q._FROM_LITERAL)):
        pattern = re.compile(re.escape(letter), re.I)
        matched = [chr(c) for c in range(sys.maxunicode + 1) if pattern.fullmatch(chr(c))]
        assert {ch.lower() for ch in matched} == {letter}


def test_every_rate_match_holds_the_per_year_literal() -> None:
    assert requires(DATA["rate"]["regex"], q._PER_YEAR_LITERAL)
    assert requires(q._PER_YEAR_BEFORE.pattern, q._PER_YEAR_LITERAL)


def test_every_from_match_holds_the_from_literal() -> None:
    assert requires(q._ENDS_FRA.pattern, q._FROM_LITERAL)
