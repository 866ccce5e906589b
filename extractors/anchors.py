"""Anchors and clauses: what makes part of a sentence a candidate target, and where it ends.

An anchor is a quantity ("25 %", "halvere", "10 Miyawaki-skove"), an end state
("CO₂-neutral", "fossilfri", "ikke længere … olie"), an implicit share of all
("alle lokale busser på el") or a direction verb that may carry a deadline
("Vi øger … inden 2015"). Two anchors separated by a coordination ("og",
"samt", " – ", ";", a table bar) are two targets, each in its own clause; two
anchors without one are one target described twice ("100 % fossilfri").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.caseless import Caseless
from extractors.components.types import Cue, Quantity, YearMention, yearlike
from extractors.refine import may_add_share, refine
from extractors.segment import Cell

DEADLINE_ROLES = ("in", "by", "period_end")

#: Coordinations that separate two targets in one sentence, strongest first.
BOUNDARIES = (
    re.compile(r"\s*\|\s*"),
    re.compile(r";\s*"),
    re.compile(r"\s+[–—-]\s+"),
    re.compile(r",\s*(?:samt|mens|men|og)\s+"),
    re.compile(r"(?<!-)\s+(?:samt|og|mens)\s+"),
    re.compile(r",\s+"),
)
#: A direction verb and its deadline stand in one clause; a bare comma in an enumeration does not part them.
STRONG_CROSSING = re.compile(r";|\s[–—-]\s|,\s*(?:og|men|mens|samt|så|der|som|hvor|hvilket)\s|,\s+[A-ZÆØÅ]")
#: Crossing one of these between a year and an anchor makes the year a worse fit.
CROSSING = re.compile(r",\s|\s[–—-]\s|;|\|\s*|(?<!-)\s(?:og|samt|men|mens)\s")
#: A generic counted thing: "600 ejendomme", "150 små og mellemstore virksomheder".
_GENERIC_COUNT = re.compile(
    r"^\s+(?:(?:nye|flere|ekstra|små|store|mellemstore|og|almene|private|kommunale|offentlige|yderligere|"
    r"lokale|grønne|energirenoverede|af|de|vores|kommunens)\s+){0,4}([a-zæøå][\wæøå-]*(?:e|er|r))(?![\wæøå])",
    re.I,
)
_NOT_COUNTED = frozenset(
    [
        "år",
        "måneder",
        "dage",
        "uger",
        "timer",
        "gange",
        "procent",
        "procentpoint",
        "kommuner",
        "byer",
        "medlemmer",
        "borgmestre",
        "indbyggere",
        "mennesker",
        "personer",
        "partnere",
        "kroner",
        "lande",
        "regioner",
        "medarbejdere",
        "sider",
        "sektorer",
        "temaer",
        "ben",
        "kapitler",
        "afsnit",
        "dele",
        "områder",
        "grader",
        "meter",
    ]
)


@dataclass(slots=True)
class Anchor:
    """What makes a clause a candidate target."""

    start: int
    end: int
    kind: str  # qty | end | share | dir | count
    rule_id: str
    quantity: Quantity | None = None
    direction: str | None = None
    #: What the anchor rules noticed but leave to the scorer ("referenced": "de 2 %"; "oriented":
    #: "frem mod … netto-nul"; "plan_of": "en plan for klimaneutralitet").
    flags: tuple[str, ...] = ()


@dataclass(slots=True)
class Clause:
    start: int
    end: int
    anchor: Anchor
    years: list[YearMention] = field(default_factory=list)
    #: Does the clause hold a finite verb of its own (:data:`FINITE`)? One without takes its verb, a
    #: shared year or a closing baseline from the clauses around it ("55 % i 2025, 60 % i 2030").
    own_verb: bool = True


#: The finite verbs (and "være") that give a clause a predicate of its own.
FINITE = re.compile(r"\b(?:skal|vil|er|bliver|må|kan|har|være)\b", re.I)


def crossing(text: str) -> bool:
    return CROSSING.search(text) is not None


_END_LABELS = frozenset({"END_NEUTRAL", "END_PHASE_OUT", "PHASE_VERB"})
_DIR_LABELS = frozenset({"DIR_REDUCE", "DIR_INCREASE"})


def find_anchors(
    text: str,
    cues: list[Cue],
    quantities: list[Quantity],
    years: list[YearMention],
    cells: list[Cell],
    unit_hint: str | None,
    labels: set[str],
    low: str | None = None,
) -> list[Anchor]:
    """Every anchor in a unit, merged where two describe one target; ``labels`` are those of ``cues``,
    ``low`` is ``fold(text)`` (lets refine skip rules whose words are absent)."""
    refine(text, quantities, years, low)
    anchors: list[Anchor] = []
    target_cols = [c for c in cells if c[3] == "target"]
    for q in quantities:
        if q.kind == "bare" and yearlike(text, q):
            continue  # "senest i 2050": a year, whatever the wording around it (see _bare_unit and below)
        if q.role in ("from", "qualifier"):
            continue
        flags = ("referenced",) if _reference(text, low, q) else ()
        if _RELATIVE_BEFORE.search(text, max(0, q.start - 60), q.start):
            flags += ("in_relative_clause",)
        cell = next((c for c in cells if c[0] <= q.start < c[1]), None) if cells else None
        if cell is not None and (cell[3] == "stat" or target_cols and cell[3] != "target"):
            continue  # a figure in a column of statistics, or beside the goal columns of its table
        if q.kind == "bare":
            unit = _bare_unit(text, q)
            if unit is None and cell is not None and cell[3] == "target" and not yearlike(text, q):
                unit = unit_hint or "?"
            if unit is None:
                count = _GENERIC_COUNT.match(text[q.end : q.end + 80])
                if count and count.group(1).lower() not in _NOT_COUNTED and not yearlike(text, q):
                    anchors.append(
                        Anchor(q.start, q.end + count.end(), "count", "qty.count.generic", q, None, flags)
                    )
                    q.unit = "count"
                continue
            q.unit = None if unit == "?" else unit
        anchors.append(Anchor(q.start, q.end, "qty", q.rule_id, q, q.direction, flags))
    # most units lack most cue labels: test the label set before walking the cues for each kind
    if not labels.isdisjoint(_END_LABELS):
        _end_states(text, cues, years, "FOSSIL" in labels, anchors)
    if "STATE" in labels:
        _all_states(text, cues, anchors)
    if not labels.isdisjoint(_DIR_LABELS):
        for c in cues:
            if c.label in _DIR_LABELS:
                direction = "reduce" if c.label == "DIR_REDUCE" else "increase"
                anchors.append(Anchor(c.start, c.end, "dir", c.rule_id, None, direction))
    if len(anchors) > 1:
        anchors.sort(key=_anchor_order)
    if anchors:
        anchors = _goal_in_parentheses(text, anchors)
    if cells:
        anchors = _row_label_states(anchors, cells)
    merged = _merge(text, anchors, [c for c in cues if c.label == "GOAL"]) if len(anchors) > 1 else anchors
    # a direction verb steers the quantity it governs; alone, with no amount or end state, it states
    # a qualitative goal ("flere skal cykle"), which is no target: it anchors no candidate of its own
    return [a for a in merged if a.kind != "dir"]


def _anchor_order(a: Anchor) -> tuple[int, bool]:
    return a.start, a.kind == "dir"


#: "være nul", "ned på nul": an end state when emissions are named before it in the sentence (a token
#: pattern with the words between would be read at every word of every unit: too slow).
_ZERO_LEVEL = "cue.neutral.zero_level"
_EMISSIONS_BEFORE = re.compile(r"(?:udledning|emission)[\wæøå]*[^.;]*$", re.I)


def _end_states(
    text: str, cues: list[Cue], years: list[YearMention], fossil: bool, anchors: list[Anchor]
) -> None:
    """End states ("CO₂-neutral", "fossilfri", a phase-out verb where fossil fuels are named) as anchors."""
    plans = [p for p in cues if p.label == "PLAN_OF"]
    for c in cues:
        if c.rule_id == _ZERO_LEVEL and not _EMISSIONS_BEFORE.search(text, max(0, c.start - 100), c.start):
            continue  # "skal være nul" is neutrality only of emissions ("antallet af trafikdræbte …")
        if c.label in ("END_NEUTRAL", "END_PHASE_OUT") or (c.label == "PHASE_VERB" and fossil):
            direction = "neutral" if c.label == "END_NEUTRAL" else "phase_out"
            overlap = next(
                (
                    i
                    for i, a in enumerate(anchors)
                    if a.kind == "end" and (a.start <= c.start < a.end or c.start <= a.start < c.end)
                ),
                None,
            )
            if overlap is not None:
                a = anchors[overlap]
                # the longer reading of one phrase ("fri for kul og gas" over "fri for kul")
                if a.start == c.start and c.end > a.end:
                    anchors[overlap] = Anchor(a.start, c.end, "end", c.rule_id, None, a.direction, a.flags)
                continue
            flags = ("oriented",) if _oriented(text, c, years, cues) else ()
            if any(0 <= c.start - p.end <= 20 for p in plans):
                flags += ("plan_of",)
            anchors.append(Anchor(c.start, c.end, "end", c.rule_id, None, direction, flags))


#: What parts "alle …" from a state after it: another clause, not a coordination or a relative clause
#: inside the subject ("alle kommunens personbiler og små varebiler", "alle nye biler, som kommunen
#: leaser, skal være elbiler").
_CLAUSES_APART = re.compile(r";|\s[–—-]\s|,\s*(?:og|men|mens|samt|så|hvor|når|hvis|fordi|da|idet)\s|\.\s")
#: "halvdelen af alle nye biler": "alle" after "af" names the whole a share is taken of.
_PART_OF = re.compile(r"\baf\s+$", re.I)


#: The "all" words that mean "only" ("kun el", "udelukkende fjernvarme"): before a state they make it the
#: whole; after it they restrict a verb.
ONLY = "cue.all.only"
#: "Kommunens personbiler skal være elbiler": a plural subject (a noun in the plural, no "der"/"det")
#: whose predicate is the state, "være/blive" right before it, says every one of them.
_PLURAL_SUBJECT_IS = re.compile(
    r"^\W*(?:[\wæøå-]+\s+){0,3}?(?!(?:der|her|hver|under|over|efter|mellem|andre|flere|mere)\b)"
    r"[\wæøå-]{2,}(?:er|erne|ene)\s+(?:[^,;:]{0,40}?\s)?"
    r"(?:skal|skulle|vil|må|bør)\s+(?:\w+\s+)?(?:være|blive)\s+$",
    re.I,
)


def _all_states(text: str, cues: list[Cue], anchors: list[Anchor]) -> None:
    """ "alle lokale busser på el": a state tied to "all" is an implicit 100 % share; so is the state a
    plural subject is to be ("Varebiler under 3.500 kg skal være eldrevne")."""
    alls = [c for c in cues if c.label == "ALL"]
    for c in cues:
        if c.label != "STATE":
            continue
        qualified = (
            c.rule_id == "cue.state.el"
            or bool(_PLURAL_SUBJECT_IS.match(text, 0, c.start))
            or any(
                (
                    0 <= c.start - x.end <= 80
                    and not _CLAUSES_APART.search(text, x.end, c.start)
                    and not _PART_OF.search(text, max(0, x.start - 4), x.start)
                )
                # "kun/alene" after the state restricts the verb ("Solcelleanlæg … må kun etableres i …")
                or (x.rule_id != ONLY and 0 <= x.start - c.end <= 40 and not crossing(text[c.end : x.start]))
                for x in alls
            )
        )
        if qualified and not any(a.start <= c.start < a.end + 3 for a in anchors):
            q = Quantity(c.start, c.end, 100.0, "%", "share", "qty.share.all")
            anchors.append(Anchor(c.start, c.end, "share", c.rule_id, q, "reach"))


#: "Andel elbiler: 38 % (mål 2025: 50 %)": a status figure followed by its goal in parentheses.
_GOAL_PAREN = re.compile(
    r"\(\s*(?:[\wæøå-]*mål(?:et|sætning(?:en)?)?|ambition(?:en)?|måltal)\b[^():]{0,30}:?[^()]*\)", re.I
)


def _goal_in_parentheses(text: str, anchors: list[Anchor]) -> list[Anchor]:
    """Where a goal stands in parentheses after a figure, the figure before it is status, not a target."""
    parens = [m.span() for m in _GOAL_PAREN.finditer(text)] if "(" in text else []
    if not parens:
        return anchors
    first = parens[0][0]
    return [
        a
        for a in anchors
        if any(s <= a.start < e for s, e in parens)
        or a.start > first
        or a.kind not in ("qty", "count", "share")
    ]


def _row_label_states(anchors: list[Anchor], cells: list[Cell]) -> list[Anchor]:
    """In a table row, an end state named in the label cell describes the row's value, not a second target."""
    first = cells[0]
    values = [a for a in anchors if a.kind == "qty" and not first[0] <= a.start < first[1]]
    if not values:
        return anchors
    return [a for a in anchors if not (a.kind == "end" and first[0] <= a.start < first[1])]


