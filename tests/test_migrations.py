"""The schema is owned by Alembic: it must build, match the models and roll back, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from db.engine import make_engine
from db.migrate import current_revision, downgrade, head_revision, is_current, upgrade
from db.search import is_schema_object
from models import Base
from tests.revisions import revision_named


def test_upgrade_creates_every_table(empty_database_url: str) -> None:
    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    assert is_current(engine)


def test_migrations_match_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": is_schema_object})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_downgrade_to_base_and_up_again(database_url: str) -> None:
    engine = make_engine(database_url)
    downgrade(database_url, "base")
    assert current_revision(engine) is None
    assert "targets" not in inspect(engine).get_table_names()
    upgrade(database_url)
    assert current_revision(engine) == head_revision()


def test_upgrade_twice_changes_nothing(database_url: str) -> None:
    upgrade(database_url)
    assert is_current(make_engine(database_url))


def test_there_is_one_chain_of_migrations() -> None:
    from alembic.script import ScriptDirectory

    from db.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1
    assert len(script.get_bases()) == 1


def test_versions_migration_keeps_documents_and_reviews_and_supersedes_old_versions(
    empty_database_url: str,
) -> None:
    """A database before the sources/versions/runs migration that holds two versions of a plan, targets and a review, brought to the head."""
    from sqlalchemy import text

    from db.engine import session_factory
    from db.queries import target_rows

    _, before_versions = revision_named("sources_versions_runs")
    upgrade(empty_database_url, before_versions)
    engine = make_engine(empty_database_url)
    with engine.begin() as connection:
        for doc_id, sha, previous in ((1, "a" * 64, None), (2, "b" * 64, 1), (3, "c" * 64, None)):
            connection.execute(
                text(
                    "INSERT INTO documents (id, sha256, source, source_key, fetched_at, size_bytes, page_count,"
                    " status, previous_id, ocr_pages) VALUES (:id, :sha, :source, :key, :fetched,"
                    " 1, 1, 'extracted', :previous, 0)"
                ),
                {
                    "id": doc_id,
                    "sha": sha,
                    "source": f"plan{min(doc_id, 2)}.pdf",
                    "key": "plan.pdf" if doc_id < 3 else "other.pdf",
                    "previous": previous,
                    "fetched": dt.datetime(2026, 1, doc_id),
                },
            )
            connection.execute(
                text(
                    'INSERT INTO targets (id, document_id, origin, start, "end", rule_ids, confidence, band,'
                    " kind, quote, value, interim, ocr, status, revision, created_at) VALUES (:id, :doc,"
                    " 'machine', 0, 10, '[]', 0.9, 'target', 'outcome', 'Mål i 2030', :value, false, false,"
                    " :status, :revision, '2026-01-01')"
                ),
                {
                    "id": doc_id,
                    "doc": doc_id,
                    "value": 10.0 * doc_id,
                    "status": "accepted" if doc_id == 1 else "pending",
                    "revision": 1 if doc_id == 1 else 0,
                },
            )
        connection.execute(
            text(
                "INSERT INTO target_reviews (target_id, reviewer, created_at, action, before, after)"
                " VALUES (1, 'rita', '2026-01-02', 'accept', '{}', '{\"value\": 10.0}')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO ingest_runs (kind, started_at, finished_at, sources, new, unchanged, failed, pages,"
                " targets) VALUES ('ingest', '2026-01-01', '2026-01-01', '[]', 3, 0, 0, 3, 3)"
            )
        )
    upgrade(empty_database_url)
    assert is_current(engine)
    with engine.connect() as connection:
        superseded = connection.execute(
            text("SELECT id, superseded_by_id FROM documents WHERE superseded_at IS NOT NULL")
        ).all()
        assert [tuple(row) for row in superseded] == [(1, 2)]
        served = connection.execute(text("SELECT key, document_id FROM locations ORDER BY key")).all()
        assert [tuple(row) for row in served] == [("other.pdf", 3), ("plan.pdf", 2)]
        assert connection.execute(text("SELECT count(*) FROM target_reviews")).scalar() == 1
        assert connection.execute(text("SELECT status FROM ingest_runs")).scalar() == "finished"
    listed = target_rows(session_factory(empty_database_url))
    assert sorted(r["value"] for r in listed) == [20.0, 30.0]  # the superseded version no longer counts
    kept = target_rows(session_factory(empty_database_url), document_id=1)
    assert [(r["value"], r["status"]) for r in kept] == [(10.0, "accepted")]  # still readable, decision kept


def test_failed_logins_move_to_the_throttle_and_back(empty_database_url: str) -> None:
    """The sessions migration moves users.failed_logins/locked_until into login_throttle (by name); its
    downgrade moves them back."""
    url = empty_database_url
    _, before_sessions = revision_named("sessions_and_throttle")
    upgrade(url, before_sessions)
    engine = make_engine(url)
    locked = dt.datetime(2030, 1, 1, 12, 0)
    with engine.begin() as connection:
        insert = text(
            "INSERT INTO users (name, role, password_hash, created_at, failed_logins, locked_until) "
            "VALUES (:name, 'reviewer', 'x', CURRENT_TIMESTAMP, :failures, :locked)"
        )
        connection.execute(insert, {"name": "anna", "failures": 6, "locked": locked})
        connection.execute(insert, {"name": "bent", "failures": 0, "locked": None})
    upgrade(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT name, failures, locked_until FROM login_throttle")).all()
        assert [(name, failures, _naive(until)) for name, failures, until in rows] == [("anna", 6, locked)]
        assert "failed_logins" not in {c["name"] for c in inspect(connection).get_columns("users")}
    downgrade(url, before_sessions)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT name, failed_logins, locked_until FROM users ORDER BY name")
        ).all()
        assert [(name, failures, _naive(until)) for name, failures, until in rows] == [
            ("anna", 6, locked),
            ("bent", 0, None),
        ]
    engine.dispose()


def _naive(value: object) -> object:
    """SQLite returns DATETIME columns read through text() as strings."""
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value
