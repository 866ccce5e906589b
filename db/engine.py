"""Engines and sessions for SQLite (the default) and PostgreSQL."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # Foreign keys are off by default in SQLite; WAL lets the review app read while an ingest writes.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys, WAL and a busy timeout."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = create_engine(url, future=True, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@lru_cache(maxsize=8)
def cached_engine(url: str) -> Engine:
    """One engine per URL per process (engines hold connection pools)."""
    return make_engine(url)


def session_factory(url_or_engine: str | Engine) -> sessionmaker[Session]:
    engine = cached_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    return sessionmaker(engine, expire_on_commit=False)


def refresh_statistics(engine: Engine) -> None:
    """Refresh SQLite's planner statistics after migrations and bulk writes.

    Without them (or with stats older than an index) SQLite may pick an index
    that matches the filter but not the order, and sort the whole review
    queue. PostgreSQL's autovacuum does this on its own.
    """
    if engine.dialect.name == "sqlite":
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")


def upsert(dialect_name: str, model: type) -> Any:
    """An INSERT for ``model`` with ``on_conflict_do_update``/``_nothing``: SQLite and PostgreSQL spell it alike,
    but SQLAlchemy keeps the construct per dialect."""
    if dialect_name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(model)
    if dialect_name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(model)
    raise ValueError(f"no upsert for {dialect_name}")
