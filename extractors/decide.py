"""Is a candidate clause the municipality's own commitment? The precision rules.

A target needs positive evidence — a commitment word (skal, vil, målet er,
forpligter sig, ønsker, arbejder for), a place in a target list ("Delmål:",
"2030:", a target table), a deadline phrased as one ("senest", "inden"), an
end state tied to a year, or a plan statement opening with its year — and no
sign of something else: a projection or expected effect, a tip to the reader,
a statistic or history, an achieved result, another body's goal quoted as
background. Cues are weighed where they stand: a negative in the clause
itself weighs more than one elsewhere in the sentence, and a commitment in a
subordinate clause ("hvor der skal betales") does not count.
"""

from __future__ import annotations

import re

from extractors.anchors import Clause, gap
from extractors.caseless import Caseless
from extractors.components.types import Cue, Quantity, YearMention
from extractors.segment import Context

COMMIT = frozenset({"BINDING", "INTENT", "ASPIRATION", "ADOPT"})
HARD_NEG = frozenset({"NEG_PROJECTION", "NEG_TIP", "NEG_DONE", "NEG_PROPOSAL"})
SOFT_NEG = frozenset({"NEG_PAST", "NEG_ACHIEVED", "NEG_STAT", "NEG_HYPO"})
_MILESTONE = frozenset({"MILESTONE"})
_DIR_VERBS = frozenset({"DIR_REDUCE", "DIR_INCREASE"})
_INITIAL_YEAR = re.compile(
    r"^\W{0,3}(?:i|inden|senest(?:\s+i)?|fra|frem\s+mod|ved\s+udgangen\s+af)\s*(?:19|20)\d\d\b|^\W{0,3}(?:19|20)\d\d\s*[:–-]",
    re.I,
)
#: Plan statements without a commitment word ("I 2030 genanvender vi 55 % plast") need a future-looking year.
NOMINAL_MIN_YEAR = 2024
#: A direction verb and its deadline must stand in one clause; a bare comma in an enumeration does not part them.
STRONG_CROSSING = re.compile(r";|\s[–—-]\s|,\s*(?:og|men|mens|samt|så|der|som|hvor|hvilket)\s|,\s+[A-ZÆØÅ]")


def live_cues(text: str, cues: list[Cue], years: list[YearMention]) -> list[Cue]:
    """Cues that count: not inside a baseline phrase ("af det, de var i 1990"), not voided by a subordinate modal."""
    # "Der skal …" opening a sentence is an expletive "der", not a relative clause
    baselines = [y for y in years if y.role == "baseline"]
    voids = [c for c in cues if c.label == "VOID" and not _opens_sentence(text, c.start)]
    if not baselines and not voids:
        return cues  # nothing voided: the list itself (no caller changes it)
    out = []
    for c in cues:
        if any(y.expr_start <= c.start and c.end <= y.expr_end for y in baselines):
            continue
        if c.label in COMMIT and any(v.start <= c.start < v.end for v in voids):
            continue
        out.append(c)
    return out


def _opens_sentence(text: str, pos: int) -> bool:
    before = text[max(0, pos - 40) : pos].rstrip(' \t\n"“”»-–•*')
    return not before or before.endswith((":", "."))  # (nothing before it but those marks, or a full stop)


#: Where the local phrase of an anchor ends: a comma, a colon, a dash, a subordinating word.
_WEAK = Caseless(r",\s|;|:\s|\s[–—-]\s|\s(?:men|selvom|fordi|mens|da|hvis|hvor|hvilket)\s")
#: Where its main clause ends: a coordination of clauses, a semicolon, a dash, a full stop.
_STRONG = Caseless(
    r";|\s[–—-]\s|,\s*(?:og|men|mens|da|fordi|selvom|hvis|så|derfor|hvilket|hvor)\s|\s(?:men|selvom|fordi)\s"
)


def _may_end_main_clause(folded: str) -> bool:
    """Does lower-cased ``folded`` hold a mark or word that every :data:`_STRONG` match holds?

    Substring tests: a clause without any ("Andelen af elbiler skal udgøre mindst 27 % i 2025")
    is spared the search, which tries its alternatives at every space. Keep in step with
    :data:`_STRONG`: a bound added there needs its mark or word here.
    """
    return (
        "," in folded
        or ";" in folded
        or "-" in folded
        or "–" in folded
        or "—" in folded
        or "men" in folded
        or "selvom" in folded
        or "fordi" in folded
    )


def _span(
    text: str, low: str | None, a_start: int, a_end: int, lo: int, hi: int, bounds: Caseless
) -> tuple[int, int]:
    """The stretch around an anchor between the nearest ``bounds`` on either side (within lo:hi).

    ``bounds`` hold no anchors or lookarounds, so a clause with no match at all is
    the whole stretch: one search instead of a scan on each side. ``low`` is
    ``fold(text)`` (None: search ``text`` case-insensitively).
    """
    if bounds.search(text, low, lo, hi) is None:
        return lo, hi
    left = lo
    for m in bounds.finditer(text, low, lo, a_start):
        left = m.end()
    right = bounds.search(text, low, a_end, hi)
    return left, right.start() if right else hi


