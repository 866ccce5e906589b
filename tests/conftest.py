"""Shared fixtures: real SQLite files, a throwaway PostgreSQL cluster, one Prefect harness.

PostgreSQL tests are skipped when PostgreSQL is not installed, except under CI
(``CI=true``), where a missing server is a failure: `.ci/run` installs it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from klimamaal.config import prepare_prefect_env

PROJECT_ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("PREFECT_HOME", str(PROJECT_ROOT / ".prefect" / "tests"))
Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
prepare_prefect_env()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[object]:
    from tests.pgcluster import find_bin_dir, start_cluster

    if find_bin_dir() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is required under CI (apt-get install postgresql)")
        pytest.skip("PostgreSQL is not installed")
    cluster = start_cluster()
    yield cluster
    cluster.stop()


def _sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'klimamaal.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database (no schema) on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return _sqlite_url(tmp_path)
    return request.getfixturevalue("pg_cluster").create_database()


@pytest.fixture
def database_url(empty_database_url: str) -> str:
    """A fresh database at the newest schema, on SQLite and on PostgreSQL."""
    from db.migrate import upgrade

    upgrade(empty_database_url)
    return empty_database_url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite database at the newest schema."""
    from db.migrate import upgrade

    url = _sqlite_url(tmp_path)
    upgrade(url)
    return url


@pytest.fixture
def sessions(database_url: str):  # type: ignore[no-untyped-def]
    from db.engine import session_factory

    return session_factory(database_url)


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One Prefect test server for the whole session (it takes seconds to start); the CLI finds it through
    PREFECT_API_URL, as it would a configured server."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        os.environ["PREFECT_API_URL"] = str(PREFECT_API_URL.value())
        try:
            yield
        finally:
            os.environ.pop("PREFECT_API_URL", None)


@pytest.fixture(scope="session")
def ingested_corpus_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite database holding the bundled corpus, ingested by the core (not the flow)."""
    from db.engine import session_factory
    from db.migrate import upgrade
    from extractors import extract_targets, extractor_version
    from klimamaal.config import CORPUS_DIR
    from klimamaal.ingest import discover, ingest_source, seed_municipalities

    url = _sqlite_url(tmp_path_factory.mktemp("corpus-db"))
    upgrade(url)
    sessions = session_factory(url)
    seed_municipalities(sessions)
    for source in discover([CORPUS_DIR]):
        ingest_source(sessions, source, extract_targets, extractor_version())
    return url
