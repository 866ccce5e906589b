"""Component ``klimamaal_targets_v1``: turn cues, quantities and years into targets.

Steps, each a small rule a reviewer can follow in the rule ids of a target:

1. anchors: a quantity, an end state (neutral / phase-out), an implicit
   "all" share ("alle lokale busser på el"), or, when nothing else, a
   direction verb tied to a deadline ("Vi øger … inden 2015");
2. clauses: two anchors in one sentence become two targets when a
   coordination separates them ("… 70 procent og i 2050 vil vi være
   C02-neutrale"); year and baseline stated once are shared;
3. fields: value/unit/bound from the quantity, direction from the quantity's
   own link ("30 % reduktion", "med 25 %", "25 % af") or the nearest verb, the
   year nearest the anchor without crossing a coordination, the baseline;
4. decision: a commitment (skal, vil, målet er, forpligter sig, a target list
   such as "Delmål:", a deadline with "senest/inden", an end state tied to a
   year) and no sign of a statistic, history, projection, tip or another
   body's goal.

The unit handed in is one sentence, list item or table row; the headings
above it arrive as ``doc.user_data["kl_context"]`` (see ``extractors.segment``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from operator import attrgetter

from spacy.language import Language
from spacy.tokens import Doc

from extractors import fields
from extractors.anchors import FINITE, Anchor, Clause, attach_year, find_anchors, split_clauses
from extractors.caseless import Caseless, fold
from extractors.components.evidence import find_evidence, heading_evidence
from extractors.components.types import Cue, Quantity, YearMention, doc_text, get_ext, set_ext
from extractors.evidence import (
    ADOPTS,
    PRESENT_YEAR,
    CandidateInputs,
    Evidence,
    context_evidence,
    features,
    heading_labels,
    live_cues,
    opens_with_year,
    subject_of,
    unit_evidence,
    within,
)
from extractors.scorer import Model, load_model
from extractors.segment import Cell, Context

STRENGTH_OF = {"BINDING": "binding", "INTENT": "intent", "ASPIRATION": "aspiration", "GOAL_OWN": "intent"}
_STRENGTH_LABELS = frozenset(STRENGTH_OF)
DIRECTION_OF = {"DIR_REDUCE": "reduce", "DIR_INCREASE": "increase", "DIR_MAINTAIN": "maintain"}
#: Label sets of the direction rules, built once rather than per target.
_DIRECTIONS = frozenset(DIRECTION_OF)
_MAINTAIN = frozenset({"DIR_MAINTAIN"})
_CHANGE = frozenset({"DIR_REDUCE", "DIR_INCREASE"})
_BINDING_OR_INTENT = frozenset({"BINDING", "INTENT"})
#: "delmål", "delmålet", "delmålene" as a word; only presence counts, so an optional "som " before it
#: adds nothing, and ``delmål(?<!\wdelmål)`` is ``\bdelmål`` written literal-first (a fast scan).
_INTERIM = Caseless(r"delmål(?<!\wdelmål)(?:et|ene)?\b")
#: A coordinating word opening a clause; matched at the clause start (no "^": match() anchors at pos).
_LEAD = Caseless(r"(?:og|samt|mens|men)\s+")
#: A baseline set off at the end of a sentence (", målt i forhold til 2010") applies to every clause.
_TRAILING_BASELINE = re.compile(
    r"\s*,\s*(?:begge\s+|alle\s+|tre\s+)?(?:af|målt|set|regnet|sammenlignet|sammenholdt|i\s+forhold)", re.I
)


_NOUN_ENDING = re.compile(r"(?:ion|ing|else)(?:en|er)?$", re.I)
_SET_OFF = re.compile(r",\s*(?:(?:begge|alle|tre|målt|set|regnet|af|i|forhold|til)\s+){0,4}$", re.I)


def assemble(doc: Doc) -> list[dict]:
    """Targets and suggestions of one unit as dicts of Target fields (offsets relative to the Doc)."""
    data = doc.user_data
    text = data.get("kl_text")
    if not isinstance(text, str):
        text = doc_text(doc)
    return assemble_unit(
        text,
        get_ext(doc, "kl_cues"),
        get_ext(doc, "kl_quantities"),
        get_ext(doc, "kl_years"),
        data.get("kl_context") or Context(),
        data.get("kl_kind", "sentence"),
        data.get("kl_cells", []),
        evidence_of(get_ext(doc, "kl_evidence") or []),
        tuple(data.get("kl_neighbours") or ()),
    )


def evidence_of(found: list[Cue]):
    """A stand-in for the evidence component's ``find`` that gives what it found on the Doc already."""
    return lambda text: found


