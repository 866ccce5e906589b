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
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from extractors import fields
from extractors.components.types import Cue, Quantity, YearMention
from extractors.segment import Context

COMMIT = frozenset({"BINDING", "INTENT", "ASPIRATION", "ADOPT"})
STRENGTH_OF = {"BINDING": "binding", "INTENT": "intent", "ASPIRATION": "aspiration"}
HARD_NEG = frozenset({"NEG_PROJECTION", "NEG_TIP"})
SOFT_NEG = frozenset({"NEG_PAST", "NEG_ACHIEVED", "NEG_STAT", "NEG_HYPO"})
DEADLINE_ROLES = ("in", "by", "period_end")

#: Coordinations that separate two targets in one sentence, strongest first.
_BOUNDARIES = (
    re.compile(r"\s*\|\s*"),
    re.compile(r";\s*"),
    re.compile(r"\s+[–—-]\s+"),
    re.compile(r",\s*(?:samt|mens|men|og)\s+"),
    re.compile(r"(?<!-)\s+(?:samt|og|mens)\s+"),
    re.compile(r",\s+"),
)
_CROSSING = re.compile(r",\s|\s[–—-]\s|;|(?<!-)\s(?:og|samt|men|mens)\s|\.\s")
_LEAD = re.compile(r"^(?:og|samt|mens|men|alternativt\s*(?=,))\s+", re.I)
_INITIAL_YEAR = re.compile(
    r"^\W{0,3}(?:i|inden|senest(?:\s+i)?)\s+(?:19|20)\d\d\b|^\W{0,3}(?:19|20)\d\d\s*[:–-]", re.I
)


@dataclass(slots=True)
class Anchor:
    """What makes a clause a candidate target."""

    start: int
    end: int
    kind: str  # qty | end | share | dir
    rule_id: str
    quantity: Quantity | None = None
    direction: str | None = None


@dataclass(slots=True)
class Clause:
    start: int
    end: int
    anchor: Anchor
    years: list[YearMention] = field(default_factory=list)


def _cues(
    cues: list[Cue], start: int, end: int, labels: frozenset[str] | set[str] | None = None
) -> list[Cue]:
    return [c for c in cues if c.start >= start and c.end <= end and (labels is None or c.label in labels)]


def _anchors(doc: Doc, ctx: Context) -> list[Anchor]:
    text = doc.text
    cues: list[Cue] = doc._.kl_cues
    anchors: list[Anchor] = []
    for q in doc._.kl_quantities:
        if q.role == "from":
            continue
        if _reference(text, q):
            continue
        if q.kind == "bare":
            unit = _bare_unit(text, q)
            if unit is None:
                continue
            q.unit = unit
        anchors.append(Anchor(q.start, q.end, "qty", q.rule_id, q, q.direction))
    for c in cues:
        if c.label in ("END_NEUTRAL", "END_PHASE_OUT"):
            direction = "neutral" if c.label == "END_NEUTRAL" else "phase_out"
            if any(
                a.start <= c.start < a.end or c.start <= a.start < c.end for a in anchors if a.kind == "end"
            ):
                continue
            if _oriented(text, c, doc._.kl_years, cues):
                continue
            anchors.append(Anchor(c.start, c.end, "end", c.rule_id, None, direction))
    alls = [c for c in cues if c.label == "ALL"]
    for c in cues:
        if c.label != "STATE":
            continue
        qualified = c.rule_id == "cue.state.el" or any(
            (0 <= c.start - x.end <= 80 and not _CROSSING.search(text[x.end : c.start]))
            or (0 <= x.start - c.end <= 40 and not _CROSSING.search(text[c.end : x.start]))
            for x in alls
        )
        if qualified and not any(a.start <= c.start < a.end + 3 for a in anchors):
            q = Quantity(c.start, c.end, 100.0, "%", "share", "qty.share.all")
            anchors.append(Anchor(c.start, c.end, "share", c.rule_id, q, "reach"))
    if not anchors:
        for c in cues:
            if c.label in ("DIR_REDUCE", "DIR_INCREASE") and not _purpose_before(text, c, cues):
                direction = "reduce" if c.label == "DIR_REDUCE" else "increase"
                anchors.append(Anchor(c.start, c.end, "dir", c.rule_id, None, direction))
                break
    anchors.sort(key=lambda a: a.start)
    return _merge(text, anchors)


def _reference(text: str, q: Quantity) -> bool:
    """A figure referred to as known ("de 2 %", "kun 2 %") is a statistic, not a value to reach."""
    return bool(
        re.search(r"(?:^|\s)(?:de|disse|kun|blot|knap|godt)\s+$", text[max(0, q.start - 8) : q.start], re.I)
    )


