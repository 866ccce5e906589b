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
from dataclasses import dataclass, field, fields

from extractors.headings import (
    GOAL_WORD,
    PRESENT_YEAR,
    RELATIVE_TO,
    STATUS_WORD,
    YEAR,
    YEAR_IN_CELL,
    HeaderFacts,
    header_facts,
    heading_facts,
)
from extractors.triggers import TriggerIndex

#: Blocks are separated by blank lines; a form feed (page break) counts as blank (see
#: :func:`_block_separators`, which finds the form feeds with ``str.find``: a pattern starting with
#: a literal, as this one does, is found five times faster than the alternation with ``\f``).
_BLANK_LINE = re.compile(r"\n[ \t\u00a0\f\r]*\n")
_BULLET = re.compile(r"^[ \t\u00a0]*(?:[-–—•▪●◦*·]|\d{1,2}[.)](?=\s)|[a-z][.)](?=\s))[ \t\u00a0]*")
#: The number a heading or a paragraph opens with ("8.2 Vores ambitioner", "5.2 Alle bybusser skal …",
#: "12. Budgetopfølgning", "Punkt 3: …"): part of a heading's text for its context, but no figure of
#: either.
_SECTION_NUMBER = re.compile(
    r"[ \t\u00a0]*(?:punkt\s+\d{1,3}[.:)]?|\d{1,3}(?:\.\d{1,2})+\.?|\d{1,3}[.:)])[ \t\u00a0]+(?=\S)", re.I
)


def _section_number_end(line: str) -> int:
    """Where the text of a paragraph line numbered as a section starts (0: not one, or a heading,
    "5.3 Udvikling i udledningen", which keeps its number as headings do)."""
    if not line.lstrip()[:1].isdigit():
        return 0
    numbered = _SECTION_NUMBER.match(line)
    if numbered is None or _is_heading(line[numbered.end() :]):
        return 0
    return numbered.end()


def _heading_segment(s: int, e: int, body: str, state: _State) -> Segment:
    """The segment of a heading ``body = text[s:e]``, read into ``state``; it starts after its number."""
    number = _SECTION_NUMBER.match(body)
    return Segment(s + (number.end() if number else 0), e, "heading", state.heading_context(body))


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
#: Abbreviations that end a sentence as often as not: a unit after an amount ("… 12,2 mio. kr. Heri er …"),
#: the end of a list ("… m.m. Derudover …"). Before a capital letter they end one; before a digit they do not.
_ABBREV_ENDING = frozenset(["kr", "pct", "ha", "mv", "m.m", "osv", "etc", "o.l", "o.a"])
#: ``[.!?]+[\"”»’)]*(?=…)`` written with the first mark apart (``[.!?][.!?]*``, the same matches): a
#: pattern that starts with a character class is searched by skipping to that class, twice as fast. Its
#: group is the character the next sentence would open with (a capital or a digit).
_SENT_BOUNDARY = re.compile(r"[.!?][.!?]*[\"”»’)]*(?=\s+[\"“”»(]?([A-ZÆØÅ0-9]))")


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
    #: The nearest heading above the unit, and the nearest numbered one ("12. Budgetopfølgning 1",
    #: "Punkt 11: Afrapportering på klimaregnskab"): an agenda item's or a chapter's title. Their
    #: words say what the figures under them are about (a climate plan, a budget, a loan).
    heading: str | None = None
    title: str | None = None
    #: What kind of text the unit is in, read off the whole document ("agenda": a council agenda or
    #: minutes, by their section headings; None: anything else), see :func:`genre_of`.
    genre: str | None = None
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
_CELL_QUANTITY = re.compile(
    r"\d\s*(?:%|procent|pct|ton|kg\b|km\b|m²|m2\b|m³|m3\b|liter|kwh|mwh|gwh|mw|kw\b|ha\b|hektar|stk|kr\b|°)"
    r"|\d\.\d{3}|\d,\d",
    re.I,
)
_TABLE_BAR = re.compile(r"\S\s*\|\s*\S")
#: A cell that holds a year and nothing else ("2030", "2030:").
YEAR_ONLY = re.compile(r"\s*(" + YEAR + r")\s*:?\s*")


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
            ends = prev in _ABBREV_ENDING and m.group(1).isalpha()
            if not ends and (
                prev in _ABBREV or (len(prev) == 1 and prev.isalpha()) or _ONE_OR_TWO_DIGITS.fullmatch(prev)
            ):
                continue
        s, e = _strip(text, cur, after)
        if e > s:
            yield s, e
        cur = after
    s, e = _strip(text, cur, end)
    if e > s:
        yield s, e


