"""Cut a document text into sentences, list items, headings and table rows, with their context.

Targets live in sentences, but their scope, interim status and year often
come from above: "Delmål:" / "Det vi gør selv:" / "2030:" headers apply to the
list items under them, and a table's header row gives the year of its columns.
This module walks the document once, with regular expressions only (linear in
the text length), and hands each unit to the extractor together with a
snapshot of that context. Offsets are into the original text, never into a
normalised copy, so ``text[start:end]`` is always the unit's own text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

#: Blocks are separated by blank lines; a form feed (page break) counts as blank (see
#: :func:`_block_separators`, which finds the form feeds with ``str.find``: a pattern starting with
#: a literal, as this one does, is found five times faster than the alternation with ``\f``).
_BLANK_LINE = re.compile(r"\n[ \t\u00a0\f\r]*\n")
_BULLET = re.compile(r"^[ \t\u00a0]*(?:[-–—•▪●◦*·]|\d{1,2}[.)](?=\s)|[a-z][.)](?=\s))[ \t\u00a0]*")
_YEAR = r"(?:19[5-9]\d|20\d\d|2100)"
_HEADER_YEAR = re.compile(
    r"^(?:(?:mål|målsætning(?:er)?|delmål|ambition(?:er)?)\s+(?:for|i|frem\s+mod|til)\s+|i\s+|inden\s+|senest\s+(?:i\s+)?|frem\s+mod\s+)?"
    r"(" + _YEAR + r")(?:-?(?:mål(?:et|ene|sætning(?:en|er)?)?))?\s*:?\s*$",
    re.IGNORECASE,
)
_YEAR_IN_CELL = re.compile(r"(?<![\d.,])(" + _YEAR + r")(?![\d.,]\d)")
_ABBREV = frozenset(
    [
        "ca",
        "bl.a",
        "f.eks",
        "fx",
        "pr",
        "nr",
        "mio",
        "mia",
        "kr",
        "pct",
        "jf",
        "mv",
        "inkl",
        "ift",
        "m.m",
        "evt",
        "osv",
        "dvs",
        "min",
        "maks",
        "max",
        "iht",
        "vedr",
        "kl",
        "stk",
        "mht",
        "tlf",
        "ha",
        "hhv",
        "el",
        "bl",
        "ifm",
        "o.l",
        "o.a",
        "t.o.m",
        "incl",
        "etc",
        "cirka",
        "ekskl",
        "excl",
    ]
)
#: ``[.!?]+[\"”»’)]*(?=…)`` written with the first mark apart (``[.!?][.!?]*``, the same matches): a
#: pattern that starts with a character class is searched by skipping to that class, twice as fast.
_SENT_BOUNDARY = re.compile(r"[.!?][.!?]*[\"”»’)]*(?=\s+[\"“”»(]?[A-ZÆØÅ0-9])")

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


@dataclass(frozen=True, slots=True)
class Context:
    """What the headings above a unit say about the targets in it."""

    scope: str | None = None
    interim: bool = False
    year: int | None = None
    target_list: bool = False
    in_list: bool = False
    #: Hints from a heading or table caption ("(reduktion i forhold til 1990)", "(ton CO₂e)").
    baseline: int | None = None
    direction: str | None = None
    unit: str | None = None
    #: Index of the block (paragraph, list, table) the unit belongs to.
    block: int = 0


#: A table cell: (start, end, column year, column role: "target" | "baseline" | "stat" | None).
Cell = tuple[int, int, int | None, str | None]


@dataclass(slots=True)
class Segment:
    """A sentence, list item sentence, heading or table row: ``text[start:end]``."""

    start: int
    end: int
    kind: str
    context: Context
    cells: list[Cell] = field(default_factory=list)


_DIGIT = re.compile(r"[0-9]")
#: Words that can make a unit a target without a digit (end states, fractions, multiplying verbs).
_TRIGGERS = (
    "procent",
    "neutral",
    "netto",
    "nul",
    "klimapositiv",
    "fossil",
    "udfas",
    "kulfri",
    "oliefri",
    "længere",
    "halv",
    "fordobl",
    "tredobl",
    "tredjedel",
    "fjerdedel",
    "femtedel",
    "tiendedel",
    "emissionsfri",
    "ophør",
    r"fri\s+(?:for|af)",
    r"frie\s+(?:for|af)",
    "uafhængig",
    "udelukkende",
    "zero",
)
TRIGGER_WORDS = re.compile("|".join(_TRIGGERS))
#: The triggers that are plain words (found with ``bytes.find``) and the phrases (found after their "fri").
_TRIGGER_LITERALS = tuple(t for t in _TRIGGERS if re.escape(t) == t)
_TRIGGER_PHRASES = re.compile("|".join(t for t in _TRIGGERS if re.escape(t) != t))


#: From this span length on, ten ``str.find`` calls (about 1 us in all) beat the regex, which tests
#: the character class at every position (about 3.5 ns a character).
_FIND_DIGITS_FROM = 300


def has_digit(text: str, start: int, end: int) -> bool:
    """Does ``text[start:end]`` hold an ASCII digit (``_DIGIT.search(text, start, end)``)?

    Long digit-free spans (prose paragraphs) are the common case here, and a search
    that finds nothing reads all of the span.
    """
    if end - start < _FIND_DIGITS_FROM:
        return _DIGIT.search(text, start, end) is not None
    find = text.find
    for digit in "0123456789":  # noqa: SIM110  (a plain loop: any() over a generator costs a third of the gain)
        if find(digit, start, end) >= 0:
            return True
    return False


def might_hold_target(text: str, start: int, end: int) -> bool:
    """A cheap test: does ``text[start:end]`` contain a digit or a word that can anchor a target?"""
    if has_digit(text, start, end):
        return True
    return TRIGGER_WORDS.search(text[start:end].lower()) is not None


#: Triggers found through a shorter word they share: one scan for "fri" serves "kulfri", "oliefri",
#: "emissionsfri" and both phrases, one for "edel" the four fractions, one for "æng" "længere" and
#: "uafhængig"; each occurrence is then checked for the full words around it. "zero" is found through
#: its "z": a one-byte ``find`` is a ``memchr``, several times faster than a word's scan, and "z" is rare
#: in Danish. Every other trigger is its own anchor.
_SHARED_ANCHORS = ("fri", "dobl", "edel", "æng", "z")


def _anchored_triggers() -> tuple[tuple[bytes, tuple[tuple[bytes, int], ...]], ...]:
    """``(anchor, ((word, offset of the anchor in the word), ...))`` covering every literal trigger."""
    groups: dict[str, list[tuple[bytes, int]]] = {}
    for word in _TRIGGER_LITERALS:
        anchor = next((a for a in _SHARED_ANCHORS if a in word), word)
        groups.setdefault(anchor, []).append((word.encode("latin-1"), word.index(anchor)))
    return tuple((anchor.encode("latin-1"), tuple(words)) for anchor, words in groups.items())


_ANCHORED_TRIGGERS = _anchored_triggers()
#: The anchor every trigger phrase starts with, and the rest of the phrases as a case-sensitive pattern for
#: the original text: ``[eE]?\s+(?:[fF][oO][rR]|[aA][fF])`` after "fri" in the text is ``e?\s+(?:for|af)``
#: after "fri" in the lower-cased text (tests/test_segment_speed.py checks every character).
_PHRASE_ANCHOR = b"fri"
_PHRASE_TAIL = re.compile(r"[eE]?\s+(?:[fF][oO][rR]|[aA][fF])")
#: The lower case of each latin-1 character (always one latin-1 character), but every ASCII digit is "0".
_FOLD = bytes(ord(chr(b).lower()) for b in range(256)).translate(bytes.maketrans(b"123456789", b"000000000"))
#: The characters outside latin-1 whose lower case is not one character outside latin-1 ("İ" lower-cases
#: to two characters, the Kelvin sign to "k", ...): in a text with one, the folded copy could miss a trigger.
_FOLD_BREAKERS = ("\u0130", "\u0178", "\u1e9e", "\u212a", "\u212b")


def fold_latin1(text: str) -> bytes | None:
    """A copy of ``text`` with one byte a character: the lower case of latin-1 characters, "0" for every
    ASCII digit and "?" for the rest, or None if ``text`` has a character in ``_FOLD_BREAKERS``.

    Every trigger and "0" are latin-1 without "?", so they occur in the copy exactly where they occur in
    ``text.lower()`` (respectively where a digit is in ``text``). Encoding and ``bytes.translate`` take
    about 4 ms for 2 MB, less than ``str.lower``, and a digit is then one ``bytes.find`` instead of ten.
    """
    for ch in _FOLD_BREAKERS:
        if ch in text:
            return None
    return text.encode("latin-1", "replace").translate(_FOLD)


class TriggerIndex:
    """:func:`might_hold_target` for many spans of one text, with the trigger words found once.

    Segmentation asks it of every paragraph and the pipeline again of every
    sentence; lower-casing and searching each span for the trigger alternation
    was about 60 ms on a 300k-word plan. Here the text is folded once
    (:func:`fold_latin1`) and each anchor word found with ``bytes.find`` (faster
    than the alternation); a span holds a trigger if some occurrence lies wholly
    inside it, which are the very matches a search of the lower-cased span finds.
    """

    __slots__ = ("_text", "_folded", "_hit_starts", "_hit_ends")

    def __init__(self, text: str) -> None:
        self._text = text
        self._hit_starts: list[int] | None = None
        self._hit_ends: list[int] = []
        folded = self._folded = fold_latin1(text)
        if folded is None:
            return
        hits: list[tuple[int, int]] = []
        find = folded.find
        for anchor, words in _ANCHORED_TRIGGERS:
            phrases = anchor == _PHRASE_ANCHOR
            at = find(anchor)
            while at >= 0:
                for word, offset in words:
                    if at >= offset and folded.startswith(word, at - offset):
                        hits.append((at - offset, at - offset + len(word)))
                if phrases:
                    self._phrase_at(at, hits)
                at = find(anchor, at + 1)
        hits.sort()
        self._hit_starts = [s for s, _ in hits]
        self._hit_ends = [e for _, e in hits]

    def _phrase_at(self, at: int, hits: list[tuple[int, int]]) -> None:
        """Add the match of ``_TRIGGER_PHRASES`` in the lower-cased text that starts at ``at`` (where "fri" is).

        Every phrase starts with "fri" and holds no other "fri", so the matches ``finditer`` gives are
        the ones that start at the occurrences of "fri".
        """
        m = _PHRASE_TAIL.match(self._text, at + len(_PHRASE_ANCHOR))
        if m:
            hits.append((at, m.end()))

    def might_hold(self, start: int, end: int) -> bool:
        """``might_hold_target(text, start, end)`` for the indexed text."""
        starts = self._hit_starts
        if starts is None:
            return might_hold_target(self._text, start, end)
        ends = self._hit_ends
        i = bisect.bisect_left(starts, start)
        while i < len(starts) and starts[i] < end:
            if ends[i] <= end:
                return True
            i += 1
        return self._folded.find(b"0", start, end) >= 0  # type: ignore[union-attr]  # set with the hits


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


#: What :func:`_strip` takes off both ends of a block or unit (white space and the "*" of bold markup).
_STRIPPED = " \t\u00a0\r\n\f*"


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _STRIPPED:
        start += 1
    while end > start and text[end - 1] in _STRIPPED:
        end -= 1
    return start, end


#: Precompiled (``re.search(str, …)`` looks its pattern up in re's cache on every call).
_ONE_OR_TWO_DIGITS = re.compile(r"\d{1,2}")
_FINITE_VERB = re.compile(r"\b(?:skal|vil|er|har)\b")
_CELL_QUANTITY = re.compile(r"\d\s*(?:%|procent|pct|ton|kwh|mwh|gwh|mw|ha\b)|\d\.\d{3}", re.I)
_TABLE_BAR = re.compile(r"\S\s*\|\s*\S")


_WORD_CHARS_START = re.compile(r"[\wæøå.]+")


def _prev_word(before: str) -> str:
    r"""``re.search(r"([\wæøå.]+)$", before).group(1)`` (or "" if none): the run of word characters and dots
    that ends ``before`` (or ends just before a final newline, where ``$`` also matches), read off
    the reversed string in one match instead of trying every start position."""
    if before.endswith("\n"):
        before = before[:-1]
    m = _WORD_CHARS_START.match(before[::-1])
    return m.group()[::-1] if m else ""


#: A word that ends in this many word characters (``str.isalnum`` is ``\w`` but for "_") is longer than
#: every abbreviation, so the common case is decided without reading the word off the text.
_LONG_WORD = max(map(len, _ABBREV)) + 1


def split_sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]``; abbreviations ("mio. kr.", "bl.a.") do not end one."""
    cur = start
    # pos/endpos instead of a slice: the pattern looks neither behind nor past the end it is given
    for m in _SENT_BOUNDARY.finditer(text, start, end):
        cut, after = m.span()
        if cut - cur < _LONG_WORD or not text[cut - _LONG_WORD : cut].isalnum():
            prev = _prev_word(text[max(cur, cut - 40) : cut]).lower().strip(".")
            if prev in _ABBREV or (len(prev) == 1 and prev.isalpha()) or _ONE_OR_TWO_DIGITS.fullmatch(prev):
                continue
        s, e = _strip(text, cur, after)
        if e > s:
            yield s, e
        cur = after
    s, e = _strip(text, cur, end)
    if e > s:
        yield s, e


