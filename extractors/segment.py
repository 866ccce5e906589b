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

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

#: Blocks are separated by blank lines; a form feed (page break) counts as blank.
_BLOCK_SPLIT = re.compile(r"\n[ \t\u00a0\f\r]*\n|\f")
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
        "mht",
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
_SENT_BOUNDARY = re.compile(r"[.!?]+[\"”»’)]*(?=\s+[\"“”»(]?[A-ZÆØÅ0-9])")

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


@dataclass(slots=True)
class Segment:
    """A sentence, list item sentence, heading or table row: ``text[start:end]``."""

    start: int
    end: int
    kind: str
    context: Context
    #: For table rows: (start, end, column year) of each cell.
    cells: list[tuple[int, int, int | None]] = field(default_factory=list)


def scope_of(text: str) -> str | None:
    """The scope a heading names, if any."""
    for pattern, scope in SCOPE_CUES:
        if pattern.search(text):
            return scope
    return None


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\u00a0\r\n\f*":
        start += 1
    while end > start and text[end - 1] in " \t\u00a0\r\n\f*":
        end -= 1
    return start, end


def split_sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]``; abbreviations ("mio. kr.", "bl.a.") do not end one."""
    cur = start
    chunk = text[start:end]
    for m in _SENT_BOUNDARY.finditer(chunk):
        cut = start + m.start()
        word = re.search(r"([\wæøå.]+)$", text[cur:cut])
        prev = word.group(1).lower().strip(".") if word else ""
        if prev in _ABBREV or (len(prev) == 1 and prev.isalpha()) or re.fullmatch(r"\d{1,2}", prev):
            continue
        s, e = _strip(text, cur, start + m.end())
        if e > s:
            yield s, e
        cur = start + m.end()
    s, e = _strip(text, cur, end)
    if e > s:
        yield s, e


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        if nl < 0:
            nl = end
        yield pos, nl
        pos = nl + 1


def _is_heading(line: str) -> bool:
    body = line.strip(" \t\u00a0*#")
    if not body or body.endswith((".", "!", "?", ",", ";")):
        return False
    letters = [c for c in body if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.7 and len(letters) > 3:
        return True
    return len(body) <= 90 and not re.search(r"\b(?:skal|vil|er|har)\b", body)


class _State:
    """Context carried down the document."""

    def __init__(self) -> None:
        self.section_scope: str | None = None
        self.list_scope: str | None = None
        self.interim = False
        self.year: int | None = None
        self.target_list = False
        self.columns: list[int | None] = []

    def snapshot(self, in_list: bool) -> Context:
        return Context(
            scope=self.list_scope or self.section_scope,
            interim=self.interim,
            year=self.year,
            target_list=self.target_list,
            in_list=in_list,
        )

    def heading(self, body: str) -> None:
        self.list_scope = None
        self.interim = bool(re.search(r"\bdelmål\b", body, re.I))
        self.year = _header_year(body)
        self.target_list = self.interim or self.year is not None
        self.section_scope = scope_of(body)
        self.columns = []

    def header(self, body: str) -> None:
        low = body.lower()
        scope = scope_of(body)
        if scope:
            self.list_scope = scope
            self.target_list = True
        if re.search(r"\bdelmål", low):
            self.interim = True
            self.target_list = True
        elif re.search(r"\bmål(?:sætning(?:er)?|ene)?\b|ambition", low):
            self.interim = False
            self.target_list = True
        year = _header_year(body)
        if year is not None:
            self.year = year
            self.target_list = True
        elif re.search(r"forpligte|vil\s+vi|skal\s+vi|vi\s+vil|vi\s+skal", low):
            self.target_list = True

    def prose(self) -> None:
        self.list_scope = None
        self.interim = False
        self.year = None
        self.target_list = False
        self.columns = []


def _header_year(body: str) -> int | None:
    m = _HEADER_YEAR.match(body.strip(" \t\u00a0*#:–-"))
    if m:
        return int(m.group(1))
    m = re.search(
        r"(?:mål|målsætning\w*|delmål)\s+(?:for|i|frem\s+mod|til)\s+(" + _YEAR + r")\s*:?\s*$", body, re.I
    )
    return int(m.group(1)) if m else None


def _table_row(text: str, ls: int, le: int, state: _State) -> Segment | None:
    line = text[ls:le]
    parts = line.split("|")
    cells: list[tuple[int, int, int | None]] = []
    pos = ls
    for part in parts:
        s, e = _strip(text, pos, pos + len(part))
        cells.append((s, e, None))
        pos += len(part) + 1
    values = [text[s:e] for s, e, _ in cells]
    has_quantity = any(re.search(r"\d\s*(?:%|procent|pct|ton|kwh|mwh|gwh|mw|ha\b)", v, re.I) for v in values)
    years = [_YEAR_IN_CELL.search(v) for v in values]
    if not has_quantity and any(years):
        state.columns = [int(y.group(1)) if y else None for y in years]
        if any(re.search(r"mål|målsætning|ambition|reduktion|target", v, re.I) for v in values):
            state.target_list = True
        return None
    if state.columns and len(state.columns) == len(cells):
        cells = [(s, e, state.columns[i]) for i, (s, e, _) in enumerate(cells)]
    s, e = _strip(text, ls, le)
    return Segment(s, e, "row", state.snapshot(in_list=True), cells)


def segments(text: str) -> Iterator[Segment]:
    """Every unit of ``text`` in order, each with the context its headings give it."""
    state = _State()
    pos = 0
    n = len(text)
    blocks: list[tuple[int, int]] = []
    for m in _BLOCK_SPLIT.finditer(text):
        blocks.append((pos, m.start()))
        pos = m.end()
    blocks.append((pos, n))
    for bs, be in blocks:
        bs, be = _strip(text, bs, be)
        if be <= bs:
            continue
        yield from _block(text, bs, be, state)


def _block(text: str, bs: int, be: int, state: _State) -> Iterator[Segment]:
    """Group the lines of a block into list items, table rows, headers and paragraphs."""
    units: list[tuple[str, int, int]] = []
    para: list[int] = []
    para_end = 0
    for ls, le in _lines(text, bs, be):
        line = text[ls:le]
        if not line.strip():
            continue
        bullet = _BULLET.match(line)
        if line.count("|") >= 1 and re.search(r"\S\s*\|\s*\S", line):
            if para:
                units.append(("para", para[0], para_end))
                para = []
            units.append(("row", ls, le))
        elif bullet:
            if para:
                units.append(("para", para[0], para_end))
                para = []
            units.append(("item", ls + bullet.end(), le))
        elif units and units[-1][0] == "item" and not para and not _ends_sentence(text, units[-1][2]):
            kind, s, _ = units[-1]
            units[-1] = (kind, s, le)
        else:
            if not para:
                para = [ls]
            para_end = le
            if line.rstrip().endswith(":"):
                units.append(("para", para[0], para_end))
                para = []
    if para:
        units.append(("para", para[0], para_end))
    for kind, s, e in units:
        s, e = _strip(text, s, e)
        if e <= s:
            continue
        body = text[s:e]
        if kind == "row":
            seg = _table_row(text, s, e, state)
            if seg:
                yield seg
            continue
        if kind == "para" and body.endswith(":"):
            yield Segment(s, e, "header", state.snapshot(in_list=False))
            state.header(body)
            continue
        if kind == "para" and "\n" not in body and _is_heading(body):
            state.heading(body)
            yield Segment(s, e, "heading", state.snapshot(in_list=False))
            continue
        if kind == "para":
            state.prose()
        ctx = state.snapshot(in_list=kind == "item")
        for ss, se in split_sentences(text, s, e):
            yield Segment(ss, se, kind if kind == "item" else "sentence", ctx)
        if kind == "item" and body.endswith(":"):
            state.header(body)


def _ends_sentence(text: str, end: int) -> bool:
    return text[max(0, end - 2) : end].rstrip().endswith((".", "!", "?", ":"))
