"""Configuration from the environment, with defaults that work in a fresh checkout.

| variable | default |
|---|---|
| KLIMAMAAL_DATABASE_URL | sqlite:///<project>/data/klimamaal.db |
| KLIMAMAAL_DATA_DIR | <project>/data |
| PREFECT_HOME | <project>/.prefect |
| KLIMAMAAL_SHARED_DIR | <project>/../shared (real documents that document gold names) |
| KLIMAMAAL_MAX_DOCUMENT_MB | 250 (larger files are recorded as failed, not read) |
| KLIMAMAAL_WORKERS | the number of cores: sizes the task runner and the readers' page pool together |
| KLIMAMAAL_TASK_RUNNER | threads; ``dask`` (a local cluster) or ``dask://host:port`` (a scheduler) |
| KLIMAMAAL_CONTACT | who runs the crawler, sent in the User-Agent |
| KLIMAMAAL_HOST_DELAY | 1.0 seconds between two requests to one host |
| KLIMAMAAL_FETCH_CONNECT_TIMEOUT, _READ_TIMEOUT, _DEADLINE | 10, 30, 300 seconds |
| KLIMAMAAL_FETCH_RETRIES | 2 retries (with backoff) of a 5xx or a timeout |
| KLIMAMAAL_PREFECT_START_TIMEOUT | 180 seconds for the temporary Prefect server to start |
| KLIMAMAAL_SECRET_KEY | generated once into <data>/secret_key |
| KLIMAMAAL_HTTPS | off (on: Secure cookies and HSTS, for a deployment behind TLS) |
"""

from __future__ import annotations

import os
import secrets
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


def env_float(name: str, default: float) -> float:
    """A number from the environment; a bad value is an error that names the variable."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return float(raw)
    except ValueError as error:
        raise ValueError(f"{name}={raw!r} is not a number") from error


def workers() -> int:
    """How many things run at once on this machine (``KLIMAMAAL_WORKERS``, default: the cores)."""
    return max(1, int(env_float("KLIMAMAAL_WORKERS", float(os.cpu_count() or 1))))


def task_runner_name() -> str:
    """``threads`` (default), ``dask`` (a local cluster of ``workers()`` processes) or ``dask://address``."""
    return os.environ.get("KLIMAMAAL_TASK_RUNNER", "threads").strip() or "threads"


def host_delay() -> float:
    """Seconds between two requests to one host (politeness; 0 in benchmarks of throughput)."""
    return max(0.0, env_float("KLIMAMAAL_HOST_DELAY", 1.0))


def fetch_retries() -> int:
    return max(0, int(env_float("KLIMAMAAL_FETCH_RETRIES", 2)))


#: Who to tell when the crawler misbehaves, unless KLIMAMAAL_CONTACT says otherwise.
DEFAULT_CONTACT = "klimamaal operator; set KLIMAMAAL_CONTACT"


def user_agent() -> str:
    """An honest User-Agent: the program, its version and a contact."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("klimamaal")
    except PackageNotFoundError:
        release = "0"
    return f"klimamaal/{release} (climate-plan crawler; contact: {os.environ.get('KLIMAMAAL_CONTACT', DEFAULT_CONTACT)})"


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


def https_enabled() -> bool:
    """``KLIMAMAAL_HTTPS``: the review app is served behind TLS (Secure cookies, HSTS)."""
    return os.environ.get("KLIMAMAAL_HTTPS", "").strip().lower() in ("1", "true", "yes", "on")


def secret_key() -> str:
    """``KLIMAMAAL_SECRET_KEY``, else the key in ``<data>/secret_key``, generated there on first use.

    The file is written beside a temporary name and linked into place, so worker
    processes starting together all end up with the one key that won the race.
    """
    configured = os.environ.get("KLIMAMAAL_SECRET_KEY", "").strip()
    if configured:
        return configured
    path = data_dir() / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as out:
            out.write(secrets.token_urlsafe(48) + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise RuntimeError(f"{path}: the secret key is too short; delete the file to have a new one made")
    return key
