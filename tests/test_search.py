"""Full-text search with Danish stems and compound parts, on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import text

from db.engine import make_engine, session_factory
from db.migrate import upgrade
from db.search import compound_parts, search
from db.store import ensure_municipalities
from extractors.municipalities import all_municipalities
from tests.compare_corpus import _Builder
from tests.revisions import revision_named

PAGES = {
    "plan": [
        "Vi skal nedbringe CO₂-udledningen fra transporten markant.",
        "Den samlede drivhusgasudledning skal være netto-nul i 2045.",
        "Kommunen vil plante skov og skabe ny natur.",
    ],
    "agenda": ["Byrådet godkender budgettet for vejvedligehold og udledningerne nævnes ikke."],
}


@pytest.fixture
def stored(database_url: str):  # type: ignore[no-untyped-def]
    sessions = session_factory(database_url)
    municipalities = all_municipalities()
    with sessions.begin() as session:
        ensure_municipalities(session, [(m.code, m.name, m.region) for m in municipalities])
        b = _Builder(session, random.Random(1))
        ballerup = next(m for m in municipalities if m.name == "Ballerup")
        greve = next(m for m in municipalities if m.name == "Greve")
        plan = b.document(
            ballerup.code, "Klimaplan Ballerup", "plan", "https://ballerup.dk/plan.pdf", dt.date(2024, 1, 1)
        )
        b.pages(plan, PAGES["plan"])
        agenda = b.document(
            greve.code, "Byrådsmøde Greve", "agenda", "https://greve.dk/moede", dt.date(2024, 2, 1)
        )
        b.pages(agenda, PAGES["agenda"])
        old = b.document(
            greve.code, "Gammel plan", "plan", "https://greve.dk/gammel.pdf", dt.date(2020, 1, 1)
        )
        b.pages(old, ["Udledningen skal halveres, sagde den gamle plan."])
        old.superseded_at = dt.datetime(2024, 1, 1)
    return sessions


def test_compound_parts_are_found() -> None:
    assert "udledning" in compound_parts("drivhusgasudledning")
    assert "udledningen" in compound_parts("drivhusgasudledningen")
    assert compound_parts("kommunen") == ()


def test_udledning_finds_compounds_and_inflections(stored) -> None:  # type: ignore[no-untyped-def]
    with stored() as session:
        hits = search(session, "udledning")
    pages = {(h.document, h.page) for h in hits}
    assert ("Klimaplan Ballerup", 1) in pages  # CO₂-udledningen
    assert ("Klimaplan Ballerup", 2) in pages  # drivhusgasudledning
    assert ("Byrådsmøde Greve", 1) in pages  # udledningerne
    assert not any(h.document == "Gammel plan" for h in hits)  # superseded versions are not searched
    first = next(h for h in hits if h.page == 2)
    assert first.match.lower() == "drivhusgasudledning" and "netto-nul" in first.after
    assert first.link == f"/documents/{first.document_id}/pages/2"


def test_filters_phrases_and_limit(stored) -> None:  # type: ignore[no-untyped-def]
    with stored() as session:
        assert {h.document for h in search(session, "udledning", municipality="Greve")} == {
            "Byrådsmøde Greve"
        }
        assert {h.document for h in search(session, "udledning", kind="plan")} == {"Klimaplan Ballerup"}
        assert [h.page for h in search(session, "netto-nul")] == [2]
        assert search(session, "skov natur")[0].page == 3
        assert search(session, "skov budgettet") == []
        assert len(search(session, "udledning", limit=1)) == 1
        assert search(session, "  ") == []


def test_pages_stored_before_the_search_migration_are_indexed_by_it(empty_database_url: str) -> None:
    _, before = revision_named("full_text_search_and_peers")
    upgrade(empty_database_url, before)
    engine = make_engine(empty_database_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO documents (id, sha256, source, source_key, fetched_at, size_bytes, page_count, status,"
                " ocr_pages) VALUES (1, :sha, 'plan.txt', 'plan.txt', :now, 1, 1, 'extracted', 0)"
            ),
            {"sha": "a" * 64, "now": dt.datetime(2024, 1, 1)},
        )
        connection.execute(
            text("INSERT INTO pages (id, document_id, number, start_offset, text) VALUES (1, 1, 1, 0, :t)"),
            {"t": "Affaldsmængden og drivhusgasudledningen skal ned."},
        )
    engine.dispose()
    upgrade(empty_database_url)
    with session_factory(empty_database_url)() as session:
        assert [h.page for h in search(session, "udledning")] == [1]
        assert [h.page for h in search(session, "affald")] == [1]


def test_a_page_read_again_is_searched_once(stored, database_url: str) -> None:  # type: ignore[no-untyped-def]
    """Deleting pages (a document read again) takes them out of the index too."""
    from models import Page

    with stored.begin() as session:
        session.query(Page).filter(Page.text.like("%plante skov%")).delete(synchronize_session=False)
    with stored() as session:
        assert search(session, "skov") == []


def test_search_command(stored, database_url: str) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from klimamaal.cli import main

    result = CliRunner().invoke(
        main, ["search", "udledning", "--database-url", database_url, "--kind", "plan"]
    )
    assert result.exit_code == 0, result.output
    assert "Klimaplan Ballerup · side 2" in result.output and "[drivhusgasudledning]" in result.output
