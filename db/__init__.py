"""Database access: engines, sessions, migrations and the storage functions of the core.

Prefect-free. Every function takes a Session or an Engine, so tests can point
it at SQLite or PostgreSQL alike.
"""

from db.engine import make_engine, session_factory

__all__ = ["make_engine", "session_factory"]