#: A figure in a relative clause describes which things are meant ("bygninger, der har et varmebehov over
#: 290 kW", "virksomheder som bruger mere end 10 GWh"), not a level to reach.
_RELATIVE_BEFORE = re.compile(
    r"\b(?:der|som)\s+(?:har|havde|bruger|udleder|ligger|er\s+på|er\s+over|er\s+under|producerer|forbruger)\b[^,.;:]*$",
    re.I,
)
_REFERENCE = Caseless(r"(?:^|\s)(?:de|disse|kun|blot|knap|godt)\s+$")
_BARE_BEFORE = re.compile(
    r"(?:på|til|fra|med|er|være|blive|bliver|udgøre|udgør|nå|når)\s*(?:mindst|minimum|maksimalt|højst|over|under|ca\.|cirka|yderligere)?\s*$",
    re.I,
)
_BARE_AFTER = re.compile(
    r"\s*(?:[.,;)]|$|i\s|senest|inden|frem|om\s|årligt|hvert|før|til\s|og\s|ved\s+udgangen)"
)
_SHARE_WORD = re.compile(r"procent|andel")


def _reference(text: str, low: str | None, q: Quantity) -> bool:
    """A figure referred to as known ("de 2 %", "kun 2 %") is a statistic, not a value to reach.

    ``low`` is ``fold(text)``: the eight characters before the figure are read from it when there.
    """
    lo = max(0, q.start - 8)
    if low is None or _REFERENCE.folded is None:  # (on the slice: the pattern's "^" means its start)
        return _REFERENCE.ignorecase.search(text[lo : q.start]) is not None
    return _REFERENCE.folded.search(low[lo : q.start]) is not None


