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
still reach given the cue labels it has, computed from the weights, so the
screen can never disagree with the model it stands for.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from extractors.evidence import SCOPED_CUE_LABELS, SCOPES, Evidence

MODEL_DIR = Path(__file__).resolve().parent / "model"
WEIGHTS_FILE = MODEL_DIR / "weights.json"

BANDS = ("target", "suggestion")


def _group(feature: str) -> str:
    """Features of one group are exclusive (one anchor kind, one unit, one deadline …): the part before "="."""
    return feature.split("=", 1)[0] if "=" in feature else feature


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
        patterns: dict[str, list[str]] = {}
        for e in features:
            patterns.setdefault(e.feature, [])
            if e.pattern not in patterns[e.feature]:
                patterns[e.feature].append(e.pattern)
        out = [
            (name, round(self.weights.get(name, 0.0), 3), tuple(ids))
            for name, ids in patterns.items()
            if self.weights.get(name, 0.0) != 0.0
        ]
        out.sort(key=lambda t: -abs(t[1]))
        return out

    def band(self, score: float) -> str | None:
        if score >= self.target:
            return "target"
        if score >= self.suggestion:
            return "suggestion"
        return None

    @property
    def floor(self) -> float:
        """The lowest score kept (a suggestion's), as a logit: what :meth:`best_possible` is compared with."""
        return _logit(self.suggestion)

    def best_possible(self, known_groups: Iterable[str], present: Iterable[str], cue_labels: set[str]) -> float:
        """The highest logit a candidate of a unit could reach, from what is known before its anchors.

        ``known_groups`` are the feature groups already determined (the unit's kind, its
        context, its headings' topics) and ``present`` the features of those that fire.
        Every other group counts with its best weight (or 0: it may not fire). A scoped cue
        label present in the unit fires in at least one scope (the best sum of its scopes'
        weights, which may be negative); one absent fires in none.
        """
        best = self._group_best
        bound = self.bias + self._open_groups_best
        for group in known_groups:
            bound -= best.get(group, 0.0)
        for name in present:
            bound += self.weights.get(name, 0.0)
        for label in cue_labels & SCOPED_CUE_LABELS:
            bound += self._cue_best[label]
        return bound

    @property
    def _group_best(self) -> dict[str, float]:
        return _group_bests(self)[0]

    @property
    def _open_groups_best(self) -> float:
        return _group_bests(self)[1]

    @property
    def _cue_best(self) -> dict[str, float]:
        return _group_bests(self)[2]


@cache
def _group_bests(model: Model) -> tuple[dict[str, float], float, dict[str, float]]:
    """Per group the best weight (at least 0: a group may not fire); their sum over the non-cue groups; and
    for each scoped cue label the best it adds when present (at least one of its scopes fires)."""
    best: dict[str, float] = {}
    cue_scopes: dict[str, list[float]] = {label: [] for label in SCOPED_CUE_LABELS}
    for name, w in model.weights.items():
        label, _, scope = name.partition("@")
        if label in SCOPED_CUE_LABELS and scope in SCOPES:
            cue_scopes[label].append(w)
            continue
        if "@" in name:  # evidence labels: each feature its own group
            best[name] = max(best.get(name, 0.0), w)
            continue
        group = _group(name)
        best[group] = max(best.get(group, 0.0), w)
    cue_best = {}
    for label, ws in cue_scopes.items():
        ws = ws + [0.0] * (len(SCOPES) - len(ws))  # a scope without a weight weighs 0
        positive = sum(w for w in ws if w > 0)
        cue_best[label] = positive if positive > 0 else max(ws)
    return best, sum(best.values()), cue_best


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
