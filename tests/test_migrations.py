"""The schema is owned by Alembic: it must build, match the models and roll back, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from db.engine import make_engine
from db.migrate import current_revision, downgrade, head_revision, is_current, upgrade
from models import Base


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
