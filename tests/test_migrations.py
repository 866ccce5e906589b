"""The schema is owned by Alembic: it must build, match the models and roll back, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from db.engine import make_engine
from db.migrate import current_revision, downgrade, head_revision, is_current, upgrade
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
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
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