def assemble_unit(
    text: str,
    cues: list[Cue],
    quantities: list[Quantity],
    years: list[YearMention],
    ctx: Context,
    kind: str,
    cells: list[Cell],
    evidence=None,
    neighbours: tuple[str, ...] = (),
    collect: bool = False,
    model: Model | None = None,
) -> list[dict]:
    """Targets and suggestions of one unit from what the earlier components found in it (offsets
    relative to ``text``); with ``collect``, every candidate with its evidence and fields, unscored.

    Every clause with an anchor is a candidate; its named evidence
    (``extractors.evidence``) is scored by the fitted model (``extractors.scorer``) and
    the score decides its band. ``evidence`` finds the topic and framing words
    (the evidence component's ``find``, called only on units that hold a candidate);
    ``neighbours`` names what the sentences around it in its block say (the one before stated
    a goal with a year, a later one takes up a goal: ``pipeline._NEIGHBOURS``).
    """
    if not quantities and not cues:
        return []  # nothing to anchor a target on (most units: read nothing else)
    if cells:
        years = _with_cell_roles(years, cells)
        cues = _outside_goal_row_label(cues, cells)
    if cues:  # (live_cues of no cues is no cues)
        cues = live_cues(text, cues, years)
    labels = {c.label for c in cues}
    low = fold(text)  # once for refine, every clause's features and fields
    anchors = find_anchors(text, cues, quantities, years, cells, ctx.unit, labels, low)
    if not anchors:
        return []
    if model is None and not collect:
        model = load_model()
    topics = (evidence or find_evidence)(text)
    context = _context_evidence(_CONTEXT_READ(ctx), kind, neighbours)
    clauses = split_clauses(text, anchors, years)
    attached = [attach_year(text, c) for c in clauses]
    heads = _heads(clauses)
    trajectory = _trajectory(clauses, attached)
    subject = subject_of(text, low, cues, topics)
    opens = opens_with_year(text)
    unit = unit_evidence(
        labels, {t.label for t in topics}, [(y.role, y.year) for y in years], ctx.year, ADOPTS in neighbours
    )
    out = []
    for i, clause in enumerate(clauses):
        year, own_year = attached[i], attached[i] is not None
        if year is None:
            year = _shared_year(clauses, attached, i)
        start = next((y for y in clause.years if y.role == "start"), None) if clause.years else None
        # a later clause with a verb of its own has a subject of its own ("…, og byrådet har tilsluttet sig …")
        who = subject_of(text, low, cues, topics, clause.start) if i and clause.own_verb else subject
        found = features(
            CandidateInputs(
                text,
                low,
                clause,
                len(clauses),
                cues,
                labels,
                topics,
                context,
                ctx,
                kind,
                year,
                own_year,
                start,
                years,
                heads[i],
                _series_link(clauses, i) if heads[i] is not None else None,
                trajectory,
                who,
                opens,
                unit,
            )
        )
        if collect:
            fields_ = _fields(
                text, low, clause, clauses, ctx, kind, cells, year, own_year, start, cues, labels
            )
            out.append({**fields_, "features": found, "anchor_kind": clause.anchor.kind})
            continue
        assert model is not None
        confidence, band, evidence = model.verdict(found)
        if band is None:
            continue
        fields_ = _fields(text, low, clause, clauses, ctx, kind, cells, year, own_year, start, cues, labels)
        fields_["confidence"] = confidence
        fields_["band"] = band
        fields_["evidence"] = evidence
        out.append(fields_)
    if len(out) == 1 and len(clauses) > 1:  # one clause spans the whole text: _fields trimmed just that
        out[0]["start"], out[0]["end"] = _trim(text, low, 0, len(text))
    return out