def _lead_in_facts(body: str) -> HeaderFacts:
    """:func:`header_facts` of a list's lead-in, whose year is its last sentence's: a paragraph that ends in
    one ("… og for kommunen som virksomhed. I 2030 vil vi:") gives the items that sentence's year."""
    facts = header_facts(body)
    if len(body) > 80:
        *before, (s, e) = split_sentences(body, 0, len(body))
        if before:
            facts = facts._replace(year=header_facts(body[s:e]).year)
    return facts


def _is_heading(line: str) -> bool:
    body = line.strip(" \t\u00a0*#")
    if not body or body.endswith((".", "!", "?", ",", ";")):
        return False
    if len(body) <= 120 and not _FINITE_VERB.search(body):
        return True  # short and without a finite verb: a heading, whatever its case
    letters = list(filter(str.isalpha, body))  # (filter/map: the loops run in C)
    return bool(letters) and sum(map(str.isupper, letters)) / len(letters) > 0.7 and len(letters) > 3


_LABEL_LINE = re.compile(
    r"^[ \t\u00a0]*(?!(?:Tabel|Figur|Table|Figure|Kilde|Note|Bilag)\b)(?:"
    + YEAR
    + r"|[A-ZÆØÅ][\wæøåÆØÅ ,/&()-]{0,40}):[ \t\u00a0]+\S"
)
_NOMINAL_TARGET = re.compile(
    r"\d\s*(?:%|procent|pct|ton|mwh|gwh|ha\b|km\b|kr)|neutral|netto-?nul|fossilfri|halver|fordobl", re.I
)
_RELATIVE_TO = re.compile(r"(?:" + RELATIVE_TO + r"|siden)\s*$", re.I)
_BASELINE_COLUMN = re.compile(r"basisår|baseline|referenceår|udgangsår", re.I)
_YEAR_COLUMN = re.compile(r"\s*(?:mål)?(?:år|årstal)\s*|\s*(?:tidsfrist|deadline|frist)\s*", re.I)
_REDUCE_CELL = re.compile(r"reduktion|reducer", re.I)
#: A numbered heading: an agenda item ("12. Budgetopfølgning", "Punkt 3: Svar på …") or a chapter ("4.2 Transport").
_TITLE = re.compile(r"(?:punkt\s+)?\d{1,3}(?:\.\d{1,2})*[.:)]?\s+\S", re.I)
_TITLE_NUMBER = re.compile(r"^(?:punkt\s+)?\d{1,3}(?:\.\d{1,2})*[.:)]?\s+", re.I)