def _bare_unit(text: str, q: Quantity) -> str | None:
    """A bare number counts only where the wording names its unit ("økologiprocent fastholdes på 75")."""
    if yearlike(text, q):
        return None
    if not _BARE_BEFORE.search(text[max(0, q.start - 40) : q.start]):
        return None
    if not _BARE_AFTER.match(text[q.end : q.end + 25]):
        return None
    head = text[: q.start].lower()
    if _SHARE_WORD.search(head):
        return "%"
    if "antal" in head:
        return "count"
    return None


def _oriented(text: str, c: Cue, years: list[YearMention], cues: list[Cue]) -> bool:
    """ "frem mod et samfund med netto-nul" / "hen mod fremtidens fossilfrie kommune": orientation, not a target."""
    near = [o for o in cues if o.label == "ORIENT" and c.start - 45 <= o.start < c.start]
    if not near:
        return False
    after = [
        y
        for y in years
        if y.start >= c.end and y.role in DEADLINE_ROLES and not crossing(text[c.end : y.start])
    ]
    return not after


#: What keeps two anchors apart in :func:`_merge` although no coordination separates them.
_PUNCT_OR_YEAR = re.compile(r"[,;–]|(?:19|20)\d\d")
_YEAR_OR_FINITE = re.compile(r"(?:19|20)\d\d|\b(?:skal|vil|er|være)\b")
_PUNCT_YEAR_OR_MODAL = re.compile(r"[,;–]|(?:19|20)\d\d|\b(?:skal|vil)\b")
#: What follows a goal noun (a GOAL cue) when the goal's content comes next: "målet om …".
_OM_AFTER = re.compile(r"\s+om\b", re.I)
#: "alle kommunens 120 biler", "samtlige 14 skoler": a count of all there are, which a state then
#: applies to (matched on the text before the count).
_ALL_OF_COUNT = re.compile(r"\b(?:alle|samtlige)\s+(?:[\wæøå]+\s+){0,2}$", re.I)