def _is_heading(line: str) -> bool:
    body = line.strip(" \t\u00a0*#")
    if not body or body.endswith((".", "!", "?", ",", ";")):
        return False
    if len(body) <= 120 and not _FINITE_VERB.search(body):
        return True  # short and without a finite verb: a heading, whatever its case
    letters = list(filter(str.isalpha, body))  # (filter/map: the loops run in C)
    return bool(letters) and sum(map(str.isupper, letters)) / len(letters) > 0.7 and len(letters) > 3


_GOAL_WORD = re.compile(r"mål|målsætning|ambition|forpligt|target", re.I)
_STATUS_WORD = re.compile(r"status|resultat|regnskab|opgørelse|fremskrivning|historisk|udvikling\s+i", re.I)
_RANGE = re.compile(_YEAR + r"\s*[-–]\s*" + _YEAR)
_LABEL_LINE = re.compile(
    r"^[ \t\u00a0]*(?!(?:Tabel|Figur|Table|Figure|Kilde|Note|Bilag)\b)(?:"
    + _YEAR
    + r"|[A-ZÆØÅ][\wæøåÆØÅ ,/&()-]{0,40}):[ \t\u00a0]+\S"
)
_NOMINAL_TARGET = re.compile(
    r"\d\s*(?:%|procent|pct|ton|mwh|gwh|ha\b|km\b|kr)|neutral|netto-?nul|fossilfri|halver|fordobl", re.I
)
_UNIT_HINT = (
    (re.compile(r"\(\s*(?:i\s+)?(?:1\.000\s+)?tons?\b[^)]*\)|\(\s*t\s*CO", re.I), "tons"),
    (re.compile(r"\(\s*%\s*\)|\(\s*procent\s*\)|\bi\s+procent\b", re.I), "%"),
    (re.compile(r"\(\s*GWh\s*\)"), "GWh"),
    (re.compile(r"\(\s*MWh\s*\)"), "MWh"),
)


