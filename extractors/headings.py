"""What headings and list headers say about the units under them.

A heading ("Delmål for 2030", "Det vi gør selv", "Reduktion i forhold til 1990
(ton CO₂e)") and a list header ("Mål:", "2030:") set the interim status, year,
scope, baseline, direction and unit of what follows. Each is a dozen regex
searches that depend on the line alone, so the answers are kept per line;
literal anchors rule most searches out first (most headings are names or
plain words).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from extractors.caseless import fold

#: The year a plan is written from, roughly: a deadline before it is history or a statistic.
PRESENT_YEAR = 2024
#: A year as plan text writes it (1950-2100).
YEAR = r"(?:19[5-9]\d|20\d\d|2100)"
HEADER_YEAR = re.compile(
    r"^(?:(?:mål|målsætning(?:er)?|delmål|ambition(?:er)?)\s+(?:for|i|frem\s+mod|til)\s+|i\s+|inden\s+|senest\s+(?:i\s+)?|frem\s+mod\s+)?"
    r"(" + YEAR + r")(?:-?(?:mål(?:et|ene|sætning(?:en|er)?)?))?\s*:?\s*$",
    re.IGNORECASE,
)
YEAR_IN_CELL = re.compile(r"(?<![\d.,])(" + YEAR + r")(?![\d.,]\d)")

SCOPE_CUES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"som\s+medejer|medejere|forsyningsselskab|forsynings-selskab", re.I), "utility"),
    (
        re.compile(
            r"gør\s+selv|som\s+virksomhed|som\s+organisation|kommunens\s+egen\s+drift|egen\s+organisation",
            re.I,
        ),
        "organisation",
    ),
    (re.compile(r"i\s+fællesskab|hele\s+kommunen|geografisk|kommunegrænsen|sammen\s+om", re.I), "area"),
)


def scope_of(text: str, low: str | None = None) -> str | None:
    """The scope a heading names, if any (``low``: see :meth:`_Anchored.search`)."""
    if low is None:
        for pattern, scope in SCOPE_CUES:
            if pattern.search(text):
                return scope
        return None
    for cue, scope in _SCOPE_CUES_ANCHORED:
        if cue.search(text, low):
            return scope
    return None


#: A word that names a goal. Not "mål" in words of measuring ("måling", "målt", "måles", "målgruppe",
#: "målrettet") nor the end of a trip ("ture med start eller mål i kommunen").
GOAL_WORD = re.compile(
    r"(?<!start eller )(?<!start og )mål(?!ing|t\b|te\b|e\b|er\b|es\b|gruppe|rette|estok|bar)|"
    r"ambition|forpligt|target|pejlemærke|milepæl|succeskriteri",
    re.I,
)
STATUS_WORD = re.compile(r"status|resultat|regnskab|opgørelse|fremskrivning|historisk|udvikling\s+i", re.I)
_RANGE = re.compile(YEAR + r"\s*[-–]\s*" + YEAR)

#: A caption names its unit in brackets ("(ton CO₂e)"), after a comma at its end ("Udledning fra
#: transport, ton CO2e") or as what the figures are counted in ("opgjort i ton CO2e").
_AT_END = r",\s*(?:i\s+)?"
_TONS = r"(?:1\.000\s+)?tons?"
_UNIT_HINT = (
    (
        re.compile(
            "|".join(
                (
                    r"\(\s*(?:i\s+)?" + _TONS + r"\b[^)]*\)",
                    r"\(\s*t\s*CO",
                    _AT_END + _TONS + r"(?:\s+CO\S*)?\s*$",
                    r"\bi\s+" + _TONS + r"\s+CO",
                )
            ),
            re.I,
        ),
        "tons",
    ),
    (re.compile(r"\(\s*(?:%|procent)\s*\)|\bi\s+procent\b|" + _AT_END + r"(?:%|procent)\s*$", re.I), "%"),
    (re.compile(r"\(\s*gwh\s*\)|" + _AT_END + r"gwh\s*$", re.I), "GWh"),
    (re.compile(r"\(\s*mwh\s*\)|" + _AT_END + r"mwh\s*$", re.I), "MWh"),
)


#: Precompiled: the patterns headings, list headers and table header cells are tested with.
#: The words a figure is measured from a year with ("reduktion i forhold til 1990", "ift. 2007").
RELATIVE_TO = r"i\s+forhold\s+til|ift\.?|sammenlignet\s+med"
_BASELINE_HINT = re.compile(r"(?:" + RELATIVE_TO + r"|basisår\w*|baseline)\s*:?\s*(" + YEAR + r")", re.I)
_REDUCE_HINT = re.compile(r"reduktion|reducer|nedbring", re.I)
_DELMAAL_I = re.compile(r"delmål", re.I)
_DELMAAL = re.compile(r"delmål")
_GOAL_OR_AMBITION = re.compile(r"mål|ambition")
_COMMITMENT = re.compile(r"forpligte|vil\s+vi|skal\s+vi|vi\s+vil|vi\s+skal|målsætning")


class _Anchored:
    """A pattern and literal anchors, one of which every match of the pattern contains.

    Most headings and list headers say nothing (names, "Klima", "Læs mere"), and a
    search that fails reads the whole line, for an IGNORECASE alternation at some
    tens of ns a character; a handful of ``in`` tests on the lower-cased line (one ``str.lower``
    per line for all patterns) rule most searches out first.
    """

    __slots__ = ("pattern", "anchors")

    def __init__(self, pattern: re.Pattern[str], anchors: tuple[str, ...]) -> None:
        self.pattern = pattern
        self.anchors = anchors

    def search(self, text: str, low: str | None) -> re.Match[str] | None:
        """``self.pattern.search(text)``, given ``low = fold(text)`` (or of the text ``text`` was lowered from).

        A match of an IGNORECASE pattern is in the lower case too: each character it
        matches to a letter lower-cases to that letter, except the ``caseless.CASE_BREAKERS``,
        for which ``low`` is None (tests/test_segment_speed.py checks every character).
        """
        if low is not None:
            for anchor in self.anchors:
                if anchor in low:
                    break
            else:
                return None
        return self.pattern.search(text)


#: Every match of ``_YEAR`` starts with one of these.
_YEAR_ANCHORS = ("19", "20", "2100")
_SCOPE_CUES_ANCHORED = tuple(
    (_Anchored(pattern, anchors), scope)
    for (pattern, scope), anchors in zip(
        SCOPE_CUES,
        (
            ("medejer", "forsynings"),
            ("selv", "virksomhed", "organisation", "drift"),
            ("fællesskab", "kommune", "geografisk", "sammen"),
        ),
        strict=True,
    )
)
_DELMAAL_I_ANCHORED = _Anchored(_DELMAAL_I, ("delmål",))
GOAL_WORD_ANCHORED = _Anchored(
    GOAL_WORD, ("mål", "ambition", "forpligt", "target", "pejlemærke", "milepæl", "succeskriteri")
)
_STATUS_WORD_ANCHORED = _Anchored(
    STATUS_WORD, ("status", "resultat", "regnskab", "opgørelse", "fremskrivning", "historisk", "udvikling")
)
_COMMITMENT_ANCHORED = _Anchored(_COMMITMENT, ("forpligte", "vi", "målsætning"))
_BASELINE_HINT_ANCHORED = _Anchored(_BASELINE_HINT, _YEAR_ANCHORS)
_REDUCE_HINT_ANCHORED = _Anchored(_REDUCE_HINT, ("reduktion", "reducer", "nedbring"))
_UNIT_HINT_ANCHORED = tuple(
    (_Anchored(pattern, anchors), unit)
    for (pattern, unit), anchors in zip(
        _UNIT_HINT, (("(", "ton"), ("(", "procent", "%"), ("(", "gwh"), ("(", "mwh")), strict=True
    )
)


_DEADLINE_PHRASE = re.compile(
    r"\b(?:inden(?:\s+udgangen\s+af)?|senest(?:\s+i)?|frem\s+mod|frem\s+til|ved\s+udgangen\s+af|i)\s+" + YEAR,
    re.I,
)
#: A goal named with its year: "mål for 2030", "målene i 2030", "delmål 2025".
_GOAL_FOR_YEAR = re.compile(
    r"\b(?:delmål|mål|målene|målsætning(?:er|erne)?)\s+(?:for\s+|i\s+|til\s+)?(" + YEAR + r")\b", re.I
)
#: A deadline phrase that ends a list's lead-in sentence.
_CLOSING_DEADLINE = re.compile(_DEADLINE_PHRASE.pattern + r"$", re.I)
_MODAL = re.compile(r"\b(?:skal|vil|ønsker|forpligter|arbejder|sigter)\b", re.I)


def _goal_year_beside_period(body: str, years: list[re.Match[str]]) -> int | None:
    """The goals' year of a short heading that also names a period ("Affaldsplan 2025-2036 – mål for
    2030"): one goal named with its year, and every other year part of a range."""
    named = list(_GOAL_FOR_YEAR.finditer(body)) if len(body) <= 80 else []
    if len(named) != 1:
        return None
    ranged = [m.span() for m in _RANGE.finditer(body)]
    goal = named[0].span(1)
    others = [y for y in years if y.span(1) != goal]
    if not others or not all(any(s <= y.start(1) < e for s, e in ranged) for y in others):
        return None
    return int(named[0].group(1))


