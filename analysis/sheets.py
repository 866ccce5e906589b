"""The report as sheets: one table per view with Danish column names and values, typed cells.

HTML, XLSX and CSV are written from these sheets and nothing else, so the same figures appear in
all three. Cells hold Python values of their real type (``int``, ``float``, ``datetime.date``,
``str``, ``None``); each writer formats them its way.
"""

from __future__ import annotations

from typing import Any

from analysis.matrix import Cell
from analysis.records import Commitment
from analysis.report import Report
from analysis.shared import THRESHOLD
from analysis.views import vocabulary_totals
from db.export import EXPORT_COLUMNS
from db.sheets import Column, Sheet
from extractors.labels import danish


def review_label(c: Commitment) -> str:
    return "bekræftet" if c.confirmed else "ikke gennemgået"


def source_label(c: Commitment) -> str:
    s = c.main
    return f"{s.document.title}, s. {s.page}" if s.page else s.document.title


def other_sources(c: Commitment) -> str:
    main = c.main
    return "; ".join(
        f"{s.document.title}{f', s. {s.page}' if s.page else ''} ({s.document.source})"
        for s in c.statements
        if s is not main
    )


def value_text(c: Commitment | None) -> str:
    """A cell's value as one reads it: "70 % (1990) 2030", "neutral 2045"."""
    if c is None:
        return ""
    value, unit, year = c.get("value"), c.get("unit"), c.get("target_year")
    parts = []
    if value is not None:
        number = f"{value:g}".replace(".", ",")
        parts.append(f"{number} {unit}" if unit else number)
    else:
        parts.append(danish("direction", c.get("direction")) or "")
    if c.get("baseline_year"):
        parts.append(f"ift. {c.get('baseline_year')}")
    if year:
        parts.append(str(year))
    return " ".join(p for p in parts if p)


def conflict_text(cell: Cell) -> str:
    if not cell.conflicts:
        return ""
    chosen = cell.chosen
    assert chosen is not None
    others = "; ".join(f"{value_text(c)} i {source_label(c)}" for c in cell.conflicts)
    return f"UENIGE KILDER: {value_text(chosen)} i {source_label(chosen)} (gælder); {others}"


def sector_text(cell: Cell) -> str:
    """A sector cell in a spreadsheet: its strongest value, and any disagreeing sources after it."""
    if cell.chosen is None:
        return ""
    text = value_text(cell.chosen)
    if cell.conflicts:
        text += (
            " (uenige kilder: "
            + "; ".join(f"{value_text(c)} i {source_label(c)}" for c in cell.conflicts)
            + ")"
        )
    return text


#: The review export's column of each target field, so that a field has one name in every spreadsheet.
_TARGET_COLUMN = dict(EXPORT_COLUMNS)
#: A municipality as the first columns of a sheet of one row per municipality (or per its targets).
MUNICIPALITY_COLUMNS = (Column("Kode", 7, "int"), _TARGET_COLUMN["municipality"])
COMMITMENT_COLUMNS = (
    *MUNICIPALITY_COLUMNS,
    *(
        _TARGET_COLUMN[key]
        for key in (
            "kind",
            "sector",
            "scope",
            "direction",
            "bound",
            "value",
            "unit",
            "target_year",
            "baseline_year",
            "deadline_kind",
            "strength",
            "interim",
            "metric",
            "quote",
            "status",
            "document",
            "page",
            "source",
            "version",
            "dated",
        )
    ),
    Column("Antal kilder", 8, "int"),
    Column("Øvrige kilder", 40),
    _TARGET_COLUMN["id"],
)


def commitment_row(c: Commitment, names: dict[int, str]) -> list[Any]:
    s = c.main
    return [
        c.municipality_code,
        names.get(c.municipality_code, ""),
        danish("kind", c.get("kind") or "outcome"),
        c.get("sector"),
        danish("scope", c.get("scope")),
        danish("direction", c.get("direction")),
        danish("bound", c.get("bound")),
        c.get("value"),
        c.get("unit"),
        c.get("target_year"),
        c.get("baseline_year"),
        danish("deadline_kind", c.get("deadline_kind")),
        danish("strength", c.get("strength")),
        danish("interim", c.get("interim")),
        c.get("metric"),
        s.quote,
        review_label(c),
        s.document.title,
        s.page,
        s.document.source,
        s.document.version,
        s.document.dated,
        len(c.statements),
        other_sources(c),
        s.target_id,
    ]


def _cell_columns(prefix: str) -> tuple[Column, ...]:
    return (
        Column(
            f"{prefix}: værdi (%)" if prefix == "Hovedmål" else f"{prefix}: år",
            10,
            "number" if prefix == "Hovedmål" else "int",
        ),
        *(
            (Column(f"{prefix}: målår", 8, "int"), Column(f"{prefix}: basisår", 8, "int"))
            if prefix == "Hovedmål"
            else ()
        ),
        Column(f"{prefix}: gennemgang", 14),
        Column(f"{prefix}: kilde", 30),
        Column(f"{prefix}: kilde-URL", 30, "url"),
        Column(f"{prefix}: version", 8, "int"),
        Column(f"{prefix}: alternativer", 30),
        Column(f"{prefix}: uenighed", 30),
    )