#: Precompiled: the patterns headings, list headers and table header cells are tested with.
_BASELINE_HINT = re.compile(
    r"(?:i\s+forhold\s+til|sammenlignet\s+med|basisår\w*|baseline)\s*:?\s*(" + _YEAR + r")", re.I
)
_REDUCE_HINT = re.compile(r"reduktion|reducer|nedbring", re.I)
_DELMAAL_I = re.compile(r"delmål", re.I)
_DELMAAL = re.compile(r"delmål")
_GOAL_OR_AMBITION = re.compile(r"mål|ambition")
_COMMITMENT = re.compile(r"forpligte|vil\s+vi|skal\s+vi|vi\s+vil|vi\s+skal|målsætning")
_BASELINE_COLUMN = re.compile(r"basisår|baseline|referenceår|udgangsår", re.I)
_YEAR_COLUMN = re.compile(r"\s*(?:mål)?(?:år|årstal)\s*|\s*(?:tidsfrist|deadline|frist)\s*", re.I)
_REDUCE_CELL = re.compile(r"reduktion|reducer", re.I)


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
        """``self.pattern.search(text)``, given ``low = _lower(text)`` (or of the text ``text`` was lowered from).

        A match of an IGNORECASE pattern is in the lower case too: each character it
        matches to a letter lower-cases to that letter, except the ``_CASE_BREAKERS``,
        for which ``low`` is None (tests/test_segment_speed.py checks every character).
        """
        if low is not None:
            for anchor in self.anchors:
                if anchor in low:
                    break
            else:
                return None
        return self.pattern.search(text)


