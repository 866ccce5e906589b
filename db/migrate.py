"""Alembic, driven from code: ``klimamaal db upgrade`` and the tests call these."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolation would choke on '%' in passwords
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the schema at ``url`` up to ``revision``; where that changed it, refresh the planner's
    statistics (a new index needs them). Every ingest and re-extraction upgrades first, and most find
    the schema current: they do not pay for an ANALYZE of the whole database then."""
    from db.engine import make_engine, refresh_statistics

    engine = make_engine(url)
    try:
        before = current_revision(engine)
        if revision == "head" and before == head_revision():
            return  # the common case of every run: nothing to do, and Alembic's environment costs time
        command.upgrade(alembic_config(url), revision)
        if current_revision(engine) != before:
            refresh_statistics(engine)
    finally:
        engine.dispose()


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_current(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()