def _bare_unit(text: str, q: Quantity) -> str | None:
    """A bare number counts only where the wording names its unit ("økologiprocent fastholdes på 75")."""
    if 1950 <= q.value <= 2100 and float(q.value).is_integer():
        return None
    before = text[max(0, q.start - 12) : q.start]
    after = text[q.end : q.end + 25]
    if not re.search(r"(?:på|til|fra)\s*$", before, re.I):
        return None
    if not re.match(r"\s*(?:[.,;)]|$|i\s+(?:19|20)\d\d|senest|inden)", after):
        return None
    head = text[: q.start].lower()
    if re.search(r"procent|andel", head):
        return "%"
    if re.search(r"antal", head):
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
        if y.start >= c.end and y.role in DEADLINE_ROLES and not _CROSSING.search(text[c.end : y.start])
    ]
    return not after


def _purpose_before(text: str, c: Cue, cues: list[Cue]) -> bool:
    return any(p.label == "PURPOSE" and 0 <= c.start - p.end <= 25 for p in cues)


def _merge(text: str, anchors: list[Anchor]) -> list[Anchor]:
    """Anchors that belong to one target (no coordination between them) become one."""
    merged: list[Anchor] = []
    for a in anchors:
        if merged:
            prev = merged[-1]
            between = text[prev.end : a.start]
            separate = _boundary(between) is not None
            both_end = prev.kind == "end" and a.kind == "end"
            if both_end and not re.search(r"(?:19|20)\d\d|\b(?:skal|vil|er|være)\b", between):
                separate = False
            if not separate or a.start < prev.end:
                merged[-1] = _prefer(prev, a)
                continue
        merged.append(a)
    return merged


def _prefer(a: Anchor, b: Anchor) -> Anchor:
    if a.kind == "share" or b.kind == "share":
        return b if a.kind == "share" else a
    if a.kind == "end" and b.kind == "qty" or b.kind == "end" and a.kind == "qty":
        end, qty = (a, b) if a.kind == "end" else (b, a)
        if qty.quantity and qty.quantity.value == 100.0 and qty.quantity.unit == "%":
            return end
        if qty.quantity and qty.quantity.link in ("med", "less", "more"):
            return qty
        return end if end.start < qty.start else qty
    if a.kind == "qty" and b.kind == "qty":
        return a if a.quantity and a.quantity.unit else b
    return a


def _boundary(between: str) -> re.Match[str] | None:
    for pattern in _BOUNDARIES:
        found = list(pattern.finditer(between))
        if found:
            return found[-1]
    return None


def _clauses(doc: Doc, anchors: list[Anchor], cells: list[tuple[int, int, int | None]]) -> list[Clause]:
    text = doc.text
    cuts = [0]
    for a, b in zip(anchors, anchors[1:], strict=False):
        between = text[a.end : b.start]
        m = _boundary(between)
        cuts.append(a.end + (m.start() if m else 0))
        cuts.append(a.end + (m.end() if m else 0))
    cuts.append(len(text))
    clauses = []
    for i, a in enumerate(anchors):
        s, e = cuts[2 * i], cuts[2 * i + 1]
        years = [y for y in doc._.kl_years if s <= y.start < e]
        clauses.append(Clause(s, e, a, years))
    return clauses


def _gap(text: str, a: Anchor, y: YearMention) -> str:
    return text[y.expr_end : a.start] if y.expr_end <= a.start else text[a.end : y.expr_start]


def _attach_year(text: str, clause: Clause) -> YearMention | None:
    """The deadline nearest the anchor, preferring one not across a coordination."""
    a = clause.anchor
    best: tuple[float, YearMention] | None = None
    for y in clause.years:
        if y.role not in DEADLINE_ROLES:
            continue
        gap = _gap(text, a, y)
        dist = len(gap) + (1000 if _CROSSING.search(gap) else 0)
        if best is None or dist < best[0]:
            best = (dist, y)
    return best[1] if best else None


def _direction(text: str, clause: Clause, cues: list[Cue]) -> str:
    a = clause.anchor
    if a.direction:
        return a.direction
    q = a.quantity
    if q is not None:
        if q.link == "less":
            return "reduce"
        if q.link == "more":
            return "increase"
        if q.link in ("til", "af"):
            maintain = _cues(cues, clause.start, clause.end, {"DIR_MAINTAIN"})
            return "maintain" if maintain else "reach"
    verbs = _cues(cues, clause.start, clause.end, {"DIR_REDUCE", "DIR_INCREASE", "DIR_MAINTAIN"})
    if q is not None and q.link != "med":
        verbs = [
            v
            for v in verbs
            if v.end <= a.start and a.start - v.end < 60 or v.start >= a.end and v.start - a.end < 5
        ]
    if not verbs:
        return "reach"
    v = min(verbs, key=lambda c: abs(c.start - a.start))
    return {"DIR_REDUCE": "reduce", "DIR_INCREASE": "increase", "DIR_MAINTAIN": "maintain"}[v.label]