def _merge(text: str, anchors: list[Anchor], goals: list[Cue]) -> list[Anchor]:
    """Anchors that belong to one target (no coordination between them) become one. ``goals`` are the
    GOAL cues: a goal noun with its "om" after an amount opens the goal's content ("42 % af vejen mod
    målet om klimaneutralitet i 2045", "38 % af vejen mod målet om 70 % reduktion"), so the amount
    is not part of that goal."""
    merged: list[Anchor] = []
    for a in anchors:
        if merged:
            prev = merged[-1]
            between = text[prev.end : a.start]
            separate = boundary(between) is not None
            governed = a.quantity is not None and a.quantity.link in ("med", "til", "less", "more")
            if (
                prev.kind == "dir"
                and a.kind in ("qty", "count")
                and governed
                and not _PUNCT_OR_YEAR.search(between)
            ):
                separate = False
            if prev.kind == "end" and a.kind == "end" and not _YEAR_OR_FINITE.search(between):
                separate = False
            hundred = (
                prev.kind == "qty"
                and a.kind == "end"
                and prev.quantity is not None
                and prev.quantity.value == 100.0
                and prev.quantity.link == "af"
            )
            # "100 % af personbilerne og varebilerne … nulemissionskøretøjer" is one target
            if hundred and not _PUNCT_YEAR_OR_MODAL.search(between):
                separate = False
            if (
                a.kind in ("end", "qty", "count")
                and prev.kind in ("qty", "count")
                and any(
                    prev.end <= g.start and g.end < a.start and _OM_AFTER.match(text, g.end) for g in goals
                )
            ):
                separate = True
            if not separate or a.start < prev.end:
                merged[-1] = _all_of_count(text, prev, a) or _prefer(prev, a)
                continue
        merged.append(a)
    return merged


