"""Second look at the quantities of a unit, before anchors are built from them.

The quantity component reads each number with what stands right after it.
Some meanings need a wider view, and the rules for them live here (data in
``patterns/refine.json``, each with an id that ends up in the target's rule ids):

* ranges ("65-70 %", "65–70 pct.") mean their lower end;
* a level change "fra A til B" ("stige fra 120 i 2022 til 800 i 2028",
  "øges fra ca. 90 GWh i dag til mindst 300 GWh i 2030"): B is the target
  level, A and the year attached to A are the current state;
* per-unit compounds ("2 tons CO2e pr. indbygger" -> ``tons/indbygger``,
  "80 liter pr. elev pr. dag" -> ``liter/elev/dag``, "90 kWh/m²");
* "X % under 1990-niveau" is a reduction, "X % over" an increase;
* shares written as "9 ud af 10", "tre ud af fire";
* a figure that says which things the subject means ("lastbiler over 3,5 tons skal …",
  "boliger på mere end 150 m² skal …") qualifies a noun: it is no level to reach.

Everything works on character offsets of the unit text and mutates the lists
handed in, so the rest of the assembly sees one consistent picture.
"""

from __future__ import annotations

import re

from extractors.caseless import Caseless
from extractors.components.types import YEARLIKE, Quantity, YearMention, load_json, yearlike
from extractors.numbers import NUMBER_WORD_RE, parse_digits, parse_number

_DIGITS = re.compile(r"[\d.,]+")


def _rules() -> dict:
    return load_json("refine.json")


_R = _rules()
_RANGE_BEFORE = re.compile(_R["range"]["regex"] + r"$", re.I)
#: A range ends in a dash or "til" right before the upper value: tested first, the range regex only then.
_RANGE_DASH = ("-", "–", "—")
_RANGE_TIL = re.compile("til", re.I)
_RANGE_TAIL_KNOWN = _R["range"]["regex"].endswith(r"\s*(?:-|–|—|til)\s*")
_FROM_BEFORE = re.compile(_R["from_to"]["before"] + r"$", re.I)
_FROM_BETWEEN = re.compile(_R["from_to"]["between"], re.I)


def _top_level_literals(source: str) -> list[str]:
    """The runs of plain characters every match of ``source`` holds (outside groups, repeats, branches)."""
    try:
        from re import _parser as sre_parse  # CPython 3.11+: the parser behind re.compile
    except ImportError:  # pragma: no cover - another Python: claim nothing
        return []
    runs, run = [], ""
    for op, av in sre_parse.parse(source):
        if op is sre_parse.LITERAL:
            run += chr(av)
        else:
            runs.append(run)
            run = ""
    return [r.lower() for r in [*runs, run] if r]


#: Every from-to pair holds "fra" (its ``before`` pattern) and "til" (its ``between``), read off the
#: rule data: a unit without them has no pair.
_FROM_TO_WORDS_KNOWN = any("fra" in r for r in _top_level_literals(_R["from_to"]["before"])) and any(
    "til" in r for r in _top_level_literals(_R["from_to"]["between"])
)
_PER = re.compile(_R["per_unit"]["regex"], re.I)
_PER_SKIP = frozenset(_R["per_unit"]["not_per"])
_PER_UNITS_EXCLUDED = frozenset(_R["per_unit"]["not_for_units"])
_PER_NORMAL = _R["per_unit"]["normalise"]
#: The relative-level rules as one pattern, one group per rule in rule order: matching it at a position
#: tries them in that order, as one match per rule would, in a single call. The rules capture nothing
#: themselves, so the number of the group that matched is the rule's place (1, 2, …).
if any(re.compile(entry["regex"]).groups for entry in _R["relative_level"]):
    raise ValueError("refine.json: a relative_level regex captures a group; use (?:…)")