def _decide(doc: Doc, clause: Clause, ctx: Context, year: YearMention | None, kind: str) -> tuple[bool, str]:
    """Is this clause the municipality's commitment? Returns (yes, decision rule id)."""
    text = doc.text
    cues: list[Cue] = [c for c in doc._.kl_cues if not _inside_baseline(c, doc._.kl_years)]
    own = {c.label for c in _cues(cues, clause.start, clause.end)}
    sent = {c.label for c in cues}
    a = clause.anchor
    commit_own = bool(own & COMMIT)
    commit = commit_own or bool(sent & COMMIT)
    list_ctx = (ctx.in_list or kind == "row") and (ctx.target_list or ctx.interim or ctx.year is not None)
    goal = "GOAL" in sent
    by = year is not None and year.role == "by"
    initial_year = bool(_INITIAL_YEAR.match(text[clause.start : clause.end].lstrip())) or bool(
        _INITIAL_YEAR.match(text.lstrip())
    )
    if own & HARD_NEG or (sent & HARD_NEG and not commit_own):
        return False, "decide.reject.projection_or_tip"
    if own & SOFT_NEG and not commit_own and not list_ctx:
        return False, "decide.reject.statistic_or_history"
    if sent & SOFT_NEG and not commit and not list_ctx:
        return False, "decide.reject.statistic_or_history"
    if "NEG_OTHER" in sent and not list_ctx:
        adopted = ("MUNI" in sent and commit) or "ADOPT" in sent
        if not adopted:
            return False, "decide.reject.other_body"
    if a.kind == "dir":
        if year is None or year.role not in ("in", "by") or _CROSSING.search(_gap(text, a, year)):
            return False, "decide.reject.direction_without_deadline"
        if own & SOFT_NEG:
            return False, "decide.reject.statistic_or_history"
        milestones = _cues(cues, clause.start, a.start, {"MILESTONE"})
        if milestones:
            return False, "decide.reject.milestone"
        if commit_own or list_ctx:
            return True, "decide.direction_deadline"
        return False, "decide.reject.no_commitment"
    if a.kind == "share":
        if year is None and ctx.year is None:
            return False, "decide.reject.share_without_deadline"
        if commit or list_ctx or by or initial_year:
            return True, "decide.share_deadline"
        return False, "decide.reject.no_commitment"
    if commit:
        return True, "decide.commitment"
    if list_ctx:
        return True, "decide.target_list"
    if by:
        return True, "decide.deadline_by"
    if a.kind == "end" and year is not None:
        return True, "decide.end_state_year"
    if (
        a.quantity is not None
        and a.quantity.link in ("med", "less", "more")
        and (year is not None or a.quantity.rate)
    ):
        verbs = _cues(cues, clause.start, clause.end, {"DIR_REDUCE", "DIR_INCREASE"})
        if any(re.search(r"(?:es|er)$", text[v.start : v.end]) for v in verbs):
            return True, "decide.direction_present"
    if goal and (year is not None or a.kind == "end"):
        return True, "decide.goal_noun"
    if (
        year is not None
        and (initial_year or (a.quantity and a.quantity.link in ("less", "more")))
        and year.year >= 2025
    ):
        return True, "decide.nominal_year"
    return False, "decide.reject.no_commitment"


def _inside_baseline(c: Cue, years: list[YearMention]) -> bool:
    return any(y.role == "baseline" and y.expr_start <= c.start and c.end <= y.expr_end for y in years)


def assemble(doc: Doc) -> list[dict]:
    """Targets of one unit as dicts of Target fields (offsets relative to the Doc)."""
    ctx: Context = doc.user_data.get("kl_context") or Context()
    kind: str = doc.user_data.get("kl_kind", "sentence")
    cells: list[tuple[int, int, int | None]] = doc.user_data.get("kl_cells", [])
    text = doc.text
    anchors = _anchors(doc, ctx)
    if not anchors:
        return []
    clauses = _clauses(doc, anchors, cells)
    cues: list[Cue] = doc._.kl_cues
    out = []
    attached = [_attach_year(text, c) for c in clauses]
    for i, clause in enumerate(clauses):
        year = attached[i]
        inherited = False
        if year is None:
            for j in sorted(range(len(clauses)), key=lambda j: abs(j - i)):
                if attached[j] is not None and j != i:
                    year, inherited = attached[j], True
                    break
        found = _fields(doc, clause, clauses, ctx, kind, cells, year, inherited, cues)
        if found is not None:
            out.append(found)
    if len(out) == 1 and len(clauses) >= 1:
        s, e = _trim(text, 0, len(text))
        out[0]["start"], out[0]["end"] = s, e
    return out


