"""The report's charts, drawn from its sheets' figures (so a chart shows what the tables say)."""

from __future__ import annotations

from collections import Counter

from analysis.report import Report
from analysis.svg import bar_chart, scatter_chart
from analysis.views import vocabulary_totals


def report_charts(report: Report) -> list[tuple[str, str]]:
    """(heading, SVG) for each chart of the report."""
    d = report.distributions
    sectors = Counter()
    for sector, _scope, n in d.sector_scope:
        sectors[sector] += n
    strength = Counter()
    for row in report.language:
        for name, label in (("binding", "bindende"), ("intent", "hensigt"), ("aspiration", "ønske")):
            strength[label] += int(row[f"strength_{name}"])  # type: ignore[call-overload]
    return [
        (
            "Reduktionsambition efter målår",
            scatter_chart(
                "Hovedmål: reduktion i procent efter målår, én prik pr. kommune",
                [(m.name, year, value) for m, year, value in d.ambition],
                "chart-ambition",
            ),
        ),
        (
            "Basisår",
            bar_chart(
                "Mål efter basisår",
                [(str(y), n) for y, n in d.baseline_years if y is not None],
                "chart-baseline",
            ),
        ),
        (
            "Målår",
            bar_chart(
                "Mål efter målår", [(str(y), n) for y, n in d.target_years if y is not None], "chart-years"
            ),
        ),
        ("Mål pr. sektor", bar_chart("Mål pr. sektor", sorted(sectors.items()), "chart-sectors")),
        (
            "Forpligtelsens styrke",
            bar_chart("Mål efter styrke", list(strength.items()), "chart-strength"),
        ),
        (
            "Neutralitetens ordforråd",
            bar_chart("Kommuner der bruger ordet", vocabulary_totals(report.language), "chart-vocabulary"),
        ),
    ]