def _header_year(body: str) -> int | None:
    """The year a list header or heading gives its items ("2030:", "Mål 2030:", "Delmål for 2025")."""
    if "19" not in body and "20" not in body and "2100" not in body:
        return None  # no match of _YEAR_IN_CELL (its _YEAR starts with one of these), no year
    years = list(YEAR_IN_CELL.finditer(body))
    if STATUS_WORD.search(body):
        return None
    if len(years) != 1 or _RANGE.search(body):
        # the plan's own period may stand beside the goals' year: "Affaldsplan 2025-2036 – mål for 2030"
        return _goal_year_beside_period(body, years)
    stripped = body.strip(" \t\u00a0*#:–-")
    if len(stripped) > 80:
        # a sentence that opens a list speaks for its items only through a deadline that ends it
        # ("Kommunen forpligter sig til følgende delmål frem mod 2030:")
        goal = GOAL_WORD.search(body) or _MODAL.search(body)
        closing = body.rstrip().endswith(":") and _CLOSING_DEADLINE.search(stripped)
        return int(years[0].group(1)) if goal and closing else None
    if GOAL_WORD.search(body) or HEADER_YEAR.match(stripped):
        return int(years[0].group(1))
    if _DEADLINE_PHRASE.search(body) and _MODAL.search(body):
        return int(years[0].group(1))  # "Inden 2030 skal vi:", "Frem mod 2030 vil kommunen:"
    return None