_RELATIVE = Caseless("|".join(f"({entry['regex']})" for entry in _R["relative_level"]))
_RELATIVE_LINKS = [None, *(entry["link"] for entry in _R["relative_level"])]
#: How far after a figure a relative level is read.
_RELATIVE_REACH = 60
_QUALIFIER_BEFORE = re.compile(_R["noun_qualifier"]["before"], re.I)
_LEVEL_NOUN = re.compile(_R["noun_qualifier"]["level_nouns"], re.I)
_QUALIFIER_FINITE = re.compile(_R["noun_qualifier"]["finite"], re.I)
#: Compounds ending in a level noun ("klimamålet", "elbilsandelen") name a level too.
_LEVEL_SUFFIXES = tuple(_R["noun_qualifier"]["level_suffixes"])
#: How far before a figure its noun and comparison word are read.
_QUALIFIER_REACH = 50
_NUM_OR_WORD = r"(\d{1,6}|" + NUMBER_WORD_RE + r"|en|én|et|ét)"
_OUT_OF = re.compile(
    r"(?<![\w.,])" + _NUM_OR_WORD + _R["out_of"]["regex"] + _NUM_OR_WORD + r"(?![\wæøå])", re.I
)
#: What every "ud af" share holds; one fast scan (it starts at a space) before the full regex.
_UD_AF = re.compile(r"\sud\s+af\s", re.I) if _R["out_of"]["regex"].startswith(r"\s+ud\s+af\s+") else None
#: The same test on lower-cased text, written literal-first ("ud", then the space before it) so the
#: engine scans for "ud" instead of trying the pattern at every space.
_UD_AF_FOLDED = re.compile(r"ud(?<=\sud)\s+af\s")
#: A bound word right before a share: "mindst 9 ud af 10" (``most``: an upper bound).
_OUT_OF_BOUND = re.compile(
    r"(?:mindst|minimum|over|mere\s+end)\s*$|(?P<most>maksimalt|højst|under|mindre\s+end)\s*$", re.I
)


def refine(text: str, quantities: list[Quantity], years: list[YearMention], low: str | None = None) -> None:
    """Apply the rules of this module to the quantities (and years) of one unit, in place.

    ``low`` is ``caseless.fold(text)`` if the caller has it: then rules whose
    required words are absent from it are skipped (None: every rule runs).
    """
    if not quantities:
        return
    _out_of(text, quantities, low)
    _ranges(text, quantities, low)
    _from_to(text, quantities, years, low)
    _noun_qualifiers(text, quantities, low)
    for q in quantities:
        if q.unit is not None and q.kind in ("number", "word"):
            _per_unit(text, q)
        if q.kind in ("number", "word", "fraction") and q.link not in ("less", "more"):
            _relative_level(text, q, low)


def _is_year(text: str, q: Quantity) -> bool:
    return q.kind == "bare" and yearlike(text, q)


def _ranges(text: str, quantities: list[Quantity], low: str | None = None) -> None:
    """ "65-70 %": the value is the lower end; the bare "65" is not a quantity of its own."""
    if _RANGE_TAIL_KNOWN and low is not None and "til" not in low and not _has_dash(text):
        return  # no range ends anywhere (see _dash_or_til_before)
    for q in list(quantities):
        if q.kind not in ("number", "word") or q.unit is None:
            continue
        if _RANGE_TAIL_KNOWN and not _dash_or_til_before(text, q.start):
            continue
        m = _RANGE_BEFORE.search(text, max(0, q.start - 20), q.start)
        if not m:
            continue
        # "udledningen for 2023 til 241.000 ton": before "til", a year is a year, then what it came to
        by_til = not m.group(0).rstrip().endswith(_RANGE_DASH)
        if by_til and YEARLIKE.fullmatch(text, m.start("low"), m.end("low")):
            continue
        lower_end = parse_digits(m.group("low"))
        digits = _DIGITS.match(text, q.start, q.end)  # none for a number word ("femogtyve procent")
        upper = parse_digits(digits.group(0).rstrip(".,") or "0") if digits else None
        if lower_end is None or not upper or lower_end >= upper:
            continue
        q.value = round(q.value * lower_end / upper, 6)
        q.start = m.start("low")
        q.rule_id = f"{q.rule_id}+{_R['range']['id']}"
        quantities[:] = [o for o in quantities if o is q or not (q.start <= o.start < q.end)]


def _has_dash(text: str) -> bool:
    return "-" in text or "–" in text or "—" in text


def _dash_or_til_before(text: str, pos: int) -> bool:
    """The 20 characters before ``pos`` end in a dash or "til" (then only spaces)."""
    before = text[max(0, pos - 20) : pos].rstrip()
    return before.endswith(_RANGE_DASH) or _RANGE_TIL.fullmatch(before, max(0, len(before) - 3)) is not None


def _from_to(text: str, quantities: list[Quantity], years: list[YearMention], low: str | None = None) -> None:
    """ "fra A (i 2022 | i dag) til B": B is reached; A and A's year describe today."""
    if len(quantities) < 2:
        return  # no pair
    if _FROM_TO_WORDS_KNOWN and low is not None and ("fra" not in low or "til" not in low):
        return  # _FROM_BEFORE needs "fra", _FROM_BETWEEN "til"
    values = [q for q in quantities if not _is_year(text, q)]
    for a, b in zip(values, values[1:], strict=False):
        if a.role == "from" or not _FROM_BEFORE.search(text, max(0, a.start - 40), a.start):
            continue
        between = text[a.end : b.start]
        if not _FROM_BETWEEN.fullmatch(between):
            continue
        a.role = "from"
        if b.unit is None and a.unit is not None:
            b.unit, b.kind = a.unit, "number"
        a.unit = a.unit or b.unit
        b.direction = "reach"
        b.link = "til"
        b.rule_id = f"{b.rule_id}+{_R['from_to']['id']}"
        for i, y in enumerate(years):
            if a.end <= y.start < b.start:
                years[i] = YearMention(
                    y.start, y.end, y.year, "current", y.expr_start, y.expr_end, _R["from_to"]["id"]
                )