#: The characters that IGNORECASE matches to a letter but that do not lower-case to it ("ſ" matches
#: "s", "ı" and "İ" match "i").
_CASE_BREAKERS = ("\u0130", "\u0131", "\u017f")


def _lower(text: str) -> str | None:
    """``text.lower()`` for the anchors of :class:`_Anchored`, or None if a character in it defeats them."""
    for ch in _CASE_BREAKERS:
        if ch in text:
            return None
    return text.lower()


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
_GOAL_WORD_ANCHORED = _Anchored(_GOAL_WORD, ("mål", "ambition", "forpligt", "target"))
_STATUS_WORD_ANCHORED = _Anchored(
    _STATUS_WORD, ("status", "resultat", "regnskab", "opgørelse", "fremskrivning", "historisk", "udvikling")
)
_COMMITMENT_ANCHORED = _Anchored(_COMMITMENT, ("forpligte", "vi", "målsætning"))
_BASELINE_HINT_ANCHORED = _Anchored(_BASELINE_HINT, _YEAR_ANCHORS)
_REDUCE_HINT_ANCHORED = _Anchored(_REDUCE_HINT, ("reduktion", "reducer", "nedbring"))
_UNIT_HINT_ANCHORED = tuple(
    (_Anchored(pattern, anchors), unit)
    for (pattern, unit), anchors in zip(_UNIT_HINT, (("(",), ("(", "procent"), ("(",), ("(",)), strict=True)
)


