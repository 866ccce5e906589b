"""The report's other views, each a list of plain rows: distributions, plan language, resources, peers.

Every figure is counted over commitments (a target restated in several documents once), so the
matrix, the charts, the XLSX sheets and the CSVs show the same numbers.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.matrix import MatrixRow, is_outcome
from analysis.records import Commitment, MunicipalityInfo

#: The vocabulary of neutrality, as the report names each term, with the forms that count for it.
NEUTRALITY_TERMS: dict[str, re.Pattern[str]] = {
    "klimaneutral": re.compile(r"\bklima-?neutral", re.I),
    "CO₂-neutral": re.compile(r"\bc\s*[o0]\s*(?:2|₂)[- ]?neutral", re.I),
    "netto-nul": re.compile(r"\bnetto[- ]?(?:nul|0)\b", re.I),
    "fossilfri": re.compile(r"\bfossil-?fri", re.I),
}
STRENGTHS = ("binding", "intent", "aspiration")
#: Population bands for peers and the regional view (inhabitants, upper bounds).
POPULATION_BANDS = ((20_000, "under 20.000"), (50_000, "20.000-49.999"), (100_000, "50.000-99.999"))


def population_band(population: int | None) -> str:
    if population is None:
        return "ukendt"
    for bound, label in POPULATION_BANDS:
        if population < bound:
            return label
    return "100.000 og derover"


def counted(values: Sequence[object]) -> list[tuple[object, int]]:
    """(value, count) sorted by value, None last."""
    tally = Counter(values)
    return sorted(tally.items(), key=lambda item: (item[0] is None, item[0] if item[0] is not None else 0))


@dataclass(frozen=True)
class Distributions:
    baseline_years: list[tuple[object, int]]
    target_years: list[tuple[object, int]]
    #: (municipality, target year, per cent) of each headline target: one point per municipality
    ambition: list[tuple[MunicipalityInfo, int, float]]
    sector_scope: list[tuple[str, str, int]]
    regions: list[dict[str, object]]


def distributions(rows: Sequence[MatrixRow], found: Sequence[Commitment]) -> Distributions:
    outcomes = [c for c in found if is_outcome(c)]
    ambition = [
        (row.municipality, row.headline.chosen.get("target_year"), row.headline.chosen.get("value"))
        for row in rows
        if row.headline.chosen is not None
    ]
    pairs = Counter((c.get("sector") or "(ingen)", c.get("scope") or "(ukendt)") for c in outcomes)
    per_municipality = Counter(c.municipality_code for c in outcomes)
    regions: dict[str, list[MatrixRow]] = {}
    for row in rows:
        regions.setdefault(row.municipality.region, []).append(row)
    region_rows = []
    for region, members in sorted(regions.items()):
        values = [r.headline.chosen.get("value") for r in members if r.headline.chosen is not None]
        years = [r.neutrality.chosen.get("target_year") for r in members if r.neutrality.chosen is not None]
        population = sum(r.municipality.population or 0 for r in members)
        targets = sum(per_municipality[r.municipality.code] for r in members)
        region_rows.append(
            {
                "region": region,
                "municipalities": len(members),
                "population": population,
                "with_headline": len(values),
                "mean_headline": round(statistics.fmean(values), 1) if values else None,
                "median_neutrality_year": statistics.median_low(years) if years else None,
                "targets": targets,
                "targets_per_100k": round(targets / population * 100_000, 2) if population else None,
            }
        )
    return Distributions(
        baseline_years=counted([c.get("baseline_year") for c in outcomes]),
        target_years=counted([c.get("target_year") for c in outcomes]),
        ambition=ambition,
        sector_scope=sorted((s, sc, n) for (s, sc), n in pairs.items()),
        regions=region_rows,
    )


def language_rows(
    municipalities: Sequence[MunicipalityInfo], found: Sequence[Commitment]
) -> list[dict[str, object]]:
    """Per municipality: commitment strength, scope, the neutrality words its targets use, and the share
    of outcome targets with no year and with no baseline."""
    by_code: dict[int, list[Commitment]] = {}
    for c in found:
        if is_outcome(c):
            by_code.setdefault(c.municipality_code, []).append(c)
    rows = []
    for m in municipalities:
        own = by_code.get(m.code, [])
        strength = Counter(c.get("strength") for c in own)
        scope = Counter(c.get("scope") for c in own)
        quotes = [s.quote for c in own for s in c.statements]
        rows.append(
            {
                "code": m.code,
                "municipality": m.name,
                "targets": len(own),
                **{f"strength_{name}": strength[name] for name in STRENGTHS},
                "strength_unknown": strength[None],
                "scope_area": scope["area"],
                "scope_organisation": scope["organisation"],
                "scope_utility": scope["utility"],
                "neutrality_words": ", ".join(
                    term
                    for term, pattern in NEUTRALITY_TERMS.items()
                    if any(pattern.search(q) for q in quotes)
                ),
                "share_no_year": round(sum(c.get("target_year") is None for c in own) / len(own), 3)
                if own
                else None,
                "share_no_baseline": round(
                    sum(c.get("baseline_year") is None and not c.get("baseline_label") for c in own)
                    / len(own),
                    3,
                )
                if own
                else None,
            }
        )
    return rows


def plan_strength_rows(found: Sequence[Commitment]) -> list[dict[str, object]]:
    """Commitment strength per plan (document): how many of its statements bind, intend or hope."""
    tally: dict[int, Counter[str | None]] = {}
    documents = {}
    for c in found:
        if not is_outcome(c):
            continue
        for s in c.statements:
            documents[s.document.id] = (c.municipality_code, s.document)
            tally.setdefault(s.document.id, Counter())[s.fields.get("strength")] += 1
    rows = []
    for document_id, (code, document) in sorted(documents.items(), key=lambda item: (item[1][0], item[0])):
        counts = tally[document_id]
        rows.append(
            {
                "code": code,
                "document_id": document_id,
                "document": document.title,
                "kind": document.kind,
                "version": document.version,
                "source": document.source,
                **{f"strength_{name}": counts[name] for name in STRENGTHS},
                "strength_unknown": counts[None],
            }
        )
    return rows


def vocabulary_totals(rows: Sequence[dict[str, object]]) -> list[tuple[str, int]]:
    """How many municipalities use each neutrality term."""
    return [
        (term, sum(term in str(row["neutrality_words"]).split(", ") for row in rows))
        for term in NEUTRALITY_TERMS
    ]


def resource_rows(found: Sequence[Commitment]) -> list[Commitment]:
    """Money commitments, kept out of the matrix."""
    return [c for c in found if not is_outcome(c)]


def peers_of(
    municipality: MunicipalityInfo, everyone: Sequence[MunicipalityInfo], how: str, saved: Sequence[int] = ()
) -> list[MunicipalityInfo]:
    """Similar municipalities: ``region`` (same region), ``population`` (same population band) or
    ``saved`` (a list the analyst saved); the municipality itself is not its own peer."""
    if how == "region":
        chosen = [m for m in everyone if m.region == municipality.region]
    elif how == "population":
        band = population_band(municipality.population)
        chosen = [m for m in everyone if population_band(m.population) == band]
    elif how == "saved":
        chosen = [m for m in everyone if m.code in set(saved)]
    else:
        raise ValueError(f"unknown peer group {how!r}; use region, population or a saved list's name")
    return [m for m in chosen if m.code != municipality.code]