#: What :func:`extractors.evidence.context_evidence` reads of a unit's context (heading words included).
_CONTEXT_READ = attrgetter("title", "heading", "genre", "target_list", "interim", "in_list", "scope")


@lru_cache(maxsize=4096)
def _context_evidence(read: tuple, kind: str, neighbours: tuple[str, ...]) -> tuple[Evidence, ...]:
    """The context evidence of a unit whose context reads as ``read`` (see :data:`_CONTEXT_READ`): the
    same for every unit under one heading, so built once for them."""
    title, heading, genre, target_list, interim, in_list, scope = read
    ctx = Context(scope, interim, None, target_list, in_list, heading=heading, title=title, genre=genre)
    title_topics = heading_labels(heading_evidence, title)
    heading_topics = heading_labels(heading_evidence, heading) if heading != title else ()
    return tuple(context_evidence(ctx, kind, neighbours, title_topics, heading_topics))


def _head_metric(text: str, low: str | None, clause: Clause, clauses: list[Clause]) -> str | None:
    """A fragment without words for what it measures ("… og 60 % i 2030") measures what the clause
    before it measures."""
    for other in reversed([c for c in clauses if c.end <= clause.start]):
        q = other.anchor.quantity
        s, e = _trim(text, low, other.start, other.end)
        found = fields.metric(
            text[s:e],
            None if low is None else low[s:e],
            other.anchor.start - s,
            other.anchor.end - s,
            q.link if q else None,
        )
        if found:
            return found
    return None


def _series_link(clauses: list[Clause], i: int) -> str | None:
    """The link of the nearest quantity before clause ``i`` that has one ("til" in "fra 50 % til 55 % i
    2025, 60 % i 2030"): a fragment continues that series."""
    for other in reversed(clauses[:i]):
        q = other.anchor.quantity
        if q is not None and q.link:
            return q.link
    return None


def _trajectory(clauses: list[Clause], attached: list[YearMention | None]) -> bool:
    """Two or more quantified clauses, each with a future year of its own, years rising: a path of targets."""
    years = [
        y.year
        for c, y in zip(clauses, attached, strict=True)
        if y is not None and c.anchor.quantity is not None and y.year >= PRESENT_YEAR
    ]
    return len(years) >= 2 and years == sorted(set(years))


def _heads(clauses: list[Clause]) -> list[int | None]:
    """For each clause without a verb of its own, where the nearest earlier clause with one starts;
    when no earlier clause has a verb the finite-verb regex knows ("… skærpes fra 50 % til 55 % i
    2025, 60 % i 2030"), the sentence's first clause, which holds its verb."""
    if len(clauses) == 1:
        return [None]
    out: list[int | None] = []
    for i, clause in enumerate(clauses):
        head = None
        if not clause.own_verb and i > 0:
            head = next(
                (clauses[j].start for j in range(i - 1, -1, -1) if clauses[j].own_verb), clauses[0].start
            )
        out.append(head)
    return out


def _with_cell_roles(years: list[YearMention], cells: list[Cell]) -> list[YearMention]:
    """A year in a table's baseline column is a baseline, in its year column the target year."""
    if not cells:
        return years
    out = []
    for y in years:
        cell = next((c for c in cells if c[0] <= y.start < c[1]), None)
        if cell is not None and cell[3] == "baseline":
            y = YearMention(
                y.start, y.end, y.year, "baseline", y.expr_start, y.expr_end, "table.baseline_column"
            )
        elif cell is not None and cell[3] == "year" and y.role in ("bare", "in"):
            y = YearMention(y.start, y.end, y.year, "in", y.expr_start, y.expr_end, "table.year_column")
        out.append(y)
    return out