def _hints(body: str, low: str | None) -> tuple[int | None, str | None, str | None]:
    """Baseline, direction and unit a heading or caption states for what follows (``low = fold(body)``)."""
    baseline = None
    m = _BASELINE_HINT_ANCHORED.search(body, low)
    if m:
        baseline = int(m.group(1))
    direction = "reduce" if _REDUCE_HINT_ANCHORED.search(body, low) else None
    unit = next((u for cue, u in _UNIT_HINT_ANCHORED if cue.search(body, low)), None)
    return baseline, direction, unit


class HeadingFacts(NamedTuple):
    """What a heading says, whatever came before it (see :meth:`_State.heading`)."""

    interim: bool
    year: int | None
    scope: str | None
    target_list: bool
    hints: tuple[int | None, str | None, str | None]


#: Headings and list headers recur (running page headers, "Delmål:" before every list), and what one
#: says is a dozen regex searches that depend on its text alone, so the answers are kept.
_FACTS_CACHE_SIZE = 4096


#: What a heading says that holds none of the anchors of its tests (most headings: "Klima", "Nyt fra
#: Assens", names), and those anchors: the year anchors are uncased, so they are in the lower case too.
_SAYS_NOTHING = HeadingFacts(False, None, None, False, (None, None, None))
_HEADING_ANCHORS = tuple(
    dict.fromkeys(
        anchor
        for cue in (
            _DELMAAL_I_ANCHORED,
            *(cue for cue, _ in _SCOPE_CUES_ANCHORED),
            GOAL_WORD_ANCHORED,
            _BASELINE_HINT_ANCHORED,
            _REDUCE_HINT_ANCHORED,
            *(cue for cue, _ in _UNIT_HINT_ANCHORED),
        )
        for anchor in cue.anchors
    )
)


def _holds_any(low: str, anchors: tuple[str, ...]) -> bool:
    """Is one of ``anchors`` in ``low``? (A loop: ``any`` over a generator costs twice as much here.)"""
    for anchor in anchors:  # noqa: SIM110
        if anchor in low:
            return True
    return False


@lru_cache(maxsize=_FACTS_CACHE_SIZE)
def heading_facts(body: str) -> HeadingFacts:
    """The context a heading line sets for the section under it."""
    low = fold(body)
    if low is not None and not _holds_any(low, _HEADING_ANCHORS):
        # every search below is ruled out by its anchors, and the year by "19", "20" and "2100"
        return _SAYS_NOTHING
    interim = bool(_DELMAAL_I_ANCHORED.search(body, low))
    year = _header_year(body)
    scope = scope_of(body, low)
    goal = bool(GOAL_WORD_ANCHORED.search(body, low)) and not _STATUS_WORD_ANCHORED.search(body, low)
    target_list = interim or year is not None or goal or scope is not None
    return HeadingFacts(interim, year, scope, target_list, _hints(body, low))


class HeaderFacts(NamedTuple):
    """What a list header ("Delmål:", "Mål 2030:") says, whatever came before it (see :meth:`_State.header`)."""

    scope: str | None
    status: bool
    delmaal: bool
    goal: bool
    year: int | None
    commitment: bool
    baseline: int | None
    unit: str | None


@lru_cache(maxsize=_FACTS_CACHE_SIZE)
def header_facts(body: str) -> HeaderFacts:
    """The tests :meth:`_State.header` makes of a label ending in ":"."""
    anchors_low = fold(body)
    low = (
        anchors_low if anchors_low is not None else body.lower()
    )  # (``low``, or None if the label has a character in CASE_BREAKERS)
    # only a short label ("Mål (i forhold til 1990):") speaks for the items; a sentence ending in ":" does not
    baseline, _direction, unit = _hints(body, anchors_low) if len(body) <= 80 else (None, None, None)
    return HeaderFacts(
        scope=scope_of(body, anchors_low),
        status=bool(_STATUS_WORD_ANCHORED.search(low, anchors_low)),
        delmaal="delmål" in low,  # (``_DELMAAL.search(low)``: a literal)
        goal="mål" in low or "ambition" in low,  # (``_GOAL_OR_AMBITION.search(low)``)
        year=_header_year(body),
        commitment=bool(_COMMITMENT_ANCHORED.search(low, anchors_low)),
        baseline=baseline,
        unit=unit,
    )


def clear_caches() -> None:
    """Forget the remembered heading and list-header lines (see ``pipeline.clear_unit_cache``)."""
    heading_facts.cache_clear()
    header_facts.cache_clear()