@dataclass(slots=True)
class StatedTargets:
    """What a document's targets stated so far, for restatements later in it (see
    ``pipeline.continue_years``): the baseline stated with (value, unit, year, direction), and the year
    and deadline kind stated with (value, unit, direction), None once two years were stated."""

    baselines: dict[tuple, int] = field(default_factory=dict)
    years: dict[tuple, tuple[int, str | None] | None] = field(default_factory=dict)


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
        self.heading_text: str | None = None
        self.title: str | None = None
        self.genre: str | None = None
        #: Whether the genre was read (from the first window of a windowed document).
        self.genre_read = False
        #: What the document's targets stated so far: a later window's restatement inherits it too.
        self.stated = StatedTargets()
        self._last_key: tuple | None = None
        self._last = Context()

    def snapshot(self, in_list: bool) -> Context:
        """The context now; the items of a list mostly share one, so an equal last one is reused."""
        baseline, direction, unit = self.hints if in_list else (None, None, None)
        scope = self.list_scope or self.section_scope
        year = self.year or self.section_year
        # the fields of a Context in their order: a new one is made from the key (keywords cost a third more)
        key = (
            scope,
            self.interim,
            year,
            self.target_list,
            in_list,
            baseline,
            direction,
            unit,
            self.heading_text,
            self.title,
            self.genre,
            self.block,
        )
        if key != self._last_key:
            self._last_key = key
            self._last = Context(*key)
        return self._last

    def heading(self, body: str) -> None:
        self.heading_text = body
        if _TITLE.match(body):
            self.title = body
        facts = heading_facts(body)
        self.list_scope = None
        self.interim = facts.interim
        self.year = self.section_year = facts.year
        self.section_scope = facts.scope
        self.target_list = facts.target_list
        self.columns = []
        self.hints = facts.hints

    def heading_context(self, body: str) -> Context:
        """Read a heading for the units under it, and return the heading's own context: the one before
        it. What a heading says (a goal list, its topic words, its year) speaks for what follows, not
        for the heading itself: "Fremrykning af målet om klimaneutralitet" titles a case; it is not an
        entry of a goal list it opened, nor its own heading."""
        before = self.snapshot(in_list=False)
        self.heading(body)
        return before

    def header(self, body: str) -> None:
        facts = _lead_in_facts(body)
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


#: ``_State.snapshot`` makes a Context from its key by position: the key's order must be the fields'.
_SNAPSHOT_KEY = (
    "scope",
    "interim",
    "year",
    "target_list",
    "in_list",
    "baseline",
    "direction",
    "unit",
    "heading",
    "title",
    "genre",
    "block",
)
assert tuple(f.name for f in fields(Context)) == _SNAPSHOT_KEY, "keep _State.snapshot's key in step"


def _column(cell: str) -> tuple[int | None, str | None]:
    """What a header cell says about its column: a target year, a baseline, the year, a row label."""
    year = YEAR_IN_CELL.search(cell)
    if year and _RELATIVE_TO.search(cell, 0, year.start()):
        year = None  # "Reduktion ift. 2007": the column's figures are measured from that year, not in it
    if _BASELINE_COLUMN.search(cell):
        return None, "baseline"
    if _YEAR_COLUMN.fullmatch(cell):
        return None, "year"
    if GOAL_WORD.search(cell):
        return (int(year.group(1)) if year else None), ("target" if year else "label")
    if STATUS_WORD.search(cell):
        return (int(year.group(1)) if year else None), "stat"  # "Status", "Status 2023", "2019 (status)"
    return (int(year.group(1)) if year else None), None


def _history_columns(columns: list[tuple[int | None, str | None]], line: str, state: _State) -> bool:
    """Are the header's year columns all before the present, in a table whose header and heading name no
    goal? A heading that only names a scope ("…, kommunen som virksomhed") opens a list of goals in a
    plan, but a table of past years under it is a green account's statistics."""
    years = [y for y, _ in columns if y]
    if not years or any(y >= PRESENT_YEAR for y in years) or GOAL_WORD.search(line):
        return False
    return not (state.heading_text and GOAL_WORD.search(state.heading_text))