def _cell_values(cell: Cell, headline: bool) -> list[Any]:
    c = cell.chosen
    if c is None:
        return [None] * (9 if headline else 7)
    first = (
        [c.get("value"), c.get("target_year"), c.get("baseline_year")] if headline else [c.get("target_year")]
    )
    return [
        *first,
        review_label(c),
        source_label(c) + (f" (+{len(c.statements) - 1} kilder)" if len(c.statements) > 1 else ""),
        c.main.document.source,
        c.main.document.version,
        "; ".join(f"{value_text(a)} ({source_label(a)})" for a in cell.alternatives),
        conflict_text(cell),
    ]


def matrix_sheet(report: Report) -> Sheet:
    columns = (
        *MUNICIPALITY_COLUMNS,
        Column("Region", 18),
        Column("Indbyggere", 11, "int"),
        *_cell_columns("Hovedmål"),
        *_cell_columns("Klimaneutral"),
        *(Column(f"{sector.capitalize()}", 16) for sector in report.sectors),
    )
    rows = []
    for row in report.matrix:
        m = row.municipality
        rows.append(
            [
                m.code,
                m.name,
                m.region,
                m.population,
                *_cell_values(row.headline, True),
                *_cell_values(row.neutrality, False),
                *(sector_text(row.sectors[s]) for s in report.sectors),
            ]
        )
    return Sheet("Matrix", "Kommuner og hovedmål", columns, rows, "matrix.csv")


def _names(report: Report) -> dict[int, str]:
    return {m.code: m.name for m in report.municipalities}


def target_sheets(report: Report) -> list[Sheet]:
    names = _names(report)
    resources = {id(c) for c in report.resources}
    outcomes = [c for c in report.commitments if id(c) not in resources]
    return [
        Sheet(
            "Mål",
            "Alle mål (hvert mål én gang)",
            COMMITMENT_COLUMNS,
            [commitment_row(c, names) for c in outcomes],
            "maal.csv",
        ),
        Sheet(
            "Ressourcer",
            "Ressourcer: penge til klimaindsats (indgår ikke i matrixen)",
            COMMITMENT_COLUMNS,
            [commitment_row(c, names) for c in report.resources],
            "ressourcer.csv",
        ),
    ]


def distribution_sheets(report: Report) -> list[Sheet]:
    d = report.distributions
    return [
        Sheet(
            "Basisår",
            "Basisår (mål)",
            (Column("Basisår", 10, "int"), Column("Antal mål", 10, "int")),
            [list(p) for p in d.baseline_years],
            "basisaar.csv",
        ),
        Sheet(
            "Målår",
            "Målår (mål)",
            (Column("Målår", 10, "int"), Column("Antal mål", 10, "int")),
            [list(p) for p in d.target_years],
            "maalaar.csv",
        ),
        Sheet(
            "Ambition",
            "Reduktionsambition efter målår (hovedmål, én pr. kommune)",
            (
                *MUNICIPALITY_COLUMNS,
                Column("Målår", 8, "int"),
                Column("Reduktion (%)", 12, "number"),
            ),
            [[m.code, m.name, year, value] for m, year, value in d.ambition],
            "ambition.csv",
        ),
        Sheet(
            "Sektor og omfang",
            "Mål pr. sektor og omfang",
            (Column("Sektor", 14), Column("Omfang", 18), Column("Antal mål", 10, "int")),
            [[s, danish("scope", sc) if sc != "(ukendt)" else sc, n] for s, sc, n in d.sector_scope],
            "sektor_omfang.csv",
        ),
        Sheet(
            "Regioner",
            "Regioner: indbyggere og mål (Danmarks Statistik, FOLK1A, CC BY 4.0)",
            (
                Column("Region", 20),
                Column("Kommuner", 9, "int"),
                Column("Indbyggere", 12, "int"),
                Column("Med hovedmål", 12, "int"),
                Column("Gns. hovedmål (%)", 14, "number"),
                Column("Median klimaneutral år", 14, "int"),
                Column("Mål", 8, "int"),
                Column("Mål pr. 100.000 indb.", 14, "number"),
            ),
            [list(r.values()) for r in d.regions],
            "regioner.csv",
        ),
    ]


