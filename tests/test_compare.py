"""The comparison report on a generated corpus of the 98 municipalities, checked against what was planted.

Every expectation comes from ``tests/compare_corpus.py`` (what the generator stored), never from the
report code. The matrix is read back from the XLSX, the CSVs and the HTML, so the three are checked
to show the same figures; the whole module runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from analysis.report import build_report
from analysis.shared import THRESHOLD
from analysis.writers import write_report
from db.engine import session_factory
from db.migrate import upgrade
from tests.compare_corpus import FORMULA_AT, FORMULA_METRIC, Planted, plant_corpus


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def corpus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Planted]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('compare') / 'k.db'}"
    else:
        url = request.getfixturevalue("pg_cluster").create_database()
    upgrade(url)
    return url, plant_corpus(session_factory(url))


@pytest.fixture(scope="module")
def report(corpus: tuple[str, Planted]):  # type: ignore[no-untyped-def]
    url, _ = corpus
    with session_factory(url)() as session:
        return build_report(session)


@pytest.fixture(scope="module")
def written(report, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("report")
    write_report(report, out, "international")
    da = out / "da"
    write_report(report, da, "excel-da")
    return out


def test_the_generator_planted_what_it_says(corpus: tuple[str, Planted]) -> None:
    _, planted = corpus
    assert len(planted.codes) == 98
    assert all(value >= THRESHOLD for value in planted.shared_similarity)
    assert all(0.7 < value < THRESHOLD for value in planted.near_miss_similarity)
    assert planted.flagged and planted.changes and planted.resources and planted.hidden_target_ids
    assert planted.sector_flagged


def test_matrix_headline_neutrality_and_sectors(report, corpus) -> None:  # type: ignore[no-untyped-def]
    _, planted = corpus
    rows = {row.municipality.code: row for row in report.matrix}
    assert sorted(rows) == sorted(planted.codes)
    for code in planted.codes:
        row = rows[code]
        cell = row.headline
        if code in planted.headline:
            value, year, baseline = planted.headline[code]
            assert cell.chosen is not None, planted.names[code]
            assert (
                cell.chosen.get("value"),
                cell.chosen.get("target_year"),
                cell.chosen.get("baseline_year"),
            ) == (
                value,
                year,
                baseline,
            ), planted.names[code]
            assert cell.confirmed == (code in planted.headline_confirmed)
            assert len({s.document.id for s in cell.chosen.statements}) == planted.headline_sources[code]
            assert {
                (a.get("value"), a.get("target_year")) for a in cell.alternatives
            } == planted.alternatives[code]
        else:
            assert cell.chosen is None
        if code in planted.flagged:
            assert [c.get("value") for c in cell.conflicts] == [planted.flagged[code]]
        else:
            assert not cell.flagged, planted.names[code]
        neutral = row.neutrality.chosen
        assert (neutral.get("target_year") if neutral else None) == planted.neutrality.get(code)
        for sector, cell in row.sectors.items():
            flagged = planted.sector_flagged.get(code)
            if flagged and flagged[0] == sector:
                assert [c.get("value") for c in cell.conflicts] == [flagged[1]], (planted.names[code], sector)
            else:
                assert not cell.conflicts, (planted.names[code], sector)
            expected = planted.sectors[code].get(sector)
            if expected is None:
                assert cell.chosen is None, (planted.names[code], sector)
            elif expected == -1.0:
                assert cell.chosen.get("direction") == "phase_out"
            else:
                assert cell.chosen.get("value") == expected, (planted.names[code], sector)


def test_rejected_suggested_and_superseded_targets_never_appear(report, corpus) -> None:  # type: ignore[no-untyped-def]
    _, planted = corpus
    shown = {s.target_id for c in report.commitments for s in c.statements}
    assert shown.isdisjoint(planted.hidden_target_ids)
    assert len(report.commitments) == sum(planted.outcome_targets.values()) + len(planted.resources)


def test_resources_have_their_own_sheet_and_never_enter_the_matrix(report, corpus) -> None:  # type: ignore[no-untyped-def]
    _, planted = corpus
    assert {c.municipality_code: c.get("value") for c in report.resources} == planted.resources
    assert all(row.sectors["vand"].chosen is None for row in report.matrix)


def test_plan_language_per_municipality(report, corpus) -> None:  # type: ignore[no-untyped-def]
    _, planted = corpus
    for row in report.language:
        code = row["code"]
        assert row["targets"] == planted.outcome_targets[code]
        for strength in ("binding", "intent", "aspiration"):
            assert row[f"strength_{strength}"] == planted.strengths[code][strength], (
                planted.names[code],
                strength,
            )
        assert set(filter(None, str(row["neutrality_words"]).split(", "))) == planted.vocabulary[code]


def test_shared_passages_are_found_and_near_misses_are_not(report, corpus) -> None:  # type: ignore[no-untyped-def]
    _, planted = corpus
    found = {frozenset(group.municipality_codes) for group in report.shared}
    assert found == set(planted.shared)
    for pair in planted.near_miss_pairs:
        assert not any(pair <= group for group in found)


def test_shared_passages_found_in_a_forked_process_are_the_same(corpus) -> None:  # type: ignore[no-untyped-def]
    url, planted = corpus
    with session_factory(url)() as session:
        report = build_report(session, parallel=True)
    assert {frozenset(group.municipality_codes) for group in report.shared} == set(planted.shared)


def test_changes_over_time(report, corpus) -> None:  # type: ignore[no-untyped-def]
    _, planted = corpus
    seen: dict[int, set[tuple[object, ...]]] = {}
    for ch in report.changes:
        some = ch.after or ch.before
        seen.setdefault(ch.municipality_code, set()).add(
            (
                ch.change,
                some.fields.get("sector"),
                some.fields.get("target_year"),
                ch.before.fields.get("value") if ch.before else None,
                ch.after.fields.get("value") if ch.after else None,
            )
        )
    assert seen == planted.changes


def test_ambition_chart_has_one_point_per_municipality_with_a_headline(report, corpus) -> None:  # type: ignore[no-untyped-def]
    _, planted = corpus
    points = {(m.code, year, value) for m, year, value in report.distributions.ambition}
    assert points == {(code, year, value) for code, (value, year, _) in planted.headline.items()}


def test_distributions_of_years_sectors_and_regions(report, corpus) -> None:  # type: ignore[no-untyped-def]
    from collections import Counter

    from extractors.municipalities import all_municipalities

    _, planted = corpus
    fields = [f for _, f in planted.outcome_fields]
    assert len(fields) == sum(planted.outcome_targets.values())
    d = report.distributions
    assert dict(d.target_years) == dict(Counter(f.get("target_year") for f in fields))
    assert dict(d.baseline_years) == dict(Counter(f.get("baseline_year") for f in fields))
    expected_pairs = Counter((f.get("sector") or "(ingen)", f.get("scope") or "(ukendt)") for f in fields)
    assert {(s, sc): n for s, sc, n in d.sector_scope} == dict(expected_pairs)
    region_of = {m.code: m.region for m in all_municipalities()}
    for row in d.regions:
        members = [c for c in planted.codes if region_of[c] == row["region"]]
        assert row["municipalities"] == len(members)
        assert row["with_headline"] == sum(c in planted.headline for c in members)
        assert row["targets"] == sum(planted.outcome_targets[c] for c in members)


def _matrix_from_xlsx(path: Path) -> dict[int, dict[str, object]]:
    book = load_workbook(path)
    sheet = book["Matrix"]
    header = [c.value for c in sheet[1]]
    return {
        row[0]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    }


def test_xlsx_is_what_an_analyst_opens(written: Path, corpus) -> None:  # type: ignore[no-untyped-def]
    _, planted = corpus
    book = load_workbook(written / "report.xlsx")
    assert {"Matrix", "Mål", "Ressourcer", "Ambition", "Sprog", "Fælles formuleringer", "Ændringer"} <= set(
        book.sheetnames
    )
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
        assert len({sheet.column_dimensions[c].width for c in "ABCD"}) > 1 or sheet.max_column < 4
    matrix = _matrix_from_xlsx(written / "report.xlsx")
    for code in planted.codes:
        row = matrix[code]
        if code in planted.headline:
            value, year, baseline = planted.headline[code]
            assert row["Hovedmål: værdi (%)"] == value and isinstance(row["Hovedmål: værdi (%)"], int | float)
            assert row["Hovedmål: målår"] == year and row["Hovedmål: basisår"] == baseline
            assert row["Hovedmål: gennemgang"] == (
                "bekræftet" if code in planted.headline_confirmed else "ikke gennemgået"
            )
            assert row["Hovedmål: kilde-URL"].startswith("https://www.kommune")
            assert row["Hovedmål: version"] == (2 if code in planted.changes else 1)
            assert bool(row["Hovedmål: uenighed"]) == (code in planted.flagged)
        assert row["Klimaneutral: år"] == planted.neutrality.get(code)
        if code in planted.sector_flagged:
            sector, draft_value = planted.sector_flagged[code]
            assert f"uenige kilder: {draft_value:g} %" in row[sector.capitalize()]
    targets = book["Mål"]
    header = [c.value for c in targets[1]]
    assert {
        "Kode",
        "Kommune",
        "Retning",
        "Værdi",
        "Målår",
        "Kilde-URL",
        "Version",
        "Gennemgang",
        "Dato",
    } <= set(header)
    rows = list(targets.iter_rows(min_row=2, values_only=True))
    directions = {r[header.index("Retning")] for r in rows}
    assert "reducere" in directions and "reduce" not in directions
    assert all(isinstance(r[header.index("Dato")], dt.datetime | dt.date) for r in rows)
    formula_cells = [
        cell for row in targets.iter_rows(min_row=2) for cell in row if cell.value == FORMULA_METRIC
    ]
    assert formula_cells and all(c.data_type == "s" and c.quotePrefix for c in formula_cells)


def _csv(path: Path, delimiter: str) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=delimiter))


def test_csv_dialects_show_the_same_figures(written: Path, corpus) -> None:  # type: ignore[no-untyped-def]
    _, planted = corpus
    international = {int(r["Kode"]): r for r in _csv(written / "matrix.csv", ",")}
    danish = {int(r["Kode"]): r for r in _csv(written / "da" / "matrix.csv", ";")}
    for code, (value, year, _) in planted.headline.items():
        assert float(international[code]["Hovedmål: værdi (%)"]) == value
        assert float(danish[code]["Hovedmål: værdi (%)"].replace(",", ".")) == value
        assert int(danish[code]["Hovedmål: målår"]) == year
    fractional = [
        r for r in _csv(written / "da" / "sprog.csv", ";") if r["Andel uden basis"] not in ("", "0", "1")
    ]
    assert fractional and all(
        "," in r["Andel uden basis"] and "." not in r["Andel uden basis"] for r in fractional
    )
    metrics = [
        r["Måles på"] for r in _csv(written / "maal.csv", ",") if int(r["Kode"]) == planted.codes[FORMULA_AT]
    ]
    assert "'" + FORMULA_METRIC in metrics and FORMULA_METRIC not in metrics


def test_html_is_one_self_contained_file_with_the_same_figures(written: Path, corpus) -> None:  # type: ignore[no-untyped-def]
    _, planted = corpus
    html = (written / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html
    assert not re.search(r'<(?:link|img|script|iframe)[^>]+(?:src|href)="(?:https?:)?//', html)
    assert html.count("<svg") >= 4 and 'class="point"' in html
    for code, (value, _, _) in planted.headline.items():
        match = re.search(
            rf'<tr data-code="{code}">.*?class="headline[^"]*" data-value="([^"]*)"', html, re.S
        )
        assert match and float(match.group(1).replace(",", ".")) == value
    assert html.count('data-flag="uenighed"') == len(planted.flagged) + len(planted.sector_flagged)


def test_filters_reviewed_only_and_sector(corpus) -> None:  # type: ignore[no-untyped-def]
    url, planted = corpus
    with session_factory(url)() as session:
        reviewed = build_report(session, reviewed_only=True, shared_language=False)
        transport = build_report(
            session, sectors=["transport"], municipalities=[planted.names[planted.codes[0]]]
        )
    assert {
        row.municipality.code for row in reviewed.matrix if row.headline.chosen
    } == planted.headline_confirmed
    assert [row.municipality.code for row in transport.matrix] == [planted.codes[0]]
    assert transport.sectors == ["transport"]
    assert all(c.get("sector") == "transport" for c in transport.commitments)


def test_peers_by_region_and_population(corpus) -> None:  # type: ignore[no-untyped-def]
    url, planted = corpus
    from analysis.records import municipality_register

    register = municipality_register()
    me = register[planted.codes[0]]
    with session_factory(url)() as session:
        by_region = build_report(session, peer_of=me.name, peers="region", shared_language=False)
    expected = {m.code for m in register.values() if m.region == me.region}
    assert {m.code for m in by_region.municipalities} == expected
    assert by_region.peers is not None and me.code not in {m.code for m in by_region.peers["peers"]}


def test_unknown_municipality_or_sector_is_a_clear_error(corpus) -> None:  # type: ignore[no-untyped-def]
    url, _ = corpus
    with session_factory(url)() as session:
        with pytest.raises(ValueError, match="Atlantis"):
            build_report(session, municipalities=["Atlantis"])
        with pytest.raises(ValueError, match="rumfart"):
            build_report(session, sectors=["rumfart"])


def test_compare_command_writes_the_report(corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from klimamaal.cli import main

    url, planted = corpus
    out = tmp_path / "report"
    result = CliRunner().invoke(
        main,
        [
            "compare",
            "--database-url",
            url,
            "--out",
            str(out),
            "--dialect",
            "excel-da",
            "--no-shared-language",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (
        f"{len(planted.headline)} with a headline target, {len(planted.flagged)} with disagreeing sources"
        in result.output
    )
    assert {"report.html", "report.xlsx", "matrix.csv", "maal.csv", "ressourcer.csv"} <= {
        p.name for p in out.iterdir()
    }
    assert ";" in (out / "matrix.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    bad = CliRunner().invoke(
        main, ["compare", "--database-url", url, "--out", str(out), "--municipality", "Atlantis"]
    )
    assert bad.exit_code != 0 and "Atlantis" in bad.output


def test_saved_peer_list_from_the_command_line(corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from klimamaal.cli import main

    url, planted = corpus
    members = [planted.names[c] for c in planted.codes[40:43]]
    saved = CliRunner().invoke(
        main, ["peers", "save", f"liste-{tmp_path.name}", *members, "--database-url", url]
    )
    assert saved.exit_code == 0 and "3 municipalities" in saved.output, saved.output
    listed = CliRunner().invoke(main, ["peers", "list", "--database-url", url])
    assert (
        f"liste-{tmp_path.name}: " + ", ".join(str(c) for c in sorted(planted.codes[40:43])) in listed.output
    )
    me = planted.names[planted.codes[0]]
    out = tmp_path / "peers"
    args = ["compare", "--peers-of", me, "--peers", f"liste-{tmp_path.name}", "--no-shared-language"]
    result = CliRunner().invoke(main, [*args, "--out", str(out), "--database-url", url])
    assert result.exit_code == 0, result.output
    rows = _csv(out / "sammenligning.csv", ",")
    assert {int(r["Kode"]) for r in rows} == {planted.codes[0], *planted.codes[40:43]}
    unknown = CliRunner().invoke(
        main, [*args[:3], "--peers", "ingen-liste", "--out", str(out), "--database-url", url]
    )
    assert unknown.exit_code != 0 and "ingen-liste" in unknown.output
    bad = CliRunner().invoke(main, ["peers", "save", "x", "Atlantis", "--database-url", url])
    assert bad.exit_code != 0 and "Atlantis" in bad.output
