"""The fitted scorer: a logistic regression over the named evidence of a candidate.

The weights live in ``extractors/model/weights.json``, written by ``klimamaal
train`` (``extractors.train``) from the gold files, with the digest of the gold
they were fit on, the regularisation and the two thresholds chosen on
cross-validated scores:

- score >= ``target``: a target, pending review as any machine target;
- ``suggestion`` <= score < ``target``: a suggestion (forslag), queued for
  reviewers by score, never exported or compared until a reviewer accepts it;
- below: dropped.

A candidate's score is the logistic of the bias plus the weights of its
features (each feature is present or absent); its contributions are those
weights, which is what the review page shows as "why was this found".

:meth:`Model.best_possible` is the early exit the pipeline takes before it
reads a unit's quantities: the highest score any candidate of the unit could
still reach given what is known of it, computed from the weights
(``extractors.bound``), so the screen can never disagree with the model it
stands for.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import NamedTuple

from extractors.bound import Bound, UnitFacts
from extractors.evidence import Evidence

MODEL_DIR = Path(__file__).resolve().parent / "model"
WEIGHTS_FILE = MODEL_DIR / "weights.json"

BANDS = ("target", "suggestion")
#: How many verdicts a model remembers (cleared when full, as the extractor's other caches are).
_VERDICTS_LIMIT = 50_000
#: How many unit bounds a model remembers (see :meth:`Model.best_possible_for`).
_BOUNDS_LIMIT = 50_000


class Verdict(NamedTuple):
    """What the model says of one candidate: as a target records it."""

    confidence: float
    band: str | None
    evidence: tuple[tuple[str, float, tuple[str, ...]], ...]


@dataclass(frozen=True, eq=False)
class Model:
    """Weights by feature name, the bias and the band thresholds."""

    weights: dict[str, float]
    bias: float
    target: float
    suggestion: float
    meta: dict = field(default_factory=dict)

    def logit(self, features: Iterable[Evidence]) -> float:
        w = self.weights
        return self.bias + sum(w.get(name, 0.0) for name in {e.feature for e in features})

    def score(self, features: Iterable[Evidence]) -> float:
        return _sigmoid(self.logit(features))

    def contributions(self, features: Iterable[Evidence]) -> list[tuple[str, float, tuple[str, ...]]]:
        """(feature, weight, pattern ids) for each distinct feature, strongest first (zero weights left out)."""
        weights = self._rounded
        patterns: dict[str, list[str]] = {}
        for e in features:
            ids = patterns.get(e.feature)
            if ids is None:
                patterns[e.feature] = [e.pattern]
            elif e.pattern not in ids:
                ids.append(e.pattern)
        out = [(name, w, tuple(ids)) for name, ids in patterns.items() if (w := weights.get(name))]
        out.sort(key=_strength)
        return out

    @cached_property
    def _rounded(self) -> dict[str, float]:
        """The weights as a review page shows them (three decimals; features that round to 0 left out)."""
        return {name: r for name, w in self.weights.items() if (r := round(w, 3))}

    def verdict(self, features: Sequence[Evidence]) -> Verdict:
        """The confidence (the score to four places), band and contributions of a candidate.

        What :meth:`score`, :meth:`band` and :meth:`contributions` say, remembered per sequence
        of (feature, pattern id), which is all they read: the candidates of one kind of sentence
        share their evidence exactly (every target of a list of goals, every running statistic),
        within a document and across documents (45 % of the candidates of the 42 real documents of
        the gold, read one after the other, found their verdict remembered), and their targets share
        one evidence tuple. The memory stays when ``pipeline.clear_unit_cache`` clears the units.
        """
        key = tuple(features)
        found = self._verdicts.get(key)
        if found is None:
            score = self.score(features)
            found = Verdict(round(score, 4), self.band(score), tuple(self.contributions(features)))
            if len(self._verdicts) >= _VERDICTS_LIMIT:
                self._verdicts.clear()
            self._verdicts[key] = found
        return found

    @cached_property
    def _verdicts(self) -> dict[tuple[Evidence, ...], Verdict]:
        return {}

    def band(self, score: float) -> str | None:
        if score >= self.target:
            return "target"
        if score >= self.suggestion:
            return "suggestion"
        return None

    @cached_property
    def floor(self) -> float:
        """The lowest score kept (a suggestion's), as a logit: what :meth:`best_possible` is compared with."""
        return _logit(self.suggestion)

    def best_possible(self, facts: UnitFacts) -> float:
        """The highest logit any candidate of a unit with these facts could reach (``extractors.bound``)."""
        return self._bound.best(facts)

    def best_possible_for(self, key: Hashable, facts: Callable[[], UnitFacts]) -> float:
        """:meth:`best_possible` of ``facts()``, remembered per ``key``, which must name everything the
        facts are made of: the extractor's screen names a unit's by a key far cheaper to build than them."""
        found = self._bounds.get(key)
        if found is None:
            found = self.best_possible(facts())
            if len(self._bounds) >= _BOUNDS_LIMIT:
                self._bounds.clear()
            self._bounds[key] = found
        return found

    @cached_property
    def _bounds(self) -> dict[Hashable, float]:
        return {}

    @cached_property
    def _bound(self) -> Bound:
        return Bound(self.weights, self.bias)


def _strength(contribution: tuple[str, float, tuple[str, ...]]) -> float:
    return -abs(contribution[1])


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


def model_from_dict(data: dict) -> Model:
    return Model(
        weights={k: float(v) for k, v in data["weights"].items()},
        bias=float(data["bias"]),
        target=float(data["thresholds"]["target"]),
        suggestion=float(data["thresholds"]["suggestion"]),
        meta={k: v for k, v in data.items() if k not in ("weights", "bias", "thresholds")},
    )


@cache
def load_model(path: Path = WEIGHTS_FILE) -> Model:
    """The model of ``path`` (read once per process)."""
    with Path(path).open(encoding="utf-8") as fh:
        return model_from_dict(json.load(fh))