def _history_caption(heading: str | None) -> bool:
    """Does a table's caption date it to the past and name no goal ("Tabel 1. Arealanvendelse i
    Syddjurs Kommune, 2023")? Then a table whose header names no column (no year, no goal, no status)
    holds that year's statistics."""
    if not heading or GOAL_WORD.search(heading):
        return False
    years = [int(m.group(1)) for m in YEAR_IN_CELL.finditer(heading)]
    return bool(years) and all(y < PRESENT_YEAR for y in years)


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
        goal_columns = {i for i, (_, role) in enumerate(columns) if role == "label" and i > 0}
        if goal_columns:
            # a column headed as goals beside the row labels ("Nøgletal | 2022 | Mål") holds the goals;
            # the year columns beside it hold the status they are measured from
            columns = [
                (y, "target" if i in goal_columns else ("stat" if y else role))
                for i, (y, role) in enumerate(columns)
            ]
        if any(role == "target" for _, role in columns):
            columns = [(y, role or ("stat" if y else None)) for y, role in columns]
            state.target_list = True
        elif any(y for y, _ in columns) and state.target_list is False and GOAL_WORD.search(line):
            state.target_list = True
        elif _history_columns(columns, line, state):
            # year columns that are all history, in a table nobody called goals ("Sektor | 2018 | 2021 |
            # 2022 | Ændring 2018-2022"): every figure under them is a statistic
            columns = [(y, "stat" if y else role) for y, role in columns]
        elif state.target_list and any(y and role is None for y, role in columns):
            # year columns under a caption of goals ("Tabel 4. Sektormål (reduktion i procent ift. 1990)"):
            # each is a goal year, but one headed as a status ("2019 (status)")
            columns = [
                (y, ("stat" if STATUS_WORD.search(v) else "target") if y and role is None else role)
                for (y, role), v in zip(columns, values, strict=True)
            ]
        state.columns = columns
        return None
    cells: list[Cell] = [(s, e, None, None) for s, e in spans]
    if state.columns and len(state.columns) == len(cells):
        cells = [(s, e, *state.columns[i]) for i, (s, e, _, _) in enumerate(cells)]
    elif not state.columns and _history_caption(state.heading_text):
        cells = [(s, e, None, "stat") for s, e in spans]
    if state.target_list and cells[0][3] in (None, "label") and YEAR_ONLY.fullmatch(values[0]):
        # rows headed by their year in a table of goals ("Delmål | Reduktion", "2030 | 47 %"): the
        # first column gives each row's year, as a column headed "År" would
        cells[0] = (cells[0][0], cells[0][1], None, "year")
    row_year = next(
        (YEAR_IN_CELL.search(v) for v, c in zip(values, cells, strict=True) if c[3] == "year"), None
    )
    if row_year and int(row_year.group(1)) < PRESENT_YEAR:
        # a row of a past year ("2022 | 298.000 | 57 %") reports what was; a column headed as goals
        # ("Delmål") may still hold that year's goal
        cells = [(s, e, y, "stat" if role is None else role) for s, e, y, role in cells]
    s, e = _strip(text, ls, le)
    return Segment(s, e, "row", state.snapshot(in_list=True), cells)


#: Section headings of council agendas and minutes; a document with several of them is one. The portals
#: differ: "Beslutning" or "Beslutning i Byrådet den 21. marts 2024", "Resumé", "Beslutningstema",
#: "Retsgrundlag", "Økonomi", headings in capitals ("INDSTILLING OG BESLUTNING"); none of them heads a
#: section of a plan or a news page, and three different ones are needed.
_AGENDA_SECTION = re.compile(
    r"^(?:Sagsnummer:|Sagsnr\.|Beslutning(?:er)?$|Beslutning (?:i|fra|på) [^\n]{1,80}$|Indstilling$|"
    r"Indstilling (?:fra|til) [^\n]{1,80}$|Indstilling og beslutning$|Sagsbeskrivelse$|Sagsfremstilling$|"
    r"Resum[eé]$|Sagsresum[eé]$|Beslutningstema$|Problemstilling$|Økonomiske konsekvenser$|Økonomi$|"
    r"Økonomi og finansiering$|Økonomiske forhold$|Bevillingsmæssige konsekvenser$|Sagens forløb$|"
    r"Sagsforløb$|Beslutningspunkter$|Lovgrundlag$|Retsgrundlag$|Tidligere beslutninger$|Videre proces$|"
    r"Bilag$|Punkt \d+:|Sagen afgøres af\b[^\n]{0,80}$|Beslutningskompetence$|Sagens kerne$|"
    r"(?:Forvaltningens|Administrationens|Direktionens|Borgmesterens) (?:indstilling|vurdering|bemærkninger)$)",
    re.M | re.I,
)


#: The same headings after a line break: a pattern that starts with a literal is found by a scan for it
#: in C, while ``^`` under MULTILINE is tried at every position (ten times slower on a long text).
_AGENDA_SECTION_AFTER_BREAK = re.compile(
    "\n" + _AGENDA_SECTION.pattern.removeprefix("^"), _AGENDA_SECTION.flags
)