#: "vi forventer", "forventer vi", "regner med": an expectation, a target only where a goal list holds it.
EXPECTATION_RULES = frozenset({"cue.aspiration.forventer_vi", "cue.aspiration.vi_forventer"})


def _expectation_only(cues: list[Cue], start: int, end: int) -> bool:
    """The clause's only commitment word is an expectation ("Vi forventer at nå ca. 55 % i 2025")."""
    commits = within(cues, start, end, COMMIT)
    return bool(commits) and all(c.rule_id in EXPECTATION_RULES for c in commits)


def within(
    cues: list[Cue], start: int, end: int, labels: frozenset[str] | set[str] | None = None
) -> list[Cue]:
    return [c for c in cues if c.start >= start and c.end <= end and (labels is None or c.label in labels)]


_PRESENT = re.compile(r"(?:es|er)$")


def in_target_list(kind: str, ctx: Context) -> bool:
    """A list item or table row under a target heading ("Delmål:", "2030:", a target table)."""
    return kind in ("item", "row") and (ctx.target_list or ctx.interim or ctx.year is not None)


def rejects_every_clause(
    labels: set[str], years: list[YearMention], quantities: list[Quantity], kind: str, ctx: Context
) -> bool:
    """True where :func:`decide` rejects whatever clause the unit is cut into, so assembly can stop early.

    These are decide's sentence-wide rules, read before anchors and clauses exist
    (about a third of the candidate units of a plan end here): those of
    :func:`rejects_by_cues`, and, outside a target list, a unit without a year,
    without a rate on its figures and without any of the cues that carry a clause
    without either (:data:`YEARLESS_EVIDENCE`): every accepting rule of
    :func:`decide` but those needs a year (a deadline, a start, a future or
    initial year) or a rate. Keep in step with :func:`decide`: each condition here
    must make one of its rejections certain for every clause. ``labels`` are the
    labels of the unit's live cues (assembly collects them once).
    """
    if rejects_by_cues(labels, kind, ctx):
        return True
    return needs_a_rate(labels, years, kind, ctx) and not any(q.rate for q in quantities)


def needs_a_rate(labels: set[str], years: list[YearMention], kind: str, ctx: Context) -> bool:
    """Outside a target list, with no year and none of :data:`YEARLESS_EVIDENCE`, only a rate on one of
    its figures ("10 GWh om året") can make a clause of the unit a target (see :func:`rejects_every_clause`)."""
    return not (in_target_list(kind, ctx) or years or not labels.isdisjoint(YEARLESS_EVIDENCE))


#: Cue labels that let :func:`decide` accept a clause with no year and no rate in its unit: a
#: commitment word, "vores mål er", a goal noun (with an end state), a plan's passive ("fastholdes").
YEARLESS_EVIDENCE = COMMIT | {"GOAL_OWN", "GOAL", "PLAN_PASSIVE"}


def rejects_by_cues(labels: set[str], kind: str, ctx: Context) -> bool:
    """The part of :func:`rejects_every_clause` that needs only the live cue labels and the context.

    A projection, tip or done deed with no commitment word anywhere; outside a
    target list a statistic or history word with no commitment word, or another
    body's goal nobody here adopts. The extractor asks this before it reads the
    quantities of a unit at all.
    """
    commits = not labels.isdisjoint(COMMIT)
    if not commits and not labels.isdisjoint(HARD_NEG):
        return True
    if in_target_list(kind, ctx):
        return False
    if not commits and not labels.isdisjoint(SOFT_NEG):
        return True
    if "ADOPT" not in labels:
        if "NEG_OTHER_STRONG" in labels:
            return True
        if "NEG_OTHER" in labels and ("MUNI" not in labels or not (commits or "GOAL_OWN" in labels)):
            return True
    return False


def _initial_year(text: str, clause: Clause) -> bool:
    """The clause or the sentence opens with its year ("I 2030 …", "2030: …")."""
    return bool(_INITIAL_YEAR.match(text[clause.start : clause.end].lstrip())) or bool(
        _INITIAL_YEAR.match(text.lstrip())
    )


