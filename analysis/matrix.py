"""The matrix: per municipality the headline target, the neutrality year and a cell per DK2020 sector.

- **Headline**: the whole-area greenhouse-gas outcome target (a reduction in per cent, not of one sector,
  not of the municipality as an organisation or a utility) whose target year is nearest 2030 (an
  earlier year wins a tie); the other such targets are listed in the cell as alternatives.
- **Neutrality**: the earliest year of a whole-area neutrality target (klimaneutral, netto-nul, …).
- **Sectors**: whether the municipality has an outcome target in the sector, and the strongest: the
  highest per cent, else an end state (neutral, phased out) with the earliest year.

Where statements of the same cell and target year disagree on the value (a draft says 54 %, the
adopted plan 49 %), the adopted, latest one wins and the cell is flagged with the others; a draft
fills a cell only when no adopted document does (so a draft's higher sector value never shows as the
sector's strongest). Money
commitments (``kind='resource'``) never enter the matrix: they have their own sheet.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from analysis.records import Commitment, MunicipalityInfo
from extractors.target import SECTORS

HEADLINE_YEAR = 2030
#: A metric about greenhouse gases (as the rules and reviewers write it).
GHG_METRIC = re.compile(r"co2|co₂|c02|drivhus|klimagas|udledning|udslip|emission|klimabelastning", re.I)
#: Scopes that are not the whole area.
NOT_AREA = ("organisation", "utility")
#: Sectors a whole-area target may carry (none, or cross-cutting).
WHOLE_AREA_SECTORS = (None, "", "tværgående")
END_STATES = ("neutral", "phase_out")


@dataclass
class Cell:
    """One cell: the commitment that counts, others listed with it, and disagreeing statements."""

    chosen: Commitment | None = None
    alternatives: list[Commitment] = field(default_factory=list)
    conflicts: list[Commitment] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.conflicts)

    @property
    def confirmed(self) -> bool:
        return self.chosen is not None and self.chosen.confirmed


@dataclass
class MatrixRow:
    municipality: MunicipalityInfo
    headline: Cell
    neutrality: Cell
    sectors: dict[str, Cell]


def is_outcome(c: Commitment) -> bool:
    return (c.get("kind") or "outcome") == "outcome"


def is_whole_area(c: Commitment) -> bool:
    return c.get("scope") not in NOT_AREA and c.get("sector") in WHOLE_AREA_SECTORS


def is_headline_candidate(c: Commitment) -> bool:
    return (
        is_outcome(c)
        and is_whole_area(c)
        and c.get("direction") == "reduce"
        and c.get("unit") == "%"
        and c.get("value") is not None
        and c.get("target_year") is not None
        and (not c.get("metric") or bool(GHG_METRIC.search(c.get("metric") or "")))
    )


def is_neutrality(c: Commitment) -> bool:
    return is_outcome(c) and is_whole_area(c) and c.get("direction") == "neutral"


def _winner_order(c: Commitment) -> tuple[object, ...]:
    """Adopted before draft, then the latest document, then confirmed by a reviewer."""
    return (not c.draft, c.dated, c.confirmed, c.main.target_id)


Key = Callable[[Commitment], object]


def _cell(candidates: list[Commitment], order: Key, slot: Key, measure: str = "value") -> Cell:
    """The commitment a cell shows, the others listed with it, and those that disagree.

    Commitments of one ``slot`` (the same target year, say) state the same thing; of those, the
    adopted, latest one stands for the slot (:func:`_winner_order`), and any whose ``measure``
    differs from it disagrees. The cell shows the slot winner that comes first by ``order``, from
    adopted documents when there are any: a draft fills a cell only when nothing adopted does.
    """
    if not candidates:
        return Cell()
    slots: dict[object, list[Commitment]] = {}
    for c in candidates:
        slots.setdefault(slot(c), []).append(c)
    winners = {key: max(group, key=_winner_order) for key, group in slots.items()}
    pool = [w for w in winners.values() if not w.draft] or list(winners.values())
    chosen = min(pool, key=order)
    conflicts = [
        c for c in candidates if c is not winners[slot(c)] and c.get(measure) != winners[slot(c)].get(measure)
    ]
    shown = {id(chosen), *(id(c) for c in conflicts)}
    alternatives = sorted((c for c in candidates if id(c) not in shown), key=order)
    return Cell(chosen, alternatives, conflicts)


def _year(c: Commitment) -> object:
    return c.get("target_year")


def headline_cell(found: Iterable[Commitment]) -> Cell:
    candidates = [c for c in found if is_headline_candidate(c)]
    return _cell(
        candidates, lambda c: (abs(c.get("target_year") - HEADLINE_YEAR), c.get("target_year")), _year
    )


def neutrality_cell(found: Iterable[Commitment]) -> Cell:
    """One slot: a municipality is neutral by one year, so two years disagree."""
    candidates = [c for c in found if is_neutrality(c) and c.get("target_year") is not None]
    return _cell(candidates, lambda c: (c.get("target_year"),), lambda c: "neutral", "target_year")


def strongest_order(c: Commitment) -> tuple[object, ...]:
    """Smaller is stronger: a per-cent value (highest first), then an end state (earliest year first)."""
    year = c.get("target_year") or 9999
    if c.get("unit") == "%" and c.get("value") is not None:
        return (0, -c.get("value"), year)
    if c.get("direction") in END_STATES:
        return (1, year)
    return (2, year, -(c.get("value") or 0))


def sector_slot(c: Commitment) -> object:
    """Statements of one sector target: the same year, direction, unit, scope and metric."""
    metric = " ".join((c.get("metric") or "").casefold().split())
    return (c.get("target_year"), c.get("direction"), c.get("unit"), c.get("scope"), metric)


def sector_cell(found: Iterable[Commitment], sector: str) -> Cell:
    candidates = [c for c in found if is_outcome(c) and c.get("sector") == sector]
    return _cell(candidates, strongest_order, sector_slot)


def build_matrix(
    municipalities: Sequence[MunicipalityInfo], found: Sequence[Commitment], sectors: Sequence[str] = SECTORS
) -> list[MatrixRow]:
    by_code: dict[int, list[Commitment]] = {}
    for c in found:
        by_code.setdefault(c.municipality_code, []).append(c)
    rows = []
    for m in municipalities:
        own = by_code.get(m.code, [])
        by_sector: dict[str, list[Commitment]] = {}
        for c in own:
            by_sector.setdefault(c.get("sector"), []).append(c)
        rows.append(
            MatrixRow(
                m,
                headline_cell(own),
                neutrality_cell(own),
                {sector: sector_cell(by_sector.get(sector, []), sector) for sector in sectors},
            )
        )
    return rows
