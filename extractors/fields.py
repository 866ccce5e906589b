"""Descriptive fields of a target: metric, sector, scope, baseline label.

These do not decide whether something is a target; they describe one that
was found, so analysts can group targets ("who has a transport target?") and
reviewers see what is measured. Heuristics over the clause text, kept apart
from the decision rules so each can change without the other.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.caseless import Caseless, fold

#: Words that name what is measured; the metric phrase is grown around the nearest one. A word is a
#: head if it ends in one of these (any prefix: "CO₂-udledningen", "elforbruget").
_METRIC_HEADS = (
    r"udledning|udledningen|udledninger|udslip|udslippet|forbrug|forbruget|energiforbrug\w*|andel|andelen|"
    r"trafik|trafikken|genanvendelse\w*|genbrug\w*|mængde|mængden|ledningstab|emission\w*|drivhusgas\w*|"
    r"areal\w*|transport\w*|biltrafik\w*|kørsel|kørslen|produktion\w*|affald\w*|økologiprocent\w*|procent\w*|"
    r"mangfoldighed\w*|biodiversitet\w*|partikler|kvælstof\w*|fosfor\w*|skov\w*|elbiler|busser|bilerne|"
    r"bilparken|opvarmning\w*|varmeforsyning\w*|elforsyning\w*|forsyning\w*|vandforbrug\w*|fødevare\w*|"
    r"cykel\w*|madspild\w*|co2|co₂|c02|co2e"
)
#: Characters of a word (a run of them is a word; a word's end is where the run ends).
_WORD_CHARS = r"[\wæøåÆØÅ₂-]"


def _by_first_letter(alternation: str) -> str:
    """``a|b|…`` grouped by first letter, ``u(?:dledning|dslip…)|f(?:orbrug…)|…``: the same matches.

    Each alternative starts with a plain letter (no escape, group or class), and
    alternatives with different first letters never match at the same place; the
    order within a group is kept, so leftmost-first matching picks the same
    alternative. The regex engine then tests one branch per letter instead of all
    fifty, and skips letters that start no head at all.
    """
    groups: dict[str, list[str]] = {}
    for alternative in alternation.split("|"):
        groups.setdefault(alternative[0], []).append(alternative[1:])
    return "(?:" + "|".join(f"{re.escape(first)}(?:{'|'.join(rest)})" for first, rest in groups.items()) + ")"


#: A head at the end of a word. Searched for at word ends across the clause in one scan, rather than
#: a match per word (a Python loop over every word) or a whole-word match with a ``[\wæøå₂-]*``
#: prefix (backtracking through every alternative at every letter).
_HEAD_AT_WORD_END = Caseless(_by_first_letter(_METRIC_HEADS) + f"(?!{_WORD_CHARS})")
_METRIC_STOP = Caseless(
    r"\s(?:skal|vil|er|være|blive|bliver|med|på|reduceres|reduceret|nedbringes|øges|øget|steget|falde|være|udgøre|"
    r"baseret|kører|senest|inden|frem|målt|set|sammenlignet|fastholdes|i\s+(?:19|20)\d\d|i\s+forhold|og\s+i\s|"
    r"hvor|som|der|så|til\s+at|for\s+at|til\s+\d|til\s+(?:mindst|maksimalt|højst))\b|[,;:.()–]"
)

#: Words that name the supply side of energy: a target on them is an energy target even "i bygninger".
_ENERGY_HEAD = Caseless(
    r"^(?:el(?:forbrug|produktion|forsyning)\w*|el-|fjernvarme\w*|varmeforsyning\w*|ve-?\w*|vedvarende|vind\w*|sol\w*|\d.*\bMW\b)"
)
#: Sector rules, first match wins. ``x(?<!\wx)`` is ``\bx`` written literal-first: the regex engine
#: then skips straight to the letters that can start a match instead of trying every position.
_ORGANISATION_SECTOR = Caseless(r"som\s+virksomhed|egen\s+drift|kommunens\s+(?:indkøb|egen|egne)\b")
_SECTOR_RULES: tuple[tuple[str, Caseless], ...] = (
    (
        "vand",
        Caseless(
            r"vandforbrug|grundvand|spildevand|ledningstab|vandværk|drikkevand|liter/døgn|regnvand|vandløb|vandkvalitet"
        ),
    ),
    (
        "fødevarer",
        Caseless(
            r"økologiprocent|fødevare|madspild|køkken|kantine|måltid|mad(?<!\wmad)|økologisk\w*\s+(?:mad|fødevare|indkøb)"
        ),
    ),
    ("landbrug", Caseless(r"landbrug|dyrket|lavbund|arealanvendelse|husdyr|gødning|kvælstof")),
    ("affald", Caseless(r"affald|genanvend|genbrug|plast|metal|cirkulær|deponi|forbrændingsegne?t")),
    (
        "transport",
        Caseless(
            r"transport|trafik|bil(?<!\wbil)|biler|bilpark|busser|bus(?<!\wbus)|cykel|drivmidl|skraldebil|køretøj|ladestander|kørsel|mobilitet|færge|elbil|maskiner|brændstof"
        ),
    ),
    (
        "bygninger",
        Caseless(r"bygning|ejendom|nybyggeri|renovering|energimærk|boliger|bygningsmasse|byggeri"),
    ),
    (
        "natur",
        Caseless(r"natur(?!gas)|skov|biodiversitet|mangfoldighed|træer|vådområd|grønne områder"),
    ),
    (
        "energi",
        Caseless(
            r"el(?<!\wel)\b|el-|varme|energi|solcelle|vind|MW(?<!\wMW)\b|GWh(?<!\wGWh)\b|ve(?<!\wve)\b|vedvarende|fjernvarme|opvarmning|naturgas|olie|"
            r"elektrific|strøm|biogas|belysning|gadelys|elforbrug"
        ),
    ),
)

_ORGANISATION = Caseless(
    r"kommunale?\s+(?:bygninger|ejendomme|køretøjer|bilpark|bilflåde|flåde|institutioner|køkkener|drift|nybyggerier|"
    r"indkøb|fødevare\w*|arealer|bygningsmasse|biler|vognpark|skraldebiler)|kommunens\s+(?:egne?|bygninger|bilpark|"
    r"drift|køretøjer|andel|vognpark|indkøb|køkkener|kantiner|institutioner|skoler|biler|flåde|entreprenør\w*|maskiner|"
    r"nedrivning\w*|arealer|medarbejdere|ejendomme)|som\s+virksomhed|egne\s+bygninger|egen\s+drift|"
    r"den\s+kommunale\s+organisation|daginstitution\w*|skolernes|gadebelysning|gadelys|kommunens\s+\w+\s+køretøjer"
)
_UTILITY = Caseless(
    r"forsyningsselskab|forsynings-selskab|vandværk|fjernvarmeselskab|forsyningen(?<!\wforsyningen)\b|vandforsyning\w*|"
    r"fjernvarmeproduktion\w*|fjernvarmeværk\w*|renseanlæg\w*|ledningstab\w*|spildevand\w*|udpumpede"
)

#: Every :data:`_BASELINE_LABEL` match holds one of these words; a text without them is spared the search
#: (keep in step: a phrase added there needs its word here).
_BASELINE_WORDS = ("forhold", "sammenlignet")
_BASELINE_LABEL = Caseless(
    r"(?:i\s+forhold\s+til|sammenlignet\s+med|målt\s+i\s+forhold\s+til|set\s+i\s+forhold\s+til)\s+"
    r"(potentialet|basisåret|basisår|det\s+nuværende\s+niveau|nuværende\s+niveau|dagens\s+niveau|niveauet\s+i\s+dag|"
    r"udgangspunktet|referenceåret|i\s+dag)"
)


def _word_start(source: str, at: int) -> int:
    """Where the word (run of :data:`_WORD_CHARS`; ``\\w`` is ``isalnum`` or "_") holding ``at`` begins."""
    while at and (source[at - 1].isalnum() or source[at - 1] in "_-"):
        at -= 1
    return at


#: "andelen af elbiler": a head word before "af" belongs to the metric.
_OF_HEAD = Caseless(r"([\wæøå₂-]*(?:udledning\w*|udslip\w*|mængde\w*|andel\w*|forbrug\w*|antal\w*)\s+af\s+)$")
#: What :data:`_OF_HEAD` needs right before the head; a cheap test that spares most clauses the full one.
_OF_TAIL = Caseless(r"\saf\s+$")
_PRE_WORDS = r"(?:den|det|de|al|alle|vores|kommunens|samlede|kommunale|biologiske|lokale|gennemsnitlige?)"
_PRE_WORD_MAX = len("gennemsnitlige")
#: "den biologiske mangfoldighed", "de kommunale bygninger": articles and adjectives before the head.
_PRE = Caseless(r"((?:" + _PRE_WORDS + r"\s+){1,3})$")
_PRE_TAIL = Caseless(_PRE_WORDS + r"\s+$")
_OF_PHRASE = re.compile(r"\s*(?:af|ud\s+af)\s+(.{3,120})", re.S)


@lru_cache(maxsize=4096)
def metric(clause: str, low: str | None, anchor_start: int, anchor_end: int, link: str | None) -> str | None:
    """The text's own words for what the clause measures (a best effort, never raises); ``low`` is ``fold(clause)``.

    A pure function of its arguments, remembered: one clause recurs under other headings (a fifth
    of the plan's clauses, half the corpus's) and the search for heads costs a few microseconds.
    """
    if link == "af":
        m = _OF_PHRASE.match(clause, anchor_end)
        if m:
            phrase = _cut(m.group(1), None if low is None else low[m.start(1) : m.end(1)])
            if phrase:
                return phrase
    best: tuple[int, int] | None = None
    source = clause if low is None else low
    for m in _HEAD_AT_WORD_END.finditer(clause, low):
        at = _word_start(source, m.start())  # the whole word: "co₂-udledningen", not "udledningen"
        if at > anchor_start and source[at : m.end()].lower().startswith("procent"):
            continue
        dist = anchor_start - at if at < anchor_start else at - anchor_end
        if best is None or dist < best[0]:
            best = (dist, at)
    if best is None:
        return None
    start = _grow_left(clause, low, best[1])
    phrase = _cut(clause[start:], None if low is None else low[start:])
    return phrase or None


def _grow_left(clause: str, low: str | None, start: int) -> int:
    """Where the metric phrase begins: before "udledningen af" and a run of articles/adjectives.

    Both patterns end at ``start``; their tails ("af ", an article and a space) are
    tested first, from the last word on, so most clauses never run the full search.
    """
    if start == 0:
        return 0
    if _OF_TAIL.search(clause, low, 0, start):
        of = _OF_HEAD.search(clause, low, 0, start)
        if of:
            start = of.start(1)
    last_word_end = len(clause[:start].rstrip())
    if _PRE_TAIL.search(clause, low, max(0, last_word_end - _PRE_WORD_MAX), start):
        pre = _PRE.search(clause, low, 0, start)
        if pre:
            start = pre.start()
    return start


def _cut(rest: str, rest_low: str | None) -> str:
    stop = _METRIC_STOP.search(" " + rest, None if rest_low is None else " " + rest_low)
    phrase = rest[: max(0, stop.start() - 1)] if stop else rest
    phrase = phrase.strip(" -–")
    return phrase[:120]


#: An emission metric names no sector of its own; "udledningen fra transport" does.
_GENERAL = Caseless(r"^(?:udledning\w*|udslip\w*|CO[2₂]-?\w*|drivhusgas\w*)\b")
_FROM_PART = re.compile(r"\bfra\b|\bi\s+de\b")


def sector(text: str, low: str | None, metric_text: str | None, headings: tuple[str, ...] = ()) -> str:
    """One of the DK2020 sectors; general emission targets are cross-cutting. ``low`` is ``fold(text)``.

    The metric phrase decides first (organisation, energy supply, a general
    emission metric, a sector word), then the clause, then the headings above
    (a list under "Transport" is about transport); only "kommunens egen
    drift"-like wording at the start of the clause outranks the metric's sector.
    """
    org, energy, named = _metric_sector(metric_text) if metric_text else (False, False, None)
    if org or _ORGANISATION_SECTOR.search(text, low, 0, 80):
        return "organisation"
    if energy:
        return "energi"
    if named is not None:
        return named
    found = _first_sector(text, low)
    if found is not None:
        return found
    for heading in headings:
        if heading:
            found = _first_sector(heading, fold(heading))
            if found is not None:
                return found
    return "tværgående"


@lru_cache(maxsize=4096)
def _metric_sector(metric_text: str) -> tuple[bool, bool, str | None]:
    """What the metric phrase alone says: (organisation word, energy-supply head, sector or None).

    A pure function of a short phrase that recurs through a plan ("CO₂-udledningen",
    "andelen af elbiler"), hence remembered.
    """
    low = fold(metric_text)
    organisation = _ORGANISATION_SECTOR.search(metric_text, low) is not None
    stripped, stripped_low = metric_text.strip(), None if low is None else low.strip()
    energy = _ENERGY_HEAD.search(stripped, stripped_low) is not None
    if _GENERAL.search(stripped, stripped_low) and not _FROM_PART.search(metric_text):
        return organisation, energy, "tværgående"
    return organisation, energy, _first_sector(metric_text, low)


_SECTOR_IGNORECASE = tuple((name, pattern.ignorecase) for name, pattern in _SECTOR_RULES)
#: The lower-case twins, if every rule has one (else the rules run with IGNORECASE on the text).
_SECTOR_FOLDED = (
    tuple((name, pattern.folded) for name, pattern in _SECTOR_RULES)
    if all(pattern.folded is not None for _name, pattern in _SECTOR_RULES)
    else None
)


def _first_sector(source: str, low: str | None) -> str | None:
    """The first sector rule that matches (compiled patterns picked once: this runs up to 16 times a target)."""
    rules, subject = (
        (_SECTOR_IGNORECASE, source) if low is None or _SECTOR_FOLDED is None else (_SECTOR_FOLDED, low)
    )
    for name, pattern in rules:
        if pattern.search(subject):
            return name
    return None


def scope(text: str, low: str | None, inherited: str | None) -> str:
    """Scope from the heading above, else from the wording (organisation/utility), else the area."""
    if inherited:
        return inherited
    if _UTILITY.search(text, low):
        return "utility"
    if _ORGANISATION.search(text, low):
        return "organisation"
    return "area"


_SPACES = re.compile(r"\s+")


def may_name_baseline(low: str) -> bool:
    """Does lower-cased text hold a word every :data:`_BASELINE_LABEL` match holds? If not,
    :func:`baseline_label` finds nothing in it nor in any part of it."""
    return _BASELINE_WORDS[0] in low or _BASELINE_WORDS[1] in low


def baseline_label(text: str, low: str | None) -> str | None:
    """A baseline named by a word instead of a year ("i forhold til potentialet"); ``low`` is ``fold(text)``."""
    if low is not None and not may_name_baseline(low):
        return None  # most clauses: two substring tests instead of a search for four phrases
    m = _BASELINE_LABEL.search(text, low)
    return _SPACES.sub(" ", text[m.start(1) : m.end(1)].lower()) if m else None


def clear_caches() -> None:
    """Forget the remembered metric phrases (see ``pipeline.clear_unit_cache``)."""
    metric.cache_clear()
    _metric_sector.cache_clear()