def decide(
    text: str,
    clause: Clause,
    cues: list[Cue],
    ctx: Context,
    kind: str,
    year: YearMention | None,
    own_year: bool,
    start: YearMention | None = None,
    siblings: int = 1,
    labels: set[str] | None = None,
    low: str | None = None,
) -> tuple[bool, str]:
    """(is a target, decision rule id).

    Cues are read at three distances from the anchor: its local phrase (up to a
    comma or a subordinating word), its main clause (up to ", og", ", men", ";",
    " – "…) and the sentence. A statistic in the local phrase ("står for 35 %")
    needs a commitment in that same phrase; a commitment in another main clause
    ("…, og det skal vi udnytte") does not make a figure a target. ``labels``, the
    labels of ``cues`` if the caller has them, spares collecting them per clause;
    ``low`` (``fold(text)``, if the caller has it) lets the clause bounds be found
    case-sensitively on lower-cased text.
    """
    a = clause.anchor
    sent = {c.label for c in cues} if labels is None else labels
    if sent:
        if low is not None and not _may_end_main_clause(low[clause.start : clause.end]):
            ms, me = clause.start, clause.end  # what _span finds where no bound can match
        else:
            ms, me = _span(text, low, a.start, a.end, clause.start, clause.end, _STRONG)
        own = {c.label for c in cues if c.start >= ms and c.end <= me}
    else:  # no cue, nothing to weigh where it stands
        ms, me, own = clause.start, clause.end, set()
    if year is None and all(c.rule_id == "cue.binding.maa" for c in cues if c.label in COMMIT):
        own, sent = own - COMMIT, sent - COMMIT  # "må højst være" without a deadline is a rule
    commit_own = bool(own & COMMIT)
    commit = commit_own or (siblings > 1 and bool(sent & COMMIT))
    list_ctx = in_target_list(kind, ctx)
    # the local phrase matters only for a statistic or history word somewhere in the sentence
    if not sent.isdisjoint(SOFT_NEG) and not list_ctx:
        ls, le = _span(text, low, a.start, a.end, clause.start, clause.end, _WEAK)
        local = {c.label for c in cues if c.start >= ls and c.end <= le} & sent
        if local & SOFT_NEG and not local & COMMIT:
            return False, "decide.reject.statistic_or_history"
    by = year is not None and year.role == "by"
    if own & HARD_NEG or (sent & HARD_NEG and not commit_own):
        return False, "decide.reject.projection_tip_or_done"
    # an expectation needs commitment words in the main clause, that is commit_own (a "må" alone is none)
    if commit_own and not list_ctx and _expectation_only(cues, ms, me):
        return False, "decide.reject.expectation"
    if own & SOFT_NEG and not commit_own and not list_ctx:
        return False, "decide.reject.statistic_or_history"
    if sent & SOFT_NEG and not commit and not list_ctx:
        return False, "decide.reject.statistic_or_history"
    if "NEG_OTHER_STRONG" in sent and "ADOPT" not in sent and not list_ctx:
        return False, "decide.reject.other_body"
    if "NEG_OTHER" in sent and not list_ctx:
        adopted = ("MUNI" in own and (commit_own or "GOAL_OWN" in own)) or "ADOPT" in sent
        if not adopted:
            return False, "decide.reject.other_body"
    if a.kind in ("dir", "count"):
        if (
            year is None
            or not own_year
            or year.role not in ("in", "by")
            or STRONG_CROSSING.search(gap(text, a, year))
        ):
            return False, "decide.reject.without_own_deadline"
        if own & SOFT_NEG:
            return False, "decide.reject.statistic_or_history"
        if a.kind == "dir" and within(cues, clause.start, a.start, _MILESTONE):
            return False, "decide.reject.milestone"
        we = any(m.label == "MUNI" and 0 <= a.start - m.end <= 3 for m in cues)
        if commit_own or list_ctx or we or (a.kind == "count" and by):
            return True, f"decide.{a.kind}_deadline"
        return False, "decide.reject.no_commitment"
    if a.kind == "share":
        if year is None and ctx.year is None and start is None:
            return False, "decide.reject.share_without_deadline"
        if within(cues, clause.start, a.start, _MILESTONE) and not list_ctx:
            return False, "decide.reject.milestone"
        future = year is not None and year.year >= NOMINAL_MIN_YEAR
        if commit or list_ctx or by or (future and _initial_year(text, clause)):
            return True, "decide.share_deadline"
        if future and own_year and year.role == "in" and not (sent & (SOFT_NEG | HARD_NEG)):
            return True, "decide.share_nominal"  # "Alle kommunens egne biler kører på el i 2030."
        return False, "decide.reject.no_commitment"
    if commit:
        return True, "decide.commitment"
    if list_ctx:
        return True, "decide.target_list"
    if by:
        return True, "decide.deadline_by"
    if a.kind == "end" and (year is not None or start is not None):
        return True, "decide.end_state_year"
    q = a.quantity
    if q is not None and q.link in ("med", "less", "more") and (year is not None or q.rate):
        verbs = within(cues, clause.start, clause.end, _DIR_VERBS)
        if any(_PRESENT.search(text[v.start : v.end]) for v in verbs):
            return True, "decide.direction_present"
    if "PLAN_PASSIVE" in own and q is not None and (year is not None or q.rate or "DIR_MAINTAIN" in own):
        return True, "decide.plan_passive"
    if "GOAL_OWN" in sent and not (sent & SOFT_NEG):
        return True, "decide.own_goal"
    if "GOAL" in sent and (year is not None or a.kind == "end"):
        return True, "decide.goal_noun"
    if (
        year is not None
        and year.year >= NOMINAL_MIN_YEAR
        and ((q is not None and q.link in ("less", "more")) or _initial_year(text, clause))
    ):
        return True, "decide.nominal_year"
    if q is not None and q.rate and _initial_year(text, clause):
        return True, "decide.rate_from_year"
    return False, "decide.reject.no_commitment"