def _noun_qualifiers(text: str, quantities: list[Quantity], low: str | None = None) -> None:
    """ "Alle lastbiler over 3,5 tons skal være fossilfri": a figure after a noun and "over", "under",
    "mere/mindre end" in the subject (no finite verb before it in its clause, one after) or after a
    preposition ("… på ture under 5 km") says which things are meant. It keeps its place in the text
    but is no value (role ``qualifier``).
    A level noun before it ("andelen på over 50 % skal …", "målet om under 2 tons") makes it the level.
    """
    if low is not None and " over " not in low and " under " not in low and " end " not in low:
        return
    for q in quantities:
        if q.role != "value" or _is_year(text, q):
            continue
        m = _QUALIFIER_BEFORE.search(text, max(0, q.start - _QUALIFIER_REACH), q.start)
        noun = m.group("noun") if m else ""
        if not m or _LEVEL_NOUN.fullmatch(noun.rsplit("-", 1)[-1]) or noun.lower().endswith(_LEVEL_SUFFIXES):
            continue
        opening = max(text.rfind(c, 0, m.start()) for c in ":;|")
        closing = min((i for i in (text.find(c, q.end) for c in ":;|") if i >= 0), default=len(text))
        in_subject = not _QUALIFIER_FINITE.search(text, opening + 1, m.start()) and _QUALIFIER_FINITE.search(
            text, q.end, closing
        )
        # "… på ture under 5 km": a noun governed by a preposition is no level, wherever it stands
        if not in_subject and m.group("prep") is None:
            continue
        q.role = "qualifier"
        q.rule_id = f"{q.rule_id}+{_R['noun_qualifier']['id']}"


def _per_unit(text: str, q: Quantity) -> None:
    """ "2 tons CO2e pr. indbygger" -> tons/indbygger; "liter pr. elev pr. dag" -> liter/elev/dag."""
    if q.unit in _PER_UNITS_EXCLUDED or "/" in (q.unit or ""):
        return
    pos = q.end
    nouns: list[str] = []
    while True:
        m = _PER.match(text, pos)
        if not m:
            break
        noun = m.group("noun").lower()
        if noun in _PER_SKIP:
            break
        nouns.append(_PER_NORMAL.get(noun, noun))
        pos = m.end()
    if nouns:
        q.unit = "/".join([q.unit or "", *nouns])
        q.end = pos
        q.rule_id = f"{q.rule_id}+{_R['per_unit']['id']}"


def _relative_level(text: str, q: Quantity, low: str | None = None) -> None:
    """ "80 % under 1990-niveau" is a reduction; "20 % over niveauet i 2019" an increase.

    The rules hold no anchors or lookarounds, so matching at ``q.end`` with the reach as ``endpos``
    reads what matching the 60 characters cut out after the figure would, without the copy.
    """
    m = _RELATIVE.match(text, low, q.end, q.end + _RELATIVE_REACH)
    if m:
        q.link = _RELATIVE_LINKS[m.lastindex]


def _out_of(text: str, quantities: list[Quantity], low: str | None = None) -> None:
    """ "9 ud af 10 husstande", "tre ud af fire ture": a share in percent."""
    if " af " not in text:
        return
    if _UD_AF is not None and not (_UD_AF.search(text) if low is None else _UD_AF_FOLDED.search(low)):
        return
    for m in _OUT_OF.finditer(text):
        a, b = (
            parse_number(m.group(1)) if m.group(1).lower() not in ("en", "én", "et", "ét") else 1.0,
            parse_number(m.group(2)),
        )
        if a is None or not b or a >= b or b > 1000:
            continue
        s, e = m.start(), m.end()
        quantities[:] = [o for o in quantities if o.end <= s or o.start >= e]
        q = Quantity(s, e, round(100.0 * a / b, 2), "%", "fraction", _R["out_of"]["id"])
        q.link = "af"
        bound = _OUT_OF_BOUND.search(text[max(0, s - 20) : s])
        if bound:
            q.bound = "at_most" if bound.group("most") else "at_least"
        quantities.append(q)
    quantities.sort(key=lambda q: q.start)


def may_add_share(text: str) -> bool:
    """Could :func:`refine` add a quantity to ``text``'s? Only :func:`_out_of` adds any ("tre ud af fire"),
    and it needs what it tests first; False lets the extractor skip a unit without other anchors."""
    return " af " in text and (_UD_AF is None or _UD_AF.search(text) is not None)