def _outside_goal_row_label(cues: list[Cue], cells: list[Cell]) -> list[Cue]:
    """Cues but the statistics words in the label of a row with a goal column ("I alt | 197.000 | 118.000",
    "Heraf transport | …"): a sum row's label says what the row adds up; whether its figures are goals
    or statistics is its columns' to say, as for every other row."""
    label = cells[0]
    if not any(c[3] == "target" for c in cells[1:]):
        return cues
    return [c for c in cues if not (c.label == "NEG_STAT" and label[0] <= c.start < label[1])]


def _shared_year(clauses: list[Clause], attached: list[YearMention | None], i: int) -> YearMention | None:
    """A year stated once for coordinated targets: from an earlier clause, or a later one without its own verb."""
    for j in range(i - 1, -1, -1):
        if attached[j] is not None:
            return attached[j]
    for j in range(i + 1, len(clauses)):
        if attached[j] is not None:
            return None if clauses[j].own_verb else attached[j]
    return None


def _direction(text: str, clause: Clause, cues: list[Cue], ctx: Context, labels: set[str]) -> str:
    """The anchor's own direction, else its quantity's link, else the nearest direction verb, else the
    heading's; ``labels`` are those of ``cues``."""
    a = clause.anchor
    if a.direction:
        return a.direction
    q = a.quantity
    if q is not None:
        sign = _sign_before(text, q.start)
        if sign:
            return sign
        if q.link == "less":
            return "reduce"
        if q.link == "more":
            return "increase"
        if labels.isdisjoint(_DIRECTIONS):  # no direction cue in the unit: the rules below find no verb
            return "reach" if q.link in ("til", "af", "copula") else _fallback_direction(q, ctx)
        if q.link in ("til", "af"):
            maintain = [c for c in within(cues, clause.start, a.start, _MAINTAIN) if a.start - c.end < 30]
            return "maintain" if maintain else "reach"
        if q.link == "copula":
            nouns = [
                c
                for c in within(cues, clause.start, a.start, _CHANGE)
                if _NOUN_ENDING.search(text[c.start : c.end])
            ]
            return DIRECTION_OF[nouns[-1].label] if nouns else "reach"
    verbs = within(cues, clause.start, clause.end, _DIRECTIONS)
    if q is not None and q.link != "med":
        verbs = [
            v
            for v in verbs
            if (v.end <= a.start and a.start - v.end < 60) or (v.start >= a.end and v.start - a.end < 5)
        ]
    if (
        not verbs
        and q is not None
        and q.link in ("med", None)
        and not within(cues, clause.start, clause.end, _BINDING_OR_INTENT)
    ):
        verbs = [c for c in cues if c.label in DIRECTION_OF and c.end <= clause.start]
    if not verbs:
        return _fallback_direction(q, ctx)
    v = min(verbs, key=lambda c: abs(c.start - a.start))
    return DIRECTION_OF[v.label]


#: A sign right before a figure, itself after a space, a cell border or a parenthesis ("| -50 %",
#: "(+20 %)"), is the figure's direction ("20-30 %" is a range, and "CO2-50" no sign).
_SIGNS = {"-": "reduce", "−": "reduce", "–": "reduce", "+": "increase"}
_BEFORE_SIGN = frozenset(" \t\n|(\u00a0")


def _sign_before(text: str, start: int) -> str | None:
    """The direction a sign right before ``start`` gives ("Transport | -50 % | -75 %"), or None."""
    if start and text[start - 1] in _SIGNS and (start == 1 or text[start - 2] in _BEFORE_SIGN):
        return _SIGNS[text[start - 1]]
    return None


def _fallback_direction(q: Quantity | None, ctx: Context) -> str:
    """Without a verb: the heading's direction for a share or a bare figure, else "reach"."""
    return ctx.direction if ctx.direction and q is not None and q.unit in ("%", None) else "reach"


#: A clause that refers to the period of the one before it for its own.
SAME_PERIOD = re.compile(r"\b(?:i|over|inden\s+for|for)\s+(?:den\s+)?samme\s+(?:periode|tidsrum)\b", re.I)
_BASELINE_ROLES = ("baseline", "period_start")