def agenda_sections(text: str) -> Iterator[str]:
    """The matches of :data:`_AGENDA_SECTION` in ``text``, in order: the one at its start, then those after
    a line break (every other line start), each found by :data:`_AGENDA_SECTION_AFTER_BREAK`."""
    first = _AGENDA_SECTION.match(text)
    if first is not None:
        yield first.group()
    for m in _AGENDA_SECTION_AFTER_BREAK.finditer(text):
        yield m.group()[1:]


def genre_of(text: str) -> str | None:
    """ "agenda" for a council agenda or minutes (three or more kinds of their section headings), else None."""
    kinds = set()
    for section in agenda_sections(text):
        kinds.add(section.split(" ")[0].rstrip(":.").lower())
        if len(kinds) >= 3:
            return "agenda"
    return None


#: The context carried down a document. Pass one to :func:`segments` to go on where an earlier text
#: (the window before, of the same document) left it; ``segments`` updates it as it reads.
SegmentState = _State


def segments(
    text: str,
    triggers: TriggerIndex | None = None,
    state: SegmentState | None = None,
    genre: str | None = None,
) -> Iterator[Segment]:
    """Every unit of ``text`` in order, each with the context its headings give it.

    ``triggers`` (built here if not given) answers which paragraphs are worth splitting;
    the pipeline passes its own so it can ask the same of the units. ``state`` (a fresh one
    if not given) is the context at the start of ``text``, and is left as it is at its end.
    ``genre`` is the document's (:func:`genre_of`), carried by every unit's context; a given
    ``state`` carries its own.
    """
    if triggers is None:
        triggers = TriggerIndex(text)
    if state is None:
        state = _State()
        state.genre = genre
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
                para = [ls + _section_number_end(line)]
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
    if _TITLE.match(line) and _is_title(line):
        out.append(_heading_segment(bs, be, line, state))
        return
    # the stripped line starts where _BULLET's marker must: an upper-case letter is none (most lines start so)
    bullet = None if line[0].isupper() else _BULLET.match(line)
    if bullet or (":" in line and _LABEL_LINE.match(line)):  # a label needs its colon
        s, e = _strip(text, bs + bullet.end(), be) if bullet else (bs, be)
        if e > s:
            _item(text, s, e, text[s:e], state, out)
        return
    skip = _section_number_end(line)
    if skip:
        bs, line = bs + skip, line[skip:]
    _paragraph(text, bs, be, line, state, triggers, out)


def _is_title(line: str) -> bool:
    """A block of one numbered line that reads as a heading and states no figure: an agenda item's or a
    chapter's title ("12. Budgetopfølgning 1 (2023)"), not a numbered goal ("1. 70 % reduktion i 2030")."""
    if line[:5].lower() == "punkt":
        return True  # "Punkt 3: Svar på forslag om at halvere …": an agenda item whatever it says
    body = _TITLE_NUMBER.sub("", line, count=1)
    return bool(body) and body[0].isupper() and _is_heading(body) and not _NOMINAL_TARGET.search(body)


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


def _lead_in(body: str) -> bool:
    """Does ``body`` open a list of goals the way a header does, without its colon: it ends in its
    complementizer "at", which the items below finish, and names a goal or a deadline ("Vi vil frem mod
    2030 sikre, at")? A decision's "Der træffes beslutning om, at" opens its points, which no goal
    list's year or words speak for."""
    if not (body.endswith("at") and len(body) > 2 and (body[-3] == "," or body[-3].isspace())):
        return False
    facts = _lead_in_facts(body)
    return facts.year is not None or facts.goal


def _paragraph(
    text: str, s: int, e: int, body: str, state: _State, triggers: TriggerIndex, out: list[Segment]
) -> None:
    """:func:`_unit` of a paragraph: a list header, an entry under a goal heading, a heading, or prose."""
    if body.endswith(":") or _lead_in(body):
        out.append(Segment(s, e, "header", state.snapshot(in_list=False)))
        state.header(body)
        return
    if "\n" not in body:
        if state.target_list and not body.endswith((".", "!", "?")) and _NOMINAL_TARGET.search(body):
            # "70 % reduktion i forhold til 1990" under a goal heading is an entry, not a heading
            _item(text, s, e, body, state, out)
            return
        if _is_heading(body):
            out.append(_heading_segment(s, e, body, state))
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