def language_sheets(report: Report) -> list[Sheet]:
    rows = report.language
    return [
        Sheet(
            "Sprog",
            "Plansprog pr. kommune",
            (
                *MUNICIPALITY_COLUMNS,
                Column("Mål", 6, "int"),
                Column("Bindende", 9, "int"),
                Column("Hensigt", 9, "int"),
                Column("Ønske", 9, "int"),
                Column("Styrke ukendt", 9, "int"),
                Column("Hele kommunen", 10, "int"),
                Column("Kommunen som virksomhed", 12, "int"),
                Column("Forsyning", 9, "int"),
                Column("Neutralitetsord", 30),
                Column("Andel uden år", 10, "number"),
                Column("Andel uden basis", 10, "number"),
            ),
            [list(r.values()) for r in rows],
            "sprog.csv",
        ),
        Sheet(
            "Styrke pr. plan",
            "Forpligtelsens styrke pr. plan",
            (
                Column("Kode", 7, "int"),
                Column("Dokument-id", 9, "int"),
                Column("Dokument", 30),
                Column("Type", 10),
                Column("Version", 8, "int"),
                Column("Kilde-URL", 30, "url"),
                Column("Bindende", 9, "int"),
                Column("Hensigt", 9, "int"),
                Column("Ønske", 9, "int"),
                Column("Styrke ukendt", 9, "int"),
            ),
            [list(r.values()) for r in report.plan_strength],
            "styrke_pr_plan.csv",
        ),
        Sheet(
            "Neutralitetsord",
            "Neutralitetens ordforråd (antal kommuner)",
            (Column("Ord", 16), Column("Kommuner", 10, "int")),
            [list(p) for p in vocabulary_totals(rows)],
            "neutralitetsord.csv",
        ),
    ]


def shared_sheet(report: Report) -> Sheet:
    names = _names(report)
    rows = []
    for number, group in enumerate(report.shared, 1):
        rows.append(
            [
                number,
                len(group.municipality_codes),
                ", ".join(names.get(code, str(code)) for code in group.municipality_codes),
                "; ".join(f"{p.document_title}, s. {p.page}" for p in group.passages),
                round(group.min_similarity, 3),
                group.text,
            ]
        )
    return Sheet(
        "Fælles formuleringer",
        f"Formuleringer som flere kommuners planer deler (Jaccard ≥ {THRESHOLD:g} på ord-3-grammer)",
        (
            Column("Gruppe", 7, "int"),
            Column("Antal kommuner", 9, "int"),
            Column("Kommuner", 30),
            Column("Dokumenter", 40),
            Column("Mindste lighed", 9, "number"),
            Column("Tekst", 80),
        ),
        rows,
        "faelles_formuleringer.csv",
    )


def changes_sheet(report: Report) -> Sheet:
    names = _names(report)
    rows = []
    for ch in report.changes:
        before, after = ch.before, ch.after
        some = after or before
        assert some is not None
        rows.append(
            [
                ch.municipality_code,
                names.get(ch.municipality_code, ""),
                ch.label,
                ch.old.title,
                ch.old.version,
                ch.old.dated,
                ch.new.title,
                ch.new.version,
                ch.new.dated,
                some.fields.get("sector"),
                some.fields.get("target_year"),
                before.fields.get("value") if before else None,
                after.fields.get("value") if after else None,
                before.quote if before else None,
                after.quote if after else None,
            ]
        )
    return Sheet(
        "Ændringer",
        "Ændringer over tid (skærpet, sænket, udgået, ny)",
        (
            *MUNICIPALITY_COLUMNS,
            Column("Ændring", 9),
            Column("Før: dokument", 30),
            Column("Før: version", 8, "int"),
            Column("Før: dato", 11, "date"),
            Column("Efter: dokument", 30),
            Column("Efter: version", 8, "int"),
            Column("Efter: dato", 11, "date"),
            Column("Sektor", 12),
            Column("Målår", 7, "int"),
            Column("Værdi før", 9, "number"),
            Column("Værdi efter", 9, "number"),
            Column("Citat før", 50),
            Column("Citat efter", 50),
        ),
        rows,
        "aendringer.csv",
    )


def peers_sheet(report: Report) -> Sheet | None:
    if not report.peers:
        return None
    me = report.peers["municipality"]
    group = [me, *report.peers["peers"]]  # type: ignore[list-item]
    by_code = {row.municipality.code: row for row in report.matrix}
    rows = []
    for m in group:
        row = by_code.get(m.code)
        if row is None:
            continue
        h, n = row.headline.chosen, row.neutrality.chosen
        rows.append(
            [
                m.code,
                m.name + (" (valgt)" if m is me else ""),
                m.region,
                m.population,
                h.get("value") if h else None,
                h.get("target_year") if h else None,
                n.get("target_year") if n else None,
                sum(1 for s in report.sectors if row.sectors[s].chosen is not None),
            ]
        )
    how = {"region": "samme region", "population": "samme befolkningsgruppe"}.get(
        str(report.peers["how"]), f"liste »{report.peers['how']}«"
    )
    return Sheet(
        "Sammenligning",
        f"{me.name} og lignende kommuner ({how})",  # type: ignore[attr-defined]
        (
            Column("Kode", 7, "int"),
            Column("Kommune", 22),
            Column("Region", 18),
            Column("Indbyggere", 11, "int"),
            Column("Hovedmål (%)", 10, "number"),
            Column("Hovedmål målår", 9, "int"),
            Column("Klimaneutral år", 9, "int"),
            Column("Sektorer med mål", 9, "int"),
        ),
        rows,
        "sammenligning.csv",
    )


def report_sheets(report: Report) -> list[Sheet]:
    sheets = [
        matrix_sheet(report),
        *target_sheets(report),
        *distribution_sheets(report),
        *language_sheets(report),
    ]
    sheets += [shared_sheet(report), changes_sheet(report)]
    peers = peers_sheet(report)
    if peers:
        sheets.append(peers)
    return sheets
