"""The target record: one commitment found in a text, with where it was found and why.

This is the contract between the extractor, the database and the scorer. It
mirrors ``shared/docs/gold-format.md`` (the keys a gold target has) and adds the
fields reviewers and analysts compare on (sector, scope, strength, interim...).
Validation lives here so that every producer of targets, machine or reviewer,
is held to the same vocabulary.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

DIRECTIONS = ("reduce", "increase", "reach", "maintain", "neutral", "phase_out")
BOUNDS = ("at_least", "at_most")
DEADLINE_KINDS = ("in", "by")
STRENGTHS = ("binding", "intent", "aspiration")
SCOPES = ("area", "organisation", "utility")
RATES = ("per_year",)
#: A target the scorer is sure of, or a suggestion (forslag) for a reviewer to decide.
BANDS = ("target", "suggestion")
#: An outcome target, or money a climate plan commits to climate action (kept apart in comparisons).
KINDS = ("outcome", "resource")
SECTORS = (
    "energi",
    "transport",
    "bygninger",
    "affald",
    "landbrug",
    "natur",
    "vand",
    "fødevarer",
    "organisation",
    "tværgående",
)

#: The keys of a target in the gold format, in the order the format lists them.
GOLD_KEYS = (
    "quote",
    "value",
    "unit",
    "direction",
    "bound",
    "metric",
    "target_year",
    "deadline_kind",
    "baseline_year",
)


class TargetValidationError(ValueError):
    """A target field holds a value outside its vocabulary or range."""


def _check_choice(name: str, value: str | None, choices: tuple[str, ...]) -> None:
    if value is not None and value not in choices:
        raise TargetValidationError(f"{name}={value!r} is not one of {', '.join(choices)}")


def _check_year(name: str, value: int | None) -> None:
    if value is not None and not (1900 <= value <= 2100):
        raise TargetValidationError(f"{name}={value!r} is outside 1900-2100")


#: Each choice field with its vocabulary and None (unset), as a frozenset: one hashed membership test
#: per field on the common path; :func:`_check_choice` runs only to name a field that fails.
_CHOICE_FIELDS = (
    ("direction", DIRECTIONS),
    ("bound", BOUNDS),
    ("deadline_kind", DEADLINE_KINDS),
    ("strength", STRENGTHS),
    ("scope", SCOPES),
    ("rate", RATES),
    ("sector", SECTORS),
)
_ALLOWED = {name: frozenset((*choices, None)) for name, choices in _CHOICE_FIELDS}
_DIRECTION_OK, _BOUND_OK, _DEADLINE_OK, _STRENGTH_OK, _SCOPE_OK, _RATE_OK, _SECTOR_OK = (
    _ALLOWED[name] for name, _ in _CHOICE_FIELDS
)


def _year_ok(value: int | None) -> bool:
    """What :func:`_check_year` accepts (and it raises the same TypeError for a value that is no number)."""
    return value is None or 1900 <= value <= 2100


@dataclass(frozen=True, slots=True)
class Target:
    """A climate or environment target stated in a text.

    ``start``/``end`` are character offsets into the text the extractor was
    given, and ``text[start:end] == quote`` always holds for machine targets.
    """

    start: int
    end: int
    quote: str
    value: float | None = None
    unit: str | None = None
    direction: str | None = None
    bound: str | None = None
    metric: str | None = None
    target_year: int | None = None
    deadline_kind: str | None = None
    baseline_year: int | None = None
    baseline_label: str | None = None
    start_year: int | None = None
    rate: str | None = None
    sector: str | None = None
    scope: str | None = None
    strength: str | None = None
    interim: bool = False
    rule_ids: tuple[str, ...] = field(default_factory=tuple)
    #: The scorer's calibrated probability that this is a target (see ``extractors.scorer``).
    confidence: float = 0.0
    band: str = "target"
    kind: str = "outcome"
    #: (feature, weight, pattern ids) behind the score, strongest first: why it was found.
    evidence: tuple[tuple[str, float, tuple[str, ...]], ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise TargetValidationError(f"bad span {self.start}:{self.end}")
        if not self._choices_ok():
            for name, choices in _CHOICE_FIELDS:  # the first field that fails raises, as it always did
                _check_choice(name, getattr(self, name), choices)
        if not (_year_ok(self.target_year) and _year_ok(self.baseline_year) and _year_ok(self.start_year)):
            _check_year("target_year", self.target_year)
            _check_year("baseline_year", self.baseline_year)
            _check_year("start_year", self.start_year)
        if self.band not in BANDS:
            raise TargetValidationError(f"band={self.band!r} is not one of {', '.join(BANDS)}")
        if self.kind not in KINDS:
            raise TargetValidationError(f"kind={self.kind!r} is not one of {', '.join(KINDS)}")
        if not 0.0 <= self.confidence <= 1.0:
            raise TargetValidationError(f"confidence={self.confidence!r} is outside 0-1")

    def _choices_ok(self) -> bool:
        """Every choice field holds a word of its vocabulary or None (False for an unhashable value,
        which no vocabulary holds: :func:`_check_choice` then rejects it by name)."""
        try:
            return (
                self.direction in _DIRECTION_OK
                and self.bound in _BOUND_OK
                and self.deadline_kind in _DEADLINE_OK
                and self.strength in _STRENGTH_OK
                and self.scope in _SCOPE_OK
                and self.rate in _RATE_OK
                and self.sector in _SECTOR_OK
            )
        except TypeError:
            return False

    def to_dict(self) -> dict[str, Any]:
        """All fields as plain JSON-ready values (rule ids as a list)."""
        data = asdict(self)
        data["rule_ids"] = list(self.rule_ids)
        data["evidence"] = [{"feature": f, "weight": w, "patterns": list(p)} for f, w, p in self.evidence]
        return data

    def to_gold(self) -> dict[str, Any]:
        """The keys of the gold format (plus offsets), as `klimamaal extract --jsonl` writes them."""
        data = self.to_dict()
        return {"start": self.start, "end": self.end, **{k: data[k] for k in GOLD_KEYS}} | {
            k: data[k] for k in data if k not in GOLD_KEYS and k not in ("start", "end")
        }