def _baseline(text, low, clause, clauses, value, direction, ctx) -> tuple[int | None, str | None, str | None]:
    if direction in ("neutral", "phase_out"):
        return None, None, None
    own = [y for y in clause.years if y.role in ("baseline", "period_start")]
    if own:
        y = min(own, key=lambda y: abs(y.start - clause.anchor.start))
        return y.year, None, y.rule_id
    if value is not None and SAME_PERIOD.search(text, clause.start, clause.end):
        # "… med 60 % i 2030 sammenlignet med 2018, og landbrugets udledning skal ned med 35 % i samme
        # periode": the period named before, baseline and all
        earlier = [y for o in clauses if o.end <= clause.start for y in o.years if y.role in _BASELINE_ROLES]
        if earlier:
            return earlier[-1].year, None, "context.same_period"
    if value is not None:
        shared = [
            y
            for other in clauses
            if other is not clause
            for y in other.years
            if _trailing(text, y) or _closes_series(text, clause, other, y)
        ]
        if shared:
            return shared[0].year, None, shared[0].rule_id
        if ctx.baseline:
            return ctx.baseline, None, "context.heading_baseline"
    if low is not None and not fields.may_name_baseline(low):
        return None, None, None  # no baseline word in the sentence, so none in the clause
    whole = clause.start == 0 and clause.end == len(text)  # then the sentence says nothing more
    clause_low = None if low is None else low[clause.start : clause.end]
    label = fields.baseline_label(text[clause.start : clause.end], clause_low) or (
        fields.baseline_label(text, low) if value is not None and not whole else None
    )
    return None, label, None


def _trailing(text: str, y: YearMention) -> bool:
    """A baseline set off by a comma at the end of the sentence (", målt i forhold til 2010")."""
    if y.role != "baseline":
        return False
    before = text[max(0, y.expr_start - 20) : y.expr_start]
    lead = _SET_OFF.search(before)
    if not lead and not _TRAILING_BASELINE.match(text[max(0, y.expr_start - 2) : y.expr_start + 14]):
        return False
    return not FINITE.search(text, y.expr_end)


def _closes_series(text: str, clause: Clause, last: Clause, y: YearMention) -> bool:
    """A baseline that ends the sentence after the last item of a verbless series applies to the series
    ("reducere udledningen med 50 % i 2025 og 70 % i 2030 i forhold til 2008"), as a shared year does."""
    return (
        y.role == "baseline"
        and last.start > clause.start
        and not text[y.expr_end :].strip(" .;:!?)\n")
        and not last.own_verb
    )