def _all_of_count(text: str, a: Anchor, b: Anchor) -> Anchor | None:
    """ "Alle kommunens 120 biler skal være elbiler": a state of all of a counted whole is a 100 % share
    (the annotation guide's "alle kommunens biler"), not the count; None when that is not the pair."""
    count, share = (a, b) if b.kind == "share" else (b, a)
    counted = count.kind == "count" or (count.quantity is not None and count.quantity.unit == "count")
    if share.kind != "share" or not counted or share.start < count.end:
        return None
    if _ALL_OF_COUNT.search(text, max(0, count.start - 40), count.start) is None:
        return None
    return Anchor(
        count.start, share.end, "share", share.rule_id, share.quantity, share.direction, share.flags
    )


def _prefer(a: Anchor, b: Anchor) -> Anchor:
    for verb_end, other in ((a, b), (b, a)):
        if verb_end.rule_id == "cue.phase_out.stop_verb" and other.kind in ("qty", "count"):
            return other
    for weak in ("dir", "share", "count"):
        if a.kind == weak and b.kind != weak:
            return b
        if b.kind == weak and a.kind != weak:
            return a
    if {a.kind, b.kind} == {"end", "qty"}:
        end, qty = (a, b) if a.kind == "end" else (b, a)
        if qty.quantity and qty.quantity.value == 100.0 and qty.quantity.unit == "%":
            # "100 % emissionsfri", "100 pct. fossilfrie drivmidler": the explicit value wins, one target
            return Anchor(min(a.start, b.start), max(a.end, b.end), "qty", qty.rule_id, qty.quantity, "reach")
        if qty.quantity and qty.quantity.link in ("med", "less", "more"):
            return qty
        if qty.quantity and qty.quantity.unit == "%" and qty.quantity.link in ("copula", "til"):
            # "Andelen af maskintimer med fossilfri drivmidler skal være mindst 50 %": the share of what
            # the end state describes
            return qty
        return end if end.start < qty.start else qty
    if a.kind == "qty" and b.kind == "qty":
        return a if a.quantity and a.quantity.unit else b
    return a


def _may_coordinate(between: str) -> bool:
    """Does ``between`` hold a mark or word that every :data:`BOUNDARIES` match holds (they are case-sensitive)?

    Keep in step with :data:`BOUNDARIES`: a coordination added there needs its mark or word here.
    """
    return (
        "," in between
        or "og" in between
        or "|" in between
        or ";" in between
        or "-" in between
        or "–" in between
        or "—" in between
        or "samt" in between
        or "mens" in between
    )


