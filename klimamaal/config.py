"""Configuration from the environment, with defaults that work in a fresh checkout.

| variable | default |
|---|---|
| KLIMAMAAL_DATABASE_URL | sqlite:///<project>/data/klimamaal.db |
| KLIMAMAAL_DATA_DIR | <project>/data |
| PREFECT_HOME | <project>/.prefect |
| KLIMAMAAL_SHARED_DIR | <project>/../shared (real documents that document gold names) |
| KLIMAMAAL_MAX_DOCUMENT_MB | 250 (larger files are recorded as failed, not read) |
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = PROJECT_ROOT / "corpus"
#: When the scheduled ingest runs unless told otherwise (cron syntax): 03:00 every night.
DEFAULT_CRON = "0 3 * * *"


def shared_dir() -> Path:
    """Where ``../shared`` lives: the real documents that stand-off gold names by path (never copied here)."""
    return Path(os.environ.get("KLIMAMAAL_SHARED_DIR", PROJECT_ROOT.parent / "shared"))


#: Files larger than this many megabytes are refused with a recorded error (``KLIMAMAAL_MAX_DOCUMENT_MB``).
DEFAULT_MAX_DOCUMENT_MB = 250


def max_document_bytes() -> int:
    """The largest file ingest reads; a bad value of the variable is an error that names it."""
    raw = os.environ.get("KLIMAMAAL_MAX_DOCUMENT_MB", str(DEFAULT_MAX_DOCUMENT_MB))
    try:
        megabytes = float(raw)
    except ValueError as error:
        raise ValueError(f"KLIMAMAAL_MAX_DOCUMENT_MB={raw!r} is not a number of megabytes") from error
    return int(megabytes * 1024 * 1024)


def data_dir() -> Path:
    return Path(os.environ.get("KLIMAMAAL_DATA_DIR", PROJECT_ROOT / "data"))


def database_url() -> str:
    """The database to use: ``KLIMAMAAL_DATABASE_URL`` or a SQLite file in the data folder."""
    url = os.environ.get("KLIMAMAAL_DATABASE_URL")
    if url:
        return url
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'klimamaal.db'}"


def prepare_prefect_env() -> None:
    """Keep Prefect's state inside the project and its analytics off, unless the user chose otherwise.

    Must run before Prefect is imported: Prefect reads its settings at import.
    """
    os.environ.setdefault("PREFECT_HOME", str(PROJECT_ROOT / ".prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
