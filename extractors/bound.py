"""The best score a unit's candidates could reach, from what is known before its anchors are read.

The pipeline reads a unit's cues, years and evidence words first; its
quantities, anchors and clauses cost more. Before it pays for them it asks:
given what is known, what is the highest logit any candidate of this unit could
get from the model? If even that is below the suggestion band, the unit is
dropped. The answer is computed from the weights, feature by feature:

- a feature whose value is known for the unit (its kind, its list, its
  headings' words) counts with its weight, or not at all;
- a feature that needs something the unit lacks (a cue label, an evidence
  word, a year in the deadline role, a future year) cannot fire and counts 0;
- a scoped cue or evidence label the unit has fires in at least one scope: the
  best sum of its scopes' weights (negative when every scope weighs against);
- a group of which exactly one value fires (the anchor kind, the deadline)
  counts with its best possible value, any other open feature with its weight
  if positive.

So the bound is never below a real candidate's logit (``tests/test_extract_screen``
checks this on every gold unit), and nothing is kept in step by hand: new
features and new weights bound themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from extractors.evidence import (
    ADOPTION_IMPLIES,
    CONTEXT_GROUPS,
    EVIDENCE_LABELS,
    FAMILIES,
    PRESENT_YEAR,
    SCOPED_CUE_LABELS,
    SCOPES,
    UNIT_FEATURES,
    year_bucket,
)

#: Deadline roles a year can give a candidate ("deadline=in.own" …).
DEADLINE_ROLES = ("in", "by", "period_end")
#: Groups of which every candidate has exactly one value.
EXACTLY_ONE = frozenset({"anchor", "deadline"})
_FUTURE_BUCKETS = frozenset({"2024-2029", "2030-2039", "2040+"})
_EVIDENCE = frozenset(EVIDENCE_LABELS)
#: Features that fire only with one of these cue labels in the unit (see extractors.evidence and anchors).
SINGLE_NEEDS = {
    "anchor=end": frozenset({"END_NEUTRAL", "END_PHASE_OUT", "PHASE_VERB"}),
    "end=neutral": frozenset({"END_NEUTRAL"}),
    "end=phase_out": frozenset({"END_PHASE_OUT", "PHASE_VERB"}),
    "anchor=dir": frozenset({"DIR_REDUCE", "DIR_INCREASE"}),
    "anchor=share": frozenset({"STATE"}),
    "muni.before_anchor": frozenset({"MUNI"}),
    "dir.present_tense": frozenset({"DIR_REDUCE", "DIR_INCREASE"}),
    "milestone.before_anchor": frozenset({"MILESTONE"}),
    "commit.expectation_only": frozenset({"ASPIRATION"}),
    "commit.maa_without_year": frozenset({"BINDING"}),
}


@dataclass(frozen=True)
class UnitFacts:
    """What is known of a unit before its anchors: context features, cue and evidence labels, years."""

    context: frozenset[str]
    cue_labels: frozenset[str]
    #: None while the evidence words have not been read (then they count as possible)
    evidence_labels: frozenset[str] | None
    heading_labels: frozenset[str]
    #: (role, year) of every year mention
    years: tuple[tuple[str, int], ...]
    context_year: int | None
    #: may one of its figures carry a rate ("om året", "årligt")? (the quantity finder's pre-test)
    rate_possible: bool = True
    #: distinct future deadline years (counted up to 2), when built from a signature
    future_years: int | None = None
    #: a later sentence of the paragraph takes the unit's requirement up (``next.adopts``): the family
    #: features it implies are possible (``evidence.ADOPTION_IMPLIES``)
    adopted: bool = False

    @property
    def signature(self) -> tuple:
        """Everything but the context features, with the years summarised to what the bound reads:
        (role, bucket) pairs, which roles occur, and whether a year before the present is mentioned."""
        years = tuple(
            sorted(
                {
                    (
                        role,
                        year_bucket(y) if role in DEADLINE_ROLES else "",
                        y < PRESENT_YEAR,
                        y >= PRESENT_YEAR,
                    )
                    for role, y in self.years
                }
            )
        )
        future = len({y for role, y in self.years if role in DEADLINE_ROLES and y >= PRESENT_YEAR})
        return (
            self.cue_labels,
            self.evidence_labels,
            self.heading_labels,
            years,
            min(future, 2),
            None if self.context_year is None else year_bucket(self.context_year),
            self.rate_possible,
            self.adopted,
        )

    @classmethod
    def from_signature(cls, signature: tuple) -> UnitFacts:
        """Facts that read as ``signature`` does (years stand in by a representative of their bucket)."""
        cues, evidence, headings, years, future, context_bucket, rate, adopted = signature
        stand_in = {
            "<2015": 2000,
            "2015-2019": 2017,
            "2020-2023": 2022,
            "2024-2029": 2027,
            "2030-2039": 2035,
            "2040+": 2045,
        }
        rebuilt = []
        for role, bucket, past, _ in years:
            rebuilt.append((role, stand_in[bucket] if bucket else (2000 if past else 2030)))
        return cls(
            context=frozenset(),
            cue_labels=cues,
            evidence_labels=evidence,
            heading_labels=headings,
            years=tuple(rebuilt),
            context_year=None if context_bucket is None else stand_in[context_bucket],
            rate_possible=rate,
            future_years=future,
            adopted=adopted,
        )

    @cached_property
    def deadline_values(self) -> set[str]:
        values = {"none"}
        for role, _ in self.years:
            if role in DEADLINE_ROLES:
                values.add(role)
        if self.context_year is not None:
            values.add("context")
        return values

    @cached_property
    def buckets(self) -> set[str]:
        out = {year_bucket(y) for role, y in self.years if role in DEADLINE_ROLES}
        if self.context_year is not None:
            out.add(year_bucket(self.context_year))
        return out

    def label_possible(self, label: str, around: bool) -> bool:
        if label in self.cue_labels:
            return True
        if label in _EVIDENCE:
            if self.evidence_labels is None or label in self.evidence_labels:
                return True
            return around and label in self.heading_labels
        return False


class Bound:
    """The per-feature bookkeeping of one model's weights, built once."""

    def __init__(self, weights: dict[str, float], bias: float) -> None:
        self.weights = weights
        self.bias = bias

    def best(self, facts: UnitFacts) -> float:
        """The highest logit a candidate with these unit facts could reach (see the module docstring).

        The sum splits into the context's part (known features, summed once per context) and the
        rest, which depends only on the unit's labels and a summary of its years: both are cached,
        since units repeat those far more often than they repeat their text.
        """
        open_unit = self._open_unit_features if facts.evidence_labels is None else 0.0
        return self.bias + self._context_sum(facts.context) + self._rest(facts.signature) + open_unit

    @cached_property
    def _open_unit_features(self) -> float:
        """The unit's summary features, not known while its evidence words are not read: each at best."""
        return sum(max(0.0, self.weights.get(name, 0.0)) for name in UNIT_FEATURES)

    def _context_sum(self, context: frozenset[str]) -> float:
        hit = self._context_cache.get(context)
        if hit is None:
            hit = sum(
                w for name, w in self.weights.items() if self._kind(name)[0] == "context" and name in context
            )
            if len(self._context_cache) > 20_000:
                self._context_cache.clear()
            self._context_cache[context] = hit
        return hit

    def _rest(self, signature: tuple) -> float:
        hit = self._rest_cache.get(signature)
        if hit is None:
            hit = self._rest_of(UnitFacts.from_signature(signature))
            if len(self._rest_cache) > 50_000:
                self._rest_cache.clear()
            self._rest_cache[signature] = hit
        return hit

    def _rest_of(self, facts: UnitFacts) -> float:
        total = 0.0
        groups: dict[str, list[float]] = {}
        scoped: dict[str, list[float]] = {}
        for name, w in self.weights.items():
            kind, key = self._kind(name)
            if kind == "context":
                continue
            if kind == "scoped":
                label = key
                if label in facts.cue_labels or (
                    label in _EVIDENCE and (facts.evidence_labels is None or label in facts.evidence_labels)
                ):
                    scoped.setdefault(label, []).append(w)
            elif kind == "group":
                if self._possible(name, facts):
                    groups.setdefault(key, []).append(w)
            elif self._possible(name, facts):  # a feature of its own
                total += max(0.0, w)
        for label, ws in scoped.items():
            known = (label in SCOPED_CUE_LABELS and label in facts.cue_labels) or (
                facts.evidence_labels is not None and label in facts.evidence_labels
            )
            if known:  # there: it fires in at least one of its scopes
                ws = ws + [0.0] * (len(SCOPES) - len(ws))
                positive = sum(w for w in ws if w > 0)
                total += positive if positive > 0 else max(ws)
            else:  # an evidence label not read yet: it may be anywhere or nowhere
                total += sum(w for w in ws if w > 0)
        for group, ws in groups.items():
            total += max(ws) if group in EXACTLY_ONE else max(0.0, max(ws))
        return total

    @cached_property
    def _context_cache(self) -> dict[frozenset[str], float]:
        return {}

    @cached_property
    def _rest_cache(self) -> dict[tuple, float]:
        return {}

    @cached_property
    def _kinds(self) -> dict[str, tuple[str, str]]:
        out = {}
        for name in self.weights:
            out[name] = self._classify(name)
        return out

    def _kind(self, name: str) -> tuple[str, str]:
        return self._kinds[name]

    @staticmethod
    def _classify(name: str) -> tuple[str, str]:
        if name in CONTEXT_GROUPS or name.split("=", 1)[0] in CONTEXT_GROUPS:
            return "context", name
        if "&" not in name and "@" in name:
            label, scope = name.split("@", 1)
            if scope in ("title", "heading"):
                return "context", name
            if (label in SCOPED_CUE_LABELS and scope in SCOPES) or (label in _EVIDENCE and scope in SCOPES):
                return "scoped", label
        if "&" not in name and "=" in name:
            return "group", name.split("=", 1)[0]
        return "single", name

    def _possible(self, name: str, facts: UnitFacts) -> bool:
        """Could this (non-context, non-scoped) feature fire for some candidate of the unit?"""
        if "&!" in name:
            left, _ = name.split("&!", 1)
            return self._possible(left, facts)
        if "&" in name:
            left, right = name.split("&", 1)
            return self._possible(left, facts) and self._possible(right, facts)
        if "@" in name:
            family, where = name.split("@", 1)
            if family in FAMILIES:
                if facts.adopted and name in ADOPTION_IMPLIES:
                    return True
                around = where == "around"
                return any(facts.label_possible(label, around) for label in FAMILIES[family])
            if name == "future@deadline":
                return bool(facts.buckets & _FUTURE_BUCKETS)
            return True
        if name.startswith("anchor=") and "&" not in name:
            needs = SINGLE_NEEDS.get(name)
            return needs is None or not needs.isdisjoint(facts.cue_labels)
        if name.startswith("deadline.year="):
            return name.split("=", 1)[1] in facts.buckets
        if name.startswith("deadline="):
            role = name.split("=", 1)[1].split(".")[0]
            return role in facts.deadline_values
        needs = SINGLE_NEEDS.get(name)
        if needs is not None:
            return not needs.isdisjoint(facts.cue_labels)
        roles = {role for role, _ in facts.years}
        if name == "year.start":
            return "start" in roles
        if name == "baseline.year":
            return "baseline" in roles
        if name == "year.period":
            return "period_start" in roles
        if name == "year.past_mentioned":
            return any(role in ("in", "bare", "name", "skip") and y < PRESENT_YEAR for role, y in facts.years)
        if name == "opens_with_year":
            return bool(facts.years)
        if name == "deadline.across_clause":
            return bool(facts.deadline_values - {"none", "context"})
        if name == "trajectory":
            if facts.future_years is not None:
                return facts.future_years >= 2
            future = {y for role, y in facts.years if role in DEADLINE_ROLES and y >= PRESENT_YEAR}
            return len(future) >= 2
        if name == "qty.rate":
            return facts.rate_possible
        return True
