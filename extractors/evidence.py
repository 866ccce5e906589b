"""Named evidence for and against a candidate target: what the scorer weighs.

A candidate is one clause with its anchor (a quantity, an end state, an
implicit share, a direction verb). Everything the rules found around it becomes
a feature with a name the weights file knows, and each piece of evidence keeps
the pattern id that produced it, so a reviewer can read why a target was found
("BINDING@clause from cue.modal.skal").

Features know their scope. A cue counts where it stands relative to the anchor:
in its local phrase (up to a comma or a subordinating word), its main clause
(up to ", og", ";", " – "), or only somewhere else in the sentence — a
statistic word in another clause says little about this figure. Topic and
framing words count in the clause, the sentence, and in the headings above
(an agenda item titled "Budgetopfølgning" makes its kroner a budget's).

Nothing here decides: the fitted weights do (``extractors.scorer``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from extractors.anchors import STRONG_CROSSING, Anchor, Clause, gap
from extractors.caseless import Caseless
from extractors.components.types import DENIAL_PREFIX, Cue, YearMention, load_jsonl
from extractors.headings import PRESENT_YEAR
from extractors.segment import Context

COMMIT = frozenset({"BINDING", "INTENT", "ASPIRATION", "ADOPT", "PLAN_CONTENT"})
_MILESTONE = frozenset({"MILESTONE"})
_DIR_VERBS = frozenset({"DIR_REDUCE", "DIR_INCREASE"})
#: Cue labels that say the figure is not a commitment: a projection, a tip, done, proposed, past, achieved,
#: a statistic, a hypothesis (the family "negative").
NEGATIVE_CUES = (
    "NEG_PROJECTION",
    "NEG_TIP",
    "NEG_DONE",
    "NEG_PROPOSAL",
    "NEG_PAST",
    "NEG_ACHIEVED",
    "NEG_STAT",
    "NEG_HYPO",
)
#: Cue labels whose place relative to the anchor is a feature ("BINDING@phrase" ...). Other cue labels
#: (MUNI, ALL, STATE, FOSSIL, VOID ...) feed the anchors and fields, or features of their own below.
SCOPED_CUE_LABELS = frozenset(
    {
        "BINDING",
        "INTENT",
        "ASPIRATION",
        "ADOPT",
        "GOAL",
        "GOAL_OWN",
        "PLAN_PASSIVE",
        "PLAN_CONTENT",
        "DIR_REDUCE",
        "DIR_INCREASE",
        "DIR_MAINTAIN",
        "COMP_LESS",
        "COMP_MORE",
        *NEGATIVE_CUES,
        "NEG_OTHER",
        "NEG_OTHER_STRONG",
        "MILESTONE",
        "PURPOSE",
        "ORIENT",
        "MUNI",
        "RESTATE",
        "APPROX",
        "ADOPTED_PAST",
        "EARLY",
    }
)
#: Topics of climate, energy and the environment (the family "green"), money (loans and fees too), and
#: others that make a figure no climate target (the family "other_topic").
GREEN_TOPICS = (
    "TOPIC_CLIMATE",
    "TOPIC_ENERGY",
    "TOPIC_TRANSPORT",
    "TOPIC_BUILDING",
    "TOPIC_WASTE",
    "TOPIC_WATER",
    "TOPIC_NATURE",
    "TOPIC_AGRI",
    "TOPIC_FOOD",
)
MONEY_TOPICS = ("TOPIC_MONEY", "TOPIC_LOAN", "TOPIC_FEE")
OTHER_TOPICS = ("TOPIC_STAFF", "TOPIC_PLANNING", "TOPIC_SPEED", "TOPIC_SOCIAL")
#: Every label of ``patterns/evidence.jsonl`` but the ``NOT_`` ones, which only cancel others (see
#: :func:`extractors.components.cues.without_denied`).
EVIDENCE_LABELS = tuple(
    dict.fromkeys(
        e["label"] for e in load_jsonl("evidence.jsonl") if not e["label"].startswith(DENIAL_PREFIX)
    )
)
#: The scopes of a cue; the same three names serve the evidence labels.
SCOPES = ("phrase", "clause", "sentence")

_INITIAL_YEAR = re.compile(
    r"^\W{0,3}(?:i|inden|senest(?:\s+i)?|fra|frem\s+mod|ved\s+udgangen\s+af)\s*(?:19|20)\d\d\b|^\W{0,3}(?:19|20)\d\d\s*[:–-]",
    re.I,
)
#: Where the local phrase of an anchor ends: a comma, a colon, a dash, a subordinating word.
_WEAK = Caseless(r",\s|;|:\s|\s[–—-]\s|\s(?:men|selvom|fordi|mens|da|hvis|hvor|hvilket)\s")
#: Where its main clause ends: a coordination of clauses, a semicolon, a dash, a full stop.
_STRONG = Caseless(
    r";|\s[–—-]\s|,\s*(?:og|men|mens|da|fordi|selvom|hvis|så|derfor|hvilket|hvor)\s|\s(?:men|selvom|fordi)\s"
    r"|\sfor\s+at\s"
)
_PRESENT = re.compile(r"(?:es|er)$")
#: "vi forventer", "forventer vi": an expectation, a commitment only in a list of goals.
EXPECTATION_RULES = frozenset({"cue.aspiration.forventer_vi", "cue.aspiration.vi_forventer"})


class Evidence(NamedTuple):
    """One feature of a candidate and the pattern or rule that made it fire.

    A pair, hashable as it is: a sequence of them is the key under which what it implies and
    scores is remembered (see :func:`features`, ``Model.verdict``)."""

    feature: str
    pattern: str


def within(cues: list[Cue], start: int, end: int, labels: frozenset[str] | None = None) -> list[Cue]:
    return [c for c in cues if c.start >= start and c.end <= end and (labels is None or c.label in labels)]


def live_cues(text: str, cues: list[Cue], years: list[YearMention]) -> list[Cue]:
    """Cues that count: not inside a baseline phrase ("af det, de var i 1990"), not voided by a subordinate modal."""
    baselines = [y for y in years if y.role == "baseline"]
    voids = [c for c in cues if c.label == "VOID" and not _opens_sentence(text, c.start)]
    if not baselines and not voids:
        return cues
    out = []
    for c in cues:
        if any(y.expr_start <= c.start and c.end <= y.expr_end for y in baselines):
            continue
        if c.label in COMMIT and any(v.start <= c.start < v.end for v in voids):
            continue
        out.append(c)
    return out


def _opens_sentence(text: str, pos: int) -> bool:
    """ "Der skal …" opening a sentence is an expletive "der", not a relative clause."""
    before = text[max(0, pos - 40) : pos].rstrip(' \t\n"“”»-–•*')
    return not before or before.endswith((":", "."))


#: A mark or word every match of :data:`_STRONG` and of :data:`_WEAK` holds (tested in
#: tests/test_pretests.py): a stretch of lower-cased text without any cannot hold a bound.
_BOUND_LITERALS = {
    id(_STRONG): (",", ";", "-", "–", "—", "men", "selvom", "fordi", "for"),
    id(_WEAK): (",", ";", ":", "-", "–", "—", "men", "selvom", "fordi", " da ", "hvis", "hvor", "hvilket"),
}


def may_hold_bound(low: str, bounds: Caseless) -> bool:
    """Does lower-cased ``low`` hold a mark or word that every match of ``bounds`` holds?"""
    for literal in _BOUND_LITERALS[id(bounds)]:  # noqa: SIM110  (a loop: cheaper than any() here)
        if literal in low:
            return True
    return False


def span_between(text: str, low: str | None, a_start: int, a_end: int, lo: int, hi: int, bounds: Caseless):
    """The stretch around an anchor between the nearest ``bounds`` on either side (within lo:hi)."""
    if low is not None and not may_hold_bound(low[lo:hi], bounds):
        return lo, hi
    if bounds.search(text, low, lo, hi) is None:
        return lo, hi
    left = lo
    for m in bounds.finditer(text, low, lo, a_start):
        left = m.end()
    right = bounds.search(text, low, a_end, hi)
    return left, right.start() if right else hi


def opens_with_year(text: str) -> bool:
    """The text opens with its year ("I 2030 …", "2030: …"): a sentence, or a clause of it."""
    return _INITIAL_YEAR.match(text.lstrip()) is not None


_UNIT_GROUPS = {
    "%": "pct",
    "procentpoint": "pct",
    "tons": "tons",
    "kWh": "energy",
    "MWh": "energy",
    "GWh": "energy",
    "TWh": "energy",
    "MW": "energy",
    "kr": "kr",
    "count": "count",
    "ha": "area",
    "km": "length",
}


def year_bucket(year: int) -> str:
    if year < 2015:
        return "<2015"
    if year < 2020:
        return "2015-2019"
    if year < PRESENT_YEAR:
        return "2020-2023"
    if year < 2030:
        return "2024-2029"
    if year < 2040:
        return "2030-2039"
    return "2040+"


@dataclass(slots=True)
class CandidateInputs:
    """What the features of one candidate are read from (the unit's findings and the clause's years)."""

    text: str
    low: str | None
    clause: Clause
    siblings: int
    cues: list[Cue]
    labels: set[str]
    topics: list[Cue]
    #: The unit's :func:`context_evidence` (the same for every candidate of the unit).
    context: tuple[Evidence, ...]
    ctx: Context
    kind: str
    year: YearMention | None
    own_year: bool
    start: YearMention | None
    years: list[YearMention]
    #: Where the clause this one continues begins, when this one has no verb of its own ("… skal
    #: reduceres med 20 % i 2025 og 60 % i 2030": the second takes the first's verb), else None.
    head_start: int | None = None
    #: For a fragment whose quantity has no link of its own ("… til 55 % i 2025, 60 % i 2030"), the link
    #: of the quantity before it in its series ("til"), which it shares.
    series_link: str | None = None
    #: The unit states values for two or more future years ("55 % i 2025, 60 % i 2030 og 65 % i 2035").
    trajectory: bool = False
    #: Who the sentence is about (see :func:`subject_of`): own, other, impersonal, thing or none.
    subject: tuple[str, str] = ("none", "evidence.subject")
    #: The sentence opens with its year (:func:`opens_with_year` of ``text``, the same for every clause).
    opens_with_year: bool = False
    #: The unit's summary features (:func:`unit_evidence`), the same for every clause.
    unit: tuple[Evidence, ...] = ()


def features(inp: CandidateInputs) -> list[Evidence]:
    """Every feature of a candidate, with the pattern behind each (see the module docstring)."""
    clause, cues = inp.clause, inp.cues
    a: Anchor = clause.anchor
    out: list[Evidence] = []
    add = out.append
    # -- the anchor
    add(Evidence(f"anchor={a.kind}", a.rule_id))
    if a.kind == "end":
        add(Evidence(f"end={a.direction}", a.rule_id))
    for flag in a.flags:
        add(Evidence(f"anchor.{flag}", a.rule_id))
    q = a.quantity
    if q is not None and a.kind in ("qty", "count", "share"):
        unit = "count" if a.kind == "count" else q.unit
        add(Evidence(f"unit={_UNIT_GROUPS.get(unit or '', 'none' if unit is None else 'other')}", q.rule_id))
        add(Evidence(f"qty.kind={q.kind}", q.rule_id))
        link = q.link or inp.series_link
        add(Evidence(f"qty.link={link or 'none'}", q.rule_id))
        if q.bound:
            add(Evidence("qty.bound", q.rule_id))
        if q.rate:
            add(Evidence("qty.rate", q.rule_id))
    # -- cues where they stand
    if cues:
        _scoped_cues(inp, add)
    # -- topic and framing words: clause and sentence, and the headings above
    if inp.topics:
        _scoped_topics(inp, add)
    out.extend(inp.context)
    out.extend(inp.unit)
    named = _named_goal(inp)
    if named is not None:
        add(Evidence("goal.names_anchor", named))
    # -- time
    _time(inp, add)
    add(Evidence(f"subject={inp.subject[0]}", inp.subject[1]))
    # -- what follows from the features so far and the clause's shape (families, conjunctions …)
    key = (
        tuple(out),
        a.kind,
        a.rule_id,
        inp.trajectory,
        inp.siblings > 1,
        inp.head_start is not None,
        clause.end - clause.start > 300,
    )
    derived = _DERIVED.get(key)
    if derived is None:
        derived = _derived(out, *key[1:])
        if len(_DERIVED) >= _DERIVED_LIMIT:
            _DERIVED.clear()
        _DERIVED[key] = derived
    out.extend(derived)
    return out


#: The derived features per (features so far, the clause's shape): see
#: :func:`features`. Candidates of one kind of sentence share them, within a document and across
#: documents (like the cue words, they stay when ``pipeline.clear_unit_cache`` clears the units).
_DERIVED: dict[tuple, tuple[Evidence, ...]] = {}
_DERIVED_LIMIT = 50_000


def _derived(
    found: list[Evidence],
    anchor_kind: str,
    anchor_rule: str,
    trajectory: bool,
    several: bool,
    fragment: bool,
    long: bool,
) -> tuple[Evidence, ...]:
    """The features that follow from ``found`` (families and their conjunctions, the anchor kind with
    the deadline) and from the clause's shape, in order: they read the names and patterns of
    ``found`` and nothing else of the candidate."""
    out: list[Evidence] = []
    add = out.append
    # -- families and the few conjunctions a linear score needs
    _families(found, add)
    deadline = next((e.feature.split("=", 1)[1] for e in found if e.feature.startswith("deadline=")), "none")
    add(Evidence(f"anchor={anchor_kind}&deadline={deadline.split('.')[0]}", anchor_rule))
    if trajectory:
        add(Evidence("trajectory", "anchors.split_clauses"))
    # -- the clause
    if several:
        add(Evidence("clauses.several", "anchors.split_clauses"))
    if fragment:
        add(Evidence("clause.fragment", "anchors.split_clauses"))
    if long:
        add(Evidence("clause.long", "anchors.split_clauses"))
    return tuple(out)


#: Families of features: any one of them makes the family fire in that scope.
FAMILIES = {
    "commit": frozenset(
        {"BINDING", "INTENT", "ASPIRATION", "ADOPT", "SUBJ_OWN", "PLAN_PASSIVE", "PLAN_CONTENT"}
    ),
    "goal": frozenset({"GOAL", "GOAL_OWN", "GOAL_OF"}),
    "green": frozenset(GREEN_TOPICS),
    "money": frozenset(MONEY_TOPICS),
    "other_topic": frozenset(OTHER_TOPICS),
    "negative": frozenset(NEGATIVE_CUES),
    "other_body": frozenset({"NEG_OTHER", "NEG_OTHER_STRONG", "SUBJ_OTHER", "FRAME_LAW"}),
    "own": frozenset({"SUBJ_OWN", "GOAL_OWN", "ADOPT", "MUNI"}),
}
#: Where a family counts: in the anchor's phrase or clause ("near"), or anywhere around it, headings included.
_NEAR = ("phrase", "clause")
_AROUND = ("phrase", "clause", "sentence", "title", "heading")
#: Pairs of families (or single features) whose joint presence is evidence of its own.
CONJUNCTIONS = (
    ("commit@near", "green@around"),
    ("goal@near", "green@around"),
    ("future@deadline", "green@around"),
    ("future@deadline", "commit@near"),
    ("future@deadline", "goal@near"),
    ("anchor=end", "goal@near"),
    ("anchor=end", "commit@near"),
    ("unit=pct", "green@near"),
    ("unit=kr", "green@near"),
    ("unit=kr", "commit@near"),
    ("unit=count", "green@near"),
    ("money@around", "commit@near"),
    ("negative@near", "commit@near"),
    # a goal named in a status or progress sentence ("… i gang for at nå målene om 49 % i 2025")
    ("negative@around", "goal@near"),
    # what another body commits to looks like a target in every other way
    ("subject=other", "future@deadline"),
    ("subject=other", "commit@near"),
    ("subject=other", "goal@near"),
    ("subject=other", "anchor=end"),
    # another body's requirement or goal, taken up by a later sentence of the paragraph ("planens mål er at
    # opfylde kravene"): the municipality's own
    ("other_body@around", "next.adopts"),
    # "Det svarer til en reduktion på 68 % i forhold til 1990" right after a goal with a year says that
    # goal again in other units; after a statistic it says the statistic again
    ("RESTATE@phrase", "previous.goal_with_year"),
)
#: A family near the anchor with none of another: evidence a sum of weights cannot express ("the
#: subject is another body and nothing here makes it the municipality's", "money and no climate").
EXCLUSIONS = (
    ("other_body@near", "own@near"),
    ("money@near", "green@near"),
    ("negative@near", "commit@near"),
    ("other_topic@near", "green@near"),
)


#: "Kravet skærpes til 60 % i 2030. Planens mål er at opfylde kravet": the later sentence makes another
#: body's requirement the municipality's own. ``next.adopts`` implies the own family near the anchor
#: and around it, so ``other_body@near&!own@near`` does not fire on a requirement the plan takes up
#: (annotation guide: adopted targets of others count); the screen's bound reads the same names.
ADOPTION_IMPLIES = ("own@near", "own@around")
#: The labels an adopted unit counts as holding in :func:`unit_evidence`: ADOPT is in the own and the
#: commit families, so neither ``unit.other_body&!own`` nor ``unit.!commit&!goal`` fires on it.
ADOPTION_LABELS = frozenset({"ADOPT"})


@lru_cache(maxsize=8192)
def _implied(feature: str) -> tuple[str, ...]:
    """The family and summary names a feature implies ("TOPIC_WASTE@clause" -> "green@near",
    "green@around"; "deadline.year=2030-2039" -> "future@deadline"), remembered per feature name."""
    label, _, scope = feature.partition("@")
    if not scope:
        if feature == ADOPTS:
            return (feature, *ADOPTION_IMPLIES)
        if feature.startswith("deadline.year=") and feature.split("=", 1)[1] in _FUTURE:
            return (feature, "future@deadline")
        return (feature,)
    out = []
    for family in _FAMILIES_OF.get(label, ()):
        if scope in _NEAR:
            out.append(f"{family}@near")
        if scope in _AROUND:
            out.append(f"{family}@around")
    return tuple(out)


_FUTURE = frozenset({"2024-2029", "2030-2039", "2040+"})
_FAMILIES_OF: dict[str, tuple[str, ...]] = {}
for _family, _labels in FAMILIES.items():
    for _label in _labels:
        _FAMILIES_OF[_label] = (*_FAMILIES_OF.get(_label, ()), _family)


def _families(found: list[Evidence], add) -> None:
    """Family features ("green@near", "money@around" …) and the :data:`CONJUNCTIONS` they take part in."""
    present: dict[str, str] = {}
    for e in found:
        for name in (e.feature, *_implied(e.feature)):
            if name not in present:
                present[name] = e.pattern
    for name, pattern in present.items():
        if "@" in name and name.partition("@")[0] in FAMILIES:
            add(Evidence(name, pattern))
    for left, right in CONJUNCTIONS:
        if left in present and right in present:
            add(Evidence(f"{left}&{right}", present[left]))
    for left, right in EXCLUSIONS:
        if left in present and right not in present:
            add(Evidence(f"{left}&!{right}", present[left]))


#: The finite verb of a main clause: what the subject stands before (or, after a fronted phrase, after).
_FINITE_MAIN = Caseless(
    r"\b(?:har|havde|skal|skulle|vil|ville|er|var|bliver|blev|kan|kunne|må|bør|burde|ønsker|forventer|foreslår|"
    r"foreslog|lægger|lagde|arbejder|vedtog|besluttede|godkendte|satte|sætter|sigter|forpligter|følger|"
    r"bakker|tilslutter|viser|udgør|står|stod|når|nåede|opnår|sparer|reducerer|halverer|øger|planter)\b"
)
#: A sentence opening with an adverbial puts its subject after the verb ("I 2030 skal kommunen …").
#: Matched at the subject's clause start (no "^": match() anchors at pos).
_FRONTED = Caseless(
    r"\W*(?:i|inden|senest|fra|frem|derfor|samtidig|med|for|ved|allerede|her|nu|som|ligesom|efter|over|under|"
    r"til|af|hvis|når|på|gennem|desuden|endvidere|herudover|dermed|således|på\s+sigt|\d{4}\b)"
)
_IMPERSONAL = frozenset({"det", "der", "man", "dette", "den", "de", "disse"})
_OWN_LABELS = frozenset({"MUNI", "SUBJ_OWN", "GOAL_OWN"})
_OTHER_LABELS = frozenset({"NEG_OTHER", "NEG_OTHER_STRONG", "SUBJ_OTHER", "NEG_PROPOSAL"})


#: A preposition right before a word: the word is in a phrase, not the subject.
_IN_PHRASE = re.compile(r"\b(?:i|fra|på|af|for|til|med|hos|ved|blandt)\s+$", re.I)


#: A quotation's attribution at the end of its sentence ("…, siger borgmesteren", "«…», sagde
#: klimaministeren"): the speaker is who the sentence is about, whatever its "vi" says.
#: The verbs of an attribution; a sentence without one of them is not read for it.
_SAID = (
    "siger",
    "sagde",
    "fortæller",
    "fortalte",
    "udtaler",
    "udtalte",
    "oplyser",
    "oplyste",
    "skriver",
    "skrev",
)
_ATTRIBUTION = re.compile(
    r"[,»«”“\"’–-]\s*(?:" + "|".join(_SAID) + r")\s+(?P<speaker>[^.!?]{1,100})[.!?]?\s*$", re.I
)


def _speaker(text: str, low: str | None, cues: list[Cue], topics: list[Cue]) -> tuple[str, str] | None:
    """Who a quotation is attributed to, when its sentence ends naming them: "own" (the mayor, the
    municipality) or "other" (a minister, a company); None without an attribution or a known speaker."""
    lowered = low if low is not None else text.lower()
    if not any(word in lowered for word in _SAID):
        return None
    said = _ATTRIBUTION.search(text)
    if said is None:
        return None
    speaker = [c for c in (*cues, *topics) if c.start >= said.start("speaker")]
    for c in speaker:
        if c.label in _OTHER_LABELS:
            return "other", c.rule_id
    for c in speaker:
        if c.label in _OWN_LABELS:
            return "own", c.rule_id
    return None


def subject_of(
    text: str, low: str | None, cues: list[Cue], topics: list[Cue], begin: int = 0
) -> tuple[str, str]:
    """Who a sentence (or its clause from ``begin``) is about, from the words in its subject position:
    the municipality or "vi" ("own"), another body, a proposal ("other"), "det"/"der"/"man"
    ("impersonal"), a thing ("udledningen skal …": "thing"), or "none" when no finite verb is found
    (a list fragment).

    Danish puts the finite verb second: the subject stands before it, or right after it when
    the sentence opens with an adverbial ("Senest i 2030 skal kommunen …").
    """
    if begin == 0:
        speaker = _speaker(text, low, cues, topics)
        if speaker is not None:
            return speaker
    verb = _FINITE_MAIN.search(text, low, begin, min(len(text), begin + 160))
    if verb is None:
        return "none", "evidence.subject"
    colon = text.rfind(":", begin, verb.start())
    if colon >= 0 and any(c.label in _OTHER_LABELS and begin <= c.start < colon for c in (*cues, *topics)):
        # "… går videre end de nationale krav: Her er målet, at …": another body named before a colon is
        # no subject of the clause after it ("Nordfyns Kommune: Målet er …" still names whose goal)
        return subject_of(text, low, cues, topics, colon + 1)
    if STRONG_CROSSING.search(text, begin, verb.start()):
        # the verb found opens a later clause ("Over 90 % af borgerne bor i byer, og det skal vi …"):
        # the first clause has a verb the list does not know, and its subject is no cue of ours
        return "thing", "evidence.subject"
    inverted = _FRONTED.match(text, low, begin, verb.start()) is not None or verb.start() == begin
    if inverted:
        start = verb.end()
        end = min(len(text), start + 40)
    else:
        start, end = begin, verb.start()
    found = [c for c in (*cues, *topics) if c.start >= start and c.end <= end + 12]
    for c in found:
        if c.label in _OTHER_LABELS:
            return "other", c.rule_id
    for c in found:
        # after the verb, the subject comes first: "… vil udledningen fra transport i kommunen falde"
        # names the municipality in a phrase of the subject, not as it
        if c.label in _OWN_LABELS and not (
            inverted and _IN_PHRASE.search(text, max(0, c.start - 12), c.start)
        ):
            return "own", c.rule_id
    words = text[start:end].split()
    if words and words[0].strip(",.").lower() in _IMPERSONAL:
        return "impersonal", "evidence.subject"
    return "thing", "evidence.subject"


def context_evidence(
    ctx: Context,
    kind: str,
    neighbours: tuple[str, ...],
    title_topics: tuple[tuple[str, str], ...],
    heading_topics: tuple[tuple[str, str], ...],
) -> list[Evidence]:
    """The features a unit's place gives every candidate in it: its kind, the list or heading it is
    under, what the sentences around it in its paragraph say (``neighbours``, of
    :data:`NEIGHBOUR_FEATURES`), the words of its headings. Known before anything is read of the unit
    (see :func:`context_features`)."""
    out = [Evidence(f"kind={kind}", "segment.kind")]
    if ctx.genre:
        out.append(Evidence(f"doc={ctx.genre}", "segment.genre_of"))
    if ctx.target_list:
        out.append(Evidence("ctx.target_list", "segment.target_list"))
    if ctx.interim:
        out.append(Evidence("ctx.interim", "segment.interim"))
    if ctx.in_list:
        out.append(Evidence("ctx.in_list", "segment.in_list"))
    if ctx.scope:
        out.append(Evidence("ctx.scope", "segment.scope"))
    out.extend(Evidence(name, f"pipeline.{name}") for name in neighbours)
    out.extend(Evidence(f"{label}@title", pattern) for label, pattern in title_topics)
    out.extend(Evidence(f"{label}@heading", pattern) for label, pattern in heading_topics)
    return out


#: The feature groups :func:`context_evidence` decides (present or absent) for every unit.
#: What a whole unit (a sentence, an item) says before its anchors are read: its cue and evidence words
#: and its years, summed up. Every candidate of the unit has the same, and the screen knows them exactly.
UNIT_FEATURES = (
    "unit.negative&!commit",
    "unit.other_body&!own",
    "unit.money&!green",
    "unit.other_topic&!green",
    "unit.past_years_only",
    "unit.!commit&!goal",
)


def unit_evidence(
    labels: Iterable[str],
    evidence_labels: Iterable[str],
    years: Iterable[tuple[str, int]],
    context_year,
    adopted: bool = False,
) -> tuple[Evidence, ...]:
    """The :data:`UNIT_FEATURES` of a unit with these live cue labels, evidence words and (role, year)s.

    A statistic or a projection with no commitment anywhere in the sentence, another body's
    goal with nothing of the municipality's, money with no climate word, figures for past years
    only: what the finer features say clause by clause, said once for the sentence, so the
    screen can weigh it before the anchors are read (``extractors.bound``). ``adopted``: a later
    sentence of the paragraph takes the unit's requirement or goal up (``next.adopts``), which
    makes it the municipality's own and a commitment (see :data:`ADOPTION_IMPLIES`).
    """
    present = set(labels) | set(evidence_labels)
    if adopted:
        present.update(ADOPTION_LABELS)
    commit = not present.isdisjoint(FAMILIES["commit"])
    goal = not present.isdisjoint(FAMILIES["goal"])
    green = not present.isdisjoint(FAMILIES["green"])
    out = []
    if not present.isdisjoint(FAMILIES["negative"]) and not commit:
        out.append(Evidence("unit.negative&!commit", "unit.cues"))
    if not present.isdisjoint(FAMILIES["other_body"]) and present.isdisjoint(FAMILIES["own"]):
        out.append(Evidence("unit.other_body&!own", "unit.cues"))
    if not present.isdisjoint(FAMILIES["money"]) and not green:
        out.append(Evidence("unit.money&!green", "unit.evidence"))
    if not present.isdisjoint(FAMILIES["other_topic"]) and not green:
        out.append(Evidence("unit.other_topic&!green", "unit.evidence"))
    dated = [y for role, y in years if role in ("in", "by", "period_end", "bare", "start")]
    if dated and max(dated) < PRESENT_YEAR and (context_year is None or context_year < PRESENT_YEAR):
        out.append(Evidence("unit.past_years_only", "unit.years"))
    if not commit and not goal:
        out.append(Evidence("unit.!commit&!goal", "unit.cues"))
    return tuple(out)


#: What the sentences around a unit in its paragraph may say of it: the one before stated a goal with a
#: year (a restatement may continue it); a later one takes up a goal or requirement ("Planens mål er at
#: opfylde kravene"). The pipeline reads them (``pipeline._run``).
NEIGHBOUR_FEATURES = ("previous.goal_with_year", "next.adopts")
ADOPTS = NEIGHBOUR_FEATURES[1]

CONTEXT_GROUPS = frozenset(
    {"kind", "doc", "ctx.target_list", "ctx.interim", "ctx.in_list", "ctx.scope", *NEIGHBOUR_FEATURES}
    | {f"{label}@{where}" for label in EVIDENCE_LABELS for where in ("title", "heading")}
    | set(UNIT_FEATURES)
)


def heading_labels(finder, heading: str | None) -> tuple[tuple[str, str], ...]:
    """(label, pattern id) of the evidence words in a heading, each label once (``finder`` is the
    evidence component's cached reader of headings; one answer per heading is remembered)."""
    if not heading:
        return ()
    return _heading_labels(finder, heading)


@lru_cache(maxsize=4096)
def _heading_labels(finder, heading: str) -> tuple[tuple[str, str], ...]:
    seen: dict[str, str] = {}
    for c in finder(heading):
        seen.setdefault(c.label, c.rule_id)
    return tuple(seen.items())


def context_features(
    ctx: Context, kind: str, neighbours: tuple[str, ...], heading_finder
) -> tuple[frozenset[str], set[str]]:
    """(the groups :func:`context_evidence` decides, the features of them that fire) for a unit."""
    title = heading_labels(heading_finder, ctx.title)
    heading = heading_labels(heading_finder, ctx.heading) if ctx.heading != ctx.title else ()
    return CONTEXT_GROUPS, {e.feature for e in context_evidence(ctx, kind, neighbours, title, heading)}


def _scoped_cues(inp: CandidateInputs, add) -> None:
    text, low, clause, cues = inp.text, inp.low, inp.clause, inp.cues
    a = clause.anchor
    ms, me = span_between(text, low, a.start, a.end, clause.start, clause.end, _STRONG)
    ls, le = span_between(text, low, a.start, a.end, ms, me, _WEAK)
    if inp.head_start is not None:
        ms = min(ms, inp.head_start)  # a fragment's main clause is the clause it continues
    seen: set[str] = set()
    for c in cues:
        if c.label not in SCOPED_CUE_LABELS:
            continue
        if ls <= c.start and c.end <= le:
            scope = "phrase"
        elif ms <= c.start and c.end <= me:
            scope = "clause"
        else:
            scope = "sentence"
        name = f"{c.label}@{scope}"
        if name not in seen:
            seen.add(name)
            add(Evidence(name, c.rule_id))
    commits = within(cues, ms, me, COMMIT)
    if commits and all(c.rule_id in EXPECTATION_RULES for c in commits):
        add(Evidence("commit.expectation_only", commits[0].rule_id))
    if inp.year is None and commits and all(c.rule_id == "cue.binding.maa" for c in commits):
        add(Evidence("commit.maa_without_year", "cue.binding.maa"))
    for c in cues:
        if c.label == "MUNI" and 0 <= a.start - c.end <= 3:
            add(Evidence("muni.before_anchor", c.rule_id))
            break
    if a.kind == "dir" or (a.quantity is not None and a.quantity.link in ("med", "less", "more")):
        for v in within(cues, clause.start, clause.end, _DIR_VERBS):
            if _PRESENT.search(text[v.start : v.end]):
                add(Evidence("dir.present_tense", v.rule_id))
                break
    # an action verb before the figure ("etablere 40 ladestandere") makes the figure its object; one
    # whose content follows in an at-clause ("sikre, at 80 % …", "vedtaget, at …") frames a goal
    if any(
        not _AT_CLAUSE.search(text, m.end, a.start) for m in within(cues, clause.start, a.start, _MILESTONE)
    ):
        add(Evidence("milestone.before_anchor", "cue.milestone.verb"))


#: An at-clause opened after a verb: what follows is the verb's content, not its object.
_AT_CLAUSE = re.compile(r"(?:,\s*|\s)(?:for\s+)?at\s")


#: How far before its anchor a goal noun may stand and still name it ("Målet om at reducere
#: energiforbruget i de kommunale bygninger med 2 % …").
_NAMED_GOAL_REACH = 70


def _named_goal(inp: CandidateInputs) -> str | None:
    """The pattern of the goal noun whose content the anchor is ("Målet om 60 % økologi er ikke nået",
    "for at nå målet om, at 40 % af …", "målsætningen er 50 %"), close before it in the same clause;
    None if there is none. A status sentence or a purpose names a goal this way, and the guide counts
    it: what the sentence says of the goal (met, missed, to be reached) does not make it less one."""
    a = inp.clause.anchor
    for t in inp.topics:
        if (
            t.label == "GOAL_OF"
            and t.end <= a.start <= t.end + _NAMED_GOAL_REACH
            and _STRONG.search(inp.text, inp.low, t.end, a.start) is None
        ):
            return t.rule_id
    return None


def _scoped_topics(inp: CandidateInputs, add) -> None:
    clause = inp.clause
    start = clause.start if inp.head_start is None else min(clause.start, inp.head_start)
    seen: set[str] = set()
    for c in inp.topics:
        scope = "clause" if start <= c.start and c.end <= clause.end else "sentence"
        name = f"{c.label}@{scope}"
        if name not in seen:
            seen.add(name)
            add(Evidence(name, c.rule_id))


def _time(inp: CandidateInputs, add) -> None:
    text, clause, year = inp.text, inp.clause, inp.year
    a = clause.anchor
    ctx = inp.ctx
    if year is not None:
        where = "own" if inp.own_year else "shared"
        add(Evidence(f"deadline={year.role}.{where}", year.rule_id))
        add(Evidence(f"deadline.year={year_bucket(year.year)}", year.rule_id))
        if inp.own_year and STRONG_CROSSING.search(gap(text, a, year)):
            add(Evidence("deadline.across_clause", year.rule_id))
    elif ctx.year is not None:
        add(Evidence("deadline=context", "context.header_year"))
        add(Evidence(f"deadline.year={year_bucket(ctx.year)}", "context.header_year"))
    else:
        add(Evidence("deadline=none", "years"))
    if inp.start is not None:
        add(Evidence("year.start", inp.start.rule_id))
    if any(y.role == "baseline" for y in clause.years):
        add(Evidence("baseline.year", "years.baseline"))
    period = next((y for y in clause.years if y.role == "period_start"), None)
    if period is not None:
        add(Evidence("year.period", period.rule_id))
    chosen = year.start if year is not None else -1
    for y in inp.years:
        if y.start != chosen and y.role in ("in", "bare", "name", "skip") and y.year < PRESENT_YEAR:
            add(Evidence("year.past_mentioned", y.rule_id))
            break
    if inp.opens_with_year or opens_with_year(
        text[clause.start : clause.end]
    ):  # the sentence's or the clause's
        add(Evidence("opens_with_year", "decide.initial_year"))