def _header_year(body: str) -> int | None:
    """The year a list header or heading gives its items ("2030:", "Mål 2030:", "Delmål for 2025")."""
    if "19" not in body and "20" not in body and "2100" not in body:
        return None  # no match of _YEAR_IN_CELL (its _YEAR starts with one of these), no year
    years = list(_YEAR_IN_CELL.finditer(body))
    if len(years) != 1 or _RANGE.search(body) or _STATUS_WORD.search(body):
        return None
    stripped = body.strip(" \t\u00a0*#:–-")
    if len(stripped) > 80:
        return None
    if _GOAL_WORD.search(body) or _HEADER_YEAR.match(stripped):
        return int(years[0].group(1))
    return None


def _hints(body: str, low: str | None) -> tuple[int | None, str | None, str | None]:
    """Baseline, direction and unit a heading or caption states for what follows (``low = _lower(body)``)."""
    baseline = None
    m = _BASELINE_HINT_ANCHORED.search(body, low)
    if m:
        baseline = int(m.group(1))
    direction = "reduce" if _REDUCE_HINT_ANCHORED.search(body, low) else None
    unit = next((u for cue, u in _UNIT_HINT_ANCHORED if cue.search(body, low)), None)
    return baseline, direction, unit


class _HeadingFacts(NamedTuple):
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
_SAYS_NOTHING = _HeadingFacts(False, None, None, False, (None, None, None))
_HEADING_ANCHORS = tuple(
    dict.fromkeys(
        anchor
        for cue in (
            _DELMAAL_I_ANCHORED,
            *(cue for cue, _ in _SCOPE_CUES_ANCHORED),
            _GOAL_WORD_ANCHORED,
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
def _heading_facts(body: str) -> _HeadingFacts:
    """The context a heading line sets for the section under it."""
    low = _lower(body)
    if low is not None and not _holds_any(low, _HEADING_ANCHORS):
        # every search below is ruled out by its anchors, and the year by "19", "20" and "2100"
        return _SAYS_NOTHING
    interim = bool(_DELMAAL_I_ANCHORED.search(body, low))
    year = _header_year(body)
    scope = scope_of(body, low)
    goal = bool(_GOAL_WORD_ANCHORED.search(body, low)) and not _STATUS_WORD_ANCHORED.search(body, low)
    target_list = interim or year is not None or goal or scope is not None
    return _HeadingFacts(interim, year, scope, target_list, _hints(body, low))


class _HeaderFacts(NamedTuple):
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
def _header_facts(body: str) -> _HeaderFacts:
    """The tests :meth:`_State.header` makes of a label ending in ":"."""
    low = body.lower()
    anchors_low = _lower(body)  # (``low``, or None if the label has a character in _CASE_BREAKERS)
    # only a short label ("Mål (i forhold til 1990):") speaks for the items; a sentence ending in ":" does not
    baseline, _direction, unit = _hints(body, anchors_low) if len(body) <= 80 else (None, None, None)
    return _HeaderFacts(
        scope=scope_of(body, anchors_low),
        status=bool(_STATUS_WORD_ANCHORED.search(low, anchors_low)),
        delmaal="delmål" in low,  # (``_DELMAAL.search(low)``: a literal)
        goal="mål" in low or "ambition" in low,  # (``_GOAL_OR_AMBITION.search(low)``)
        year=_header_year(body),
        commitment=bool(_COMMITMENT_ANCHORED.search(low, anchors_low)),
        baseline=baseline,
        unit=unit,
    )


class _State:
    """Context carried down the document."""

    def __init__(self) -> None:
        self.section_scope: str | None = None
        self.list_scope: str | None = None
        self.interim = False
        self.year: int | None = None
        self.section_year: int | None = None
        self.target_list = False
        self.columns: list[tuple[int | None, str | None]] = []
        self.hints: tuple[int | None, str | None, str | None] = (None, None, None)
        self.block = 0
        self._last_key: tuple | None = None
        self._last = Context()

    def snapshot(self, in_list: bool) -> Context:
        """The context now; the items of a list mostly share one, so an equal last one is reused."""
        baseline, direction, unit = self.hints if in_list else (None, None, None)
        scope = self.list_scope or self.section_scope
        year = self.year or self.section_year
        # the fields of a Context in their order: a new one is made from the key (keywords cost a third more)
        key = (scope, self.interim, year, self.target_list, in_list, baseline, direction, unit, self.block)
        if key != self._last_key:
            self._last_key = key
            self._last = Context(*key)
        return self._last

    def heading(self, body: str) -> None:
        facts = _heading_facts(body)
        self.list_scope = None
        self.interim = facts.interim
        self.year = self.section_year = facts.year
        self.section_scope = facts.scope
        self.target_list = facts.target_list
        self.columns = []
        self.hints = facts.hints

    def header(self, body: str) -> None:
        facts = _header_facts(body)
        if facts.scope:
            self.list_scope = facts.scope
            self.target_list = True
        if facts.status:
            self.target_list = False
            return
        if facts.delmaal:
            self.interim = True
            self.target_list = True
        elif facts.goal:
            self.interim = False  # (the label holds no "delmål": that was the branch above)
            self.target_list = True
        if facts.year is not None:
            self.year = facts.year
            self.target_list = True
        elif facts.commitment:
            self.target_list = True
        self.hints = (facts.baseline, self.hints[1], facts.unit or self.hints[2])

    def prose(self) -> None:
        self.list_scope = None
        self.interim = False
        self.year = None
        self.target_list = False
        self.columns = []


def _column(cell: str) -> tuple[int | None, str | None]:
    """What a header cell says about its column: a target year, a baseline, the year, a row label."""
    year = _YEAR_IN_CELL.search(cell)
    if _BASELINE_COLUMN.search(cell):
        return None, "baseline"
    if _YEAR_COLUMN.fullmatch(cell):
        return None, "year"
    if _GOAL_WORD.search(cell):
        return (int(year.group(1)) if year else None), ("target" if year else "label")
    return (int(year.group(1)) if year else None), None


def _table_row(text: str, ls: int, le: int, state: _State) -> Segment | None:
    line = text[ls:le]
    parts = line.split("|")
    spans: list[tuple[int, int]] = []
    pos = ls
    for part in parts:
        spans.append(_strip(text, pos, pos + len(part)))
        pos += len(part) + 1
    values = [text[s:e] for s, e in spans]
    # a row with a quantity is data whatever its cells say, so its cells are not read as column heads
    columns = [] if any(_CELL_QUANTITY.search(v) for v in values) else [_column(v) for v in values]
    if any(y or role for y, role in columns):
        if any(role == "label" for _, role in columns):
            state.target_list = True
        if any(_REDUCE_CELL.search(v) for v in values):
            state.hints = (state.hints[0], "reduce", state.hints[2])
        if any(role == "target" for _, role in columns):
            columns = [(y, role or ("stat" if y else None)) for y, role in columns]
            state.target_list = True
        elif any(y for y, _ in columns) and state.target_list is False and _GOAL_WORD.search(line):
            state.target_list = True
        state.columns = columns
        return None
    cells: list[Cell] = [(s, e, None, None) for s, e in spans]
    if state.columns and len(state.columns) == len(cells):
        cells = [(s, e, *state.columns[i]) for i, (s, e, _, _) in enumerate(cells)]
    s, e = _strip(text, ls, le)
    return Segment(s, e, "row", state.snapshot(in_list=True), cells)


def segments(text: str, triggers: TriggerIndex | None = None) -> Iterator[Segment]:
    """Every unit of ``text`` in order, each with the context its headings give it.

    ``triggers`` (built here if not given) answers which paragraphs are worth splitting;
    the pipeline passes its own so it can ask the same of the units.
    """
    if triggers is None:
        triggers = TriggerIndex(text)
    state = _State()
    # Each block's segments are appended to one reused list rather than yielded from a generator per
    # block: most blocks are one line (web pages) and give one segment or none, for which the generator
    # cost more than the appends.
    out: list[Segment] = []
    pos = 0
    for sep_start, sep_end in [*_block_separators(text), (len(text), len(text))]:
        bs, be = pos, sep_start
        pos = sep_end
        # (most blocks need no stripping: two tests here cost less than the call)
        if be <= bs or text[bs] in _STRIPPED or text[be - 1] in _STRIPPED:
            bs, be = _strip(text, bs, be)
            if be <= bs:
                continue
        state.block += 1
        line = text[bs:be]
        if "\n" in line:
            _block(text, bs, be, state, triggers, out)
        else:
            _line_block(text, bs, be, line, state, triggers, out)
        if out:
            yield from out
            out.clear()


def _block_separators(text: str) -> list[tuple[int, int]]:
    r"""The spans ``re.finditer(r"\n[ \t\u00a0\f\r]*\n|\f", text)`` gives, found faster.

    Blank lines are found on their own; a form feed is a separator of its own unless
    it lies inside a blank line (the scan of the alternation would have passed it there,
    and a form feed can never be where a blank line starts).
    """
    seps = [m.span() for m in _BLANK_LINE.finditer(text)]
    at = text.find("\f")
    if at < 0:
        return seps
    starts = [s for s, _ in seps]
    feeds = []
    while at >= 0:
        i = bisect.bisect_right(starts, at) - 1
        if i < 0 or at >= seps[i][1]:
            feeds.append((at, at + 1))
        at = text.find("\f", at + 1)
    return sorted(seps + feeds)


def _new_unit(prev: str, line: str) -> bool:
    """Does ``line`` start a new unit after the paragraph line ``prev`` (no blank line between)?"""
    p = prev.rstrip()
    if p.endswith((".", "!", "?", ":", ";")):
        return True
    first = line.lstrip()[:1]
    return bool(first) and (first.isupper() or first.isdigit()) and len(p) <= 70 and _is_heading(p)


def _units(text: str, bs: int, be: int) -> list[tuple[str, int, int]]:
    """Group the lines of a block into list items ("item"), table rows ("row") and paragraphs ("para")."""
    lines = text[bs:be].split("\n")  # one split instead of a find and a slice per line
    units: list[tuple[str, int, int]] = []
    para: list[int] = []
    para_end = 0
    prev_line = ""
    le = bs - 1
    for line in lines:
        ls = le + 1
        le = ls + len(line)
        if not line or line.isspace():
            continue
        bullet = _BULLET.match(line)
        if "|" in line and _TABLE_BAR.search(line):
            if para:
                units.append(("para", para[0], para_end))
                para = []
            units.append(("row", ls, le))
        elif bullet or (":" in line and _LABEL_LINE.match(line)):  # a label needs its colon
            if para:
                units.append(("para", para[0], para_end))
                para = []
            units.append(("item", ls + (bullet.end() if bullet else 0), le))
        elif (
            units
            and units[-1][0] == "item"
            and not para
            and not _ends_sentence(text, units[-1][2])
            and not _new_unit(prev_line, line)
        ):
            kind, s, _ = units[-1]
            units[-1] = (kind, s, le)
        else:
            if para and _new_unit(prev_line, line):
                units.append(("para", para[0], para_end))
                para = []
            if not para:
                para = [ls]
            para_end = le
        prev_line = line
    if para:
        units.append(("para", para[0], para_end))
    return units


def _block(text: str, bs: int, be: int, state: _State, triggers: TriggerIndex, out: list[Segment]) -> None:
    """Append the units of a block of several lines to ``out``, with the headers and headings among them read
    into ``state``."""
    for kind, s, e in _units(text, bs, be):
        s, e = _strip(text, s, e)
        if e > s:
            _unit(text, kind, s, e, text[s:e], state, triggers, out)


def _line_block(
    text: str, bs: int, be: int, line: str, state: _State, triggers: TriggerIndex, out: list[Segment]
) -> None:
    """:func:`_block` of a block that is one line, ``line = text[bs:be]`` (most blocks of web pages are: menu
    items, names, headings), without the list and tuples of :func:`_units` and with the line as the unit's text.

    The tests are the first pass of the loop in :func:`_units`, where no unit is open yet, in its order
    (a line that is only white space is no unit); ``line`` is stripped already.
    """
    if line.isspace():
        return
    if "|" in line and _TABLE_BAR.search(line):
        _unit(text, "row", bs, be, line, state, triggers, out)
        return
    # the stripped line starts where _BULLET's marker must: an upper-case letter is none (most lines start so)
    bullet = None if line[0].isupper() else _BULLET.match(line)
    if bullet or (":" in line and _LABEL_LINE.match(line)):  # a label needs its colon
        s, e = _strip(text, bs + bullet.end(), be) if bullet else (bs, be)
        if e > s:
            _item(text, s, e, text[s:e], state, out)
        return
    _paragraph(text, bs, be, line, state, triggers, out)


def _unit(
    text: str, kind: str, s: int, e: int, body: str, state: _State, triggers: TriggerIndex, out: list[Segment]
) -> None:
    """Append the segments of the unit ``body = text[s:e]`` (stripped, not empty) to ``out`` and read it into
    ``state``."""
    if kind == "para":
        _paragraph(text, s, e, body, state, triggers, out)
    elif kind == "item":
        _item(text, s, e, body, state, out)
    else:
        seg = _table_row(text, s, e, state)
        if seg:
            out.append(seg)


def _paragraph(
    text: str, s: int, e: int, body: str, state: _State, triggers: TriggerIndex, out: list[Segment]
) -> None:
    """:func:`_unit` of a paragraph: a list header, an entry under a goal heading, a heading, or prose."""
    if body.endswith(":"):
        out.append(Segment(s, e, "header", state.snapshot(in_list=False)))
        state.header(body)
        return
    if "\n" not in body:
        if state.target_list and not body.endswith((".", "!", "?")) and _NOMINAL_TARGET.search(body):
            # "70 % reduktion i forhold til 1990" under a goal heading is an entry, not a heading
            _item(text, s, e, body, state, out)
            return
        if _is_heading(body):
            state.heading(body)
            out.append(Segment(s, e, "heading", state.snapshot(in_list=False)))
            return
    state.prose()
    if not triggers.might_hold(s, e):
        return  # prose without a number or end-state word: nothing to split
    ctx = state.snapshot(in_list=False)
    for ss, se in _sentences(text, s, e):
        out.append(Segment(ss, se, "sentence", ctx))


def _sentences(text: str, s: int, e: int) -> Iterable[tuple[int, int]]:
    """:func:`split_sentences` of a stripped, non-empty span, which without a sentence boundary is the span
    itself: most units are one sentence (list items, short paragraphs), and this spares them the generator."""
    if _SENT_BOUNDARY.search(text, s, e) is None:
        return ((s, e),)
    return split_sentences(text, s, e)


def _item(text: str, s: int, e: int, body: str, state: _State, out: list[Segment]) -> None:
    """:func:`_unit` of a list item: its first sentence is the item, the others continue it."""
    ctx = state.snapshot(in_list=True)
    kind = "item"
    for ss, se in _sentences(text, s, e):
        out.append(Segment(ss, se, kind, ctx))
        kind = "item_cont"
    if body.endswith(":"):
        state.header(body)


def _ends_sentence(text: str, end: int) -> bool:
    return text[max(0, end - 2) : end].rstrip().endswith((".", "!", "?", ":"))


def clear_caches() -> None:
    """Forget the remembered heading and list-header lines (see ``pipeline.clear_unit_cache``)."""
    _heading_facts.cache_clear()
    _header_facts.cache_clear()