def _fields(doc, clause, clauses, ctx, kind, cells, year, inherited, cues) -> dict | None:
    text = doc.text
    a = clause.anchor
    ok, decision = _decide(doc, clause, ctx, year, kind)
    if not ok:
        return None
    q = a.quantity
    direction = _direction(text, clause, cues)
    if a.kind == "end":
        value, unit, bound = None, None, None
    else:
        value, unit, bound = (q.value, q.unit, q.bound) if q else (None, None, None)
    rule_ids = [a.rule_id]
    target_year = year.year if year else None
    deadline = None
    if year is not None:
        deadline = "by" if year.role in ("by", "period_end") else "in"
        rule_ids.append(year.rule_id)
    starts = [y for y in clause.years if y.role == "start"]
    start_year = starts[0].year if starts else None
    rate = q.rate if q else None
    if start_year is not None and (rate or target_year is None):
        target_year, deadline = start_year, None
        rule_ids.append(starts[0].rule_id)
    if target_year is None:
        cell_year = next((y for s, e, y in cells if s <= a.start < e and y), None)
        if cell_year is not None or ctx.year is not None:
            target_year, deadline = cell_year or ctx.year, "in"
            rule_ids.append("context.header_year")
    baseline_year = None
    label = None
    if direction not in ("neutral", "phase_out"):
        baselines = [y for y in clause.years if y.role in ("baseline", "period_start")]
        if not baselines and value is not None:
            baselines = [y for c in clauses if c is not clause for y in c.years if y.role == "baseline"]
        if baselines:
            baseline_year = min(baselines, key=lambda y: abs(y.start - a.start)).year
            rule_ids.append(baselines[0].rule_id)
        else:
            label = fields.baseline_label(text[clause.start : clause.end]) or (
                fields.baseline_label(text) if value is not None else None
            )
    s, e = _trim(text, clause.start, clause.end)
    clause_text = text[s:e]
    metric = fields.metric(clause_text, a.start - s, a.end - s, q.link if q else None)
    if kind == "row" and cells and not cells[0][0] <= a.start < cells[0][1]:
        metric = text[cells[0][0] : cells[0][1]] or metric
    if metric is None and a.kind == "end":
        metric = text[a.start : a.end]
    strength = _strength(cues, clause)
    rule_ids.append(decision)
    confidence = _confidence(decision, year, inherited, a.kind)
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
        "sector": fields.sector(clause_text, metric),
        "scope": fields.scope(clause_text, ctx.scope),
        "strength": strength,
        "interim": ctx.interim,
        "rule_ids": tuple(dict.fromkeys(rule_ids)),
        "confidence": confidence,
    }


def _strength(cues: list[Cue], clause: Clause) -> str | None:
    own = [c for c in _cues(cues, clause.start, clause.end) if c.label in STRENGTH_OF]
    pool = own or [c for c in cues if c.label in STRENGTH_OF]
    if not pool:
        return None
    labels = {c.label for c in pool}
    if "ASPIRATION" in labels:
        return "aspiration"
    return STRENGTH_OF[pool[0].label]


def _confidence(decision: str, year: YearMention | None, inherited: bool, kind: str) -> float:
    base = {
        "decide.commitment": 0.8,
        "decide.target_list": 0.8,
        "decide.deadline_by": 0.75,
        "decide.end_state_year": 0.7,
        "decide.direction_deadline": 0.65,
        "decide.share_deadline": 0.6,
        "decide.goal_noun": 0.6,
        "decide.nominal_year": 0.55,
    }.get(decision, 0.5)
    if year is not None and not inherited:
        base += 0.1
    if kind == "dir":
        base -= 0.05
    return round(min(base, 0.95), 2)


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in ' \t\n\r\u00a0,;–—-|"“”»':
        s += 1
    while e > s and text[e - 1] in ' \t\n\r\u00a0,;:–—-|."“”»':
        e -= 1
    m = _LEAD.match(text[s:e])
    if m and m.end() < e - s:
        s += m.end()
    return s, e


class TargetAssembler:
    def __call__(self, doc: Doc) -> Doc:
        doc._.kl_targets = assemble(doc)
        return doc


@Language.factory("klimamaal_targets_v1")
def make_target_assembler(nlp: Language, name: str) -> TargetAssembler:
    return TargetAssembler()