def boundary(between: str) -> re.Match[str] | None:
    """The last match of the strongest coordination in ``between``; most gaps hold none of the weaker ones.

    A gap without a coordinating mark or word (" med ", "reduceret med") is answered
    by substring tests instead of six searches.
    """
    if not _may_coordinate(between):
        return None
    for pattern in BOUNDARIES:
        last = None
        for last in pattern.finditer(between):  # noqa: B007  (the loop keeps the last match)
            pass
        if last is not None:
            return last
    return None


#: What restates an amount in other terms after it (", svarende til 20 % af …"): the clause that
#: states the target ends before it, and so do the words its evidence is read from.
_RESTATING_TAIL = re.compile(r",\s*(?:svarende|hvilket\s+svarer|som\s+svarer|det\s+svarer)\s+til\b", re.I)


def _before_tail(text: str, anchor: Anchor, end: int) -> int:
    """``end``, or where a restating tail after ``anchor`` starts if one does before ``end``."""
    if "svare" not in text:
        return end
    m = _RESTATING_TAIL.search(text, anchor.end, end)
    return m.start() if m else end


def split_clauses(text: str, anchors: list[Anchor], years: list[YearMention]) -> list[Clause]:
    """One clause per anchor, cut at the strongest coordination between neighbours and before a
    restating tail (:data:`_RESTATING_TAIL`).

    A lone clause is the rest of the unit; whether it has a verb matters only beside other clauses."""
    if len(anchors) == 1:
        end = _before_tail(text, anchors[0], len(text))
        return [Clause(0, end, anchors[0], [y for y in years if 0 <= y.start < end])]
    cuts = [0]
    for a, b in zip(anchors, anchors[1:], strict=False):
        m = boundary(text[a.end : b.start])
        cuts.append(a.end + (m.start() if m else 0))
        cuts.append(a.end + (m.end() if m else 0))
    cuts.append(len(text))
    clauses = []
    for i, a in enumerate(anchors):
        s, e = cuts[2 * i], _before_tail(text, a, cuts[2 * i + 1])
        verb = FINITE.search(text, s, e) is not None
        clauses.append(Clause(s, e, a, [y for y in years if s <= y.start < e], verb))
    return clauses


def gap(text: str, a: Anchor, y: YearMention) -> str:
    return text[y.expr_end : a.start] if y.expr_end <= a.start else text[a.end : y.expr_start]


def attach_year(text: str, clause: Clause) -> YearMention | None:
    """The deadline nearest the anchor, preferring one not across a coordination."""
    deadlines = [y for y in clause.years if y.role in DEADLINE_ROLES]
    if len(deadlines) < 2:
        return deadlines[0] if deadlines else None  # nothing to weigh
    by = [y.year for y in deadlines if y.role == "by"]
    if by:
        # "I 2014 satte byrådet et mål om at halvere … inden 2025": an earlier "in" year is when, not by when
        deadlines = [y for y in deadlines if y.role != "in" or y.year >= min(by)] or deadlines
    best: tuple[float, YearMention] | None = None
    for y in deadlines:
        between = gap(text, clause.anchor, y)
        dist = len(between) + (1000 if crossing(between) else 0)
        if best is None or dist < best[0]:
            best = (dist, y)
    return best[1] if best else None


#: Cue labels whose anchors :func:`find_anchors` keeps without a quantity (end states, "all" states). A
#: direction verb's anchor is merged into a quantity's or dropped at the end of :func:`find_anchors`, so
#: in a unit without a figure it anchors nothing: it is no anchor label.
ANCHOR_LABELS = _END_LABELS | {"STATE"}


def may_anchor(text: str, quantities: list[Quantity], labels: set[str]) -> bool:
    """Could :func:`find_anchors` find any anchor in the unit? False lets the extractor skip it.

    Every anchor that :func:`find_anchors` returns comes from a quantity that is not a bare
    year (refine adds only "ud af" shares, see :func:`refine.may_add_share`), or from an
    end-state or state cue (a direction verb's anchor survives only merged into a quantity's).
    Keep in step with :func:`find_anchors`.
    """
    if not labels.isdisjoint(ANCHOR_LABELS):
        return True
    if any(not (q.kind == "bare" and yearlike(text, q)) for q in quantities):
        return True
    return bool(quantities) and may_add_share(text)