def _fields(text, low, clause, clauses, ctx, kind, cells, year, own_year, start, cues, labels) -> dict:
    """The Target fields of an accepted clause; ``low`` is ``fold(text)``, ``start`` the clause's first
    start year ("fra 2025"), if any, ``labels`` the labels of ``cues``."""
    a: Anchor = clause.anchor
    q = a.quantity
    direction = _direction(text, clause, cues, ctx, labels)
    if a.kind == "end":
        value, unit, bound = None, None, None
    else:
        value, unit, bound = (q.value, q.unit, q.bound) if q else (None, None, None)
    if a.kind == "count":
        unit = "count"
    rule_ids = [a.rule_id]
    target_year, deadline = (
        (year.year, "by" if year.role in ("by", "period_end") else "in") if year else (None, None)
    )
    if year is not None:
        rule_ids.append(year.rule_id)
    start_year = start.year if start is not None else None
    rate = q.rate if q else None
    if start is not None and (rate or target_year is None or not own_year):
        # a start year is no target year ("2 % om året fra 2025": from 2025, with no year to be met by)
        target_year, deadline = None, None
        rule_ids.append(start.rule_id)
    if target_year is None and start is None:
        cell_year = next((c[2] for c in cells if c[0] <= a.start < c[1] and c[2]), None) if cells else None
        if cell_year is not None or ctx.year is not None:
            target_year, deadline = cell_year or ctx.year, "in"
            rule_ids.append("context.header_year")
    baseline_year, label, baseline_rule = _baseline(text, low, clause, clauses, value, direction, ctx)
    if baseline_rule:
        rule_ids.append(baseline_rule)
    s, e = _trim(text, low, clause.start, clause.end)
    clause_text = text[s:e]
    clause_low = None if low is None else low[s:e]
    metric = None
    if kind == "row" and cells and not cells[0][0] <= a.start < cells[0][1]:
        metric = text[cells[0][0] : cells[0][1]] or None  # a value cell: the row label names the metric
    if metric is None:
        metric = fields.metric(clause_text, clause_low, a.start - s, a.end - s, q.link if q else None)
    if metric is None and a.kind == "end":
        metric = text[a.start : a.end].rstrip(".,;:")
    if metric is None and len(clauses) > 1:
        metric = _head_metric(text, low, clause, clauses)
    return {
        "start": s,
        "end": e,
        "value": value,
        "unit": unit,
        "direction": direction,
        "bound": bound,
        "metric": metric,
        "target_year": target_year,
        "deadline_kind": deadline,
        "baseline_year": baseline_year,
        "baseline_label": label,
        "start_year": start_year,
        "rate": rate,
        "sector": fields.sector(clause_text, clause_low, metric, (ctx.heading or "", ctx.title or "")),
        "scope": fields.scope(clause_text, clause_low, ctx.scope),
        "strength": _strength(cues, clause, labels),
        "interim": ctx.interim or _INTERIM.search(text, low) is not None,
        "rule_ids": tuple(dict.fromkeys(rule_ids)),
        "kind": "resource" if unit == "kr" else "outcome",
    }


def _strength(cues: list[Cue], clause: Clause, labels: set[str]) -> str | None:
    """The commitment's strength: from the clause's own commitment words, else earlier ones, else "we".

    ``labels`` are those of ``cues``: without a strength label there is no pool to look through.
    """
    if labels.isdisjoint(_STRENGTH_LABELS):
        pool = []
    else:
        own = within(cues, clause.start, clause.end, _STRENGTH_LABELS)
        pool = own or [c for c in cues if c.label in STRENGTH_OF and c.end <= clause.start]
    if not pool:
        we = any(c.label == "MUNI" and 0 <= clause.anchor.start - c.end <= 3 for c in cues)
        return "intent" if we else None
    if any(c.label == "ASPIRATION" for c in pool):
        return "aspiration"
    return STRENGTH_OF[pool[0].label]


#: What a quote does not start with, and what it does not end with.
_LEADING_JUNK = ' \t\n\r\u00a0,;–—-|"“”»'
_TRAILING_JUNK = ' \t\n\r\u00a0,;:–—-|."“”»'


def _trim(text: str, low: str | None, s: int, e: int) -> tuple[int, int]:
    """``text[s:e]`` without the spaces, punctuation and leading "og"/"samt"/… around the words.

    Trimmed with ``str.lstrip``/``rstrip`` (in C) rather than a loop over the characters;
    ``low`` is ``fold(text)``, where the leading word is looked for.
    """
    inner = text[s:e].lstrip(_LEADING_JUNK)
    s = e - len(inner)
    e = s + len(inner.rstrip(_TRAILING_JUNK))
    m = _LEAD.match(text, low, s, e)
    if m and m.end() < e:
        s = m.end()
    return s, e


class TargetAssembler:
    """Fills ``doc._.kl_targets`` from the cues, quantities and years of the earlier components."""

    def __call__(self, doc: Doc) -> Doc:
        set_ext(doc, "kl_targets", assemble(doc))
        return doc

    #: The same on plain values, for ``extract_targets`` (see :func:`assemble_unit`).
    find = staticmethod(assemble_unit)


@Language.factory("klimamaal_targets_v1")
def make_target_assembler(nlp: Language, name: str) -> TargetAssembler:
    return TargetAssembler()
