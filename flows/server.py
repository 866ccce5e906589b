"""Which Prefect API a run talks to: ``PREFECT_API_URL``, or a temporary server of its own.

Without ``PREFECT_API_URL`` a run starts a temporary server
(``flows.temp_server``, which dies with the run even after ``kill -9``) and
waits for it with a generous timeout (``KLIMAMAAL_PREFECT_START_TIMEOUT``,
180 s: the default 20 s of Prefect is too short on a loaded 2-core machine).
When it cannot start, or a configured server cannot be reached, the error
says so in Danish and English and what to do.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from klimamaal.config import PROJECT_ROOT, env_float

DEFAULT_START_TIMEOUT = 180.0


class PrefectUnavailable(RuntimeError):
    """No Prefect API to run against; the message is for the user."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def api_healthy(api_url: str, timeout: float = 5.0) -> bool:
    try:
        return httpx.get(api_url.rstrip("/") + "/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def require_server(api_url: str | None) -> str:
    """The configured server's API URL, or PrefectUnavailable telling how to start one."""
    if not api_url:
        raise PrefectUnavailable(
            "Ingen Prefect-server er sat op / no Prefect server is configured: schedules fire only on a "
            "running server. Start one with `prefect server start` and set "
            "PREFECT_API_URL=http://127.0.0.1:4200/api"
        )
    if not api_healthy(api_url):
        raise PrefectUnavailable(
            f"Prefect-serveren svarer ikke / the Prefect server does not answer at {api_url}: start it with "
            "`prefect server start` (or correct PREFECT_API_URL)"
        )
    return api_url


@contextmanager
def prefect_api() -> Iterator[str]:
    """The API URL to use for the body; starts (and stops) a temporary server when none is configured."""
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        yield require_server(configured)
        return
    timeout = env_float("KLIMAMAAL_PREFECT_START_TIMEOUT", DEFAULT_START_TIMEOUT)
    deadline = time.monotonic() + timeout
    port = _free_port()
    env = {
        **os.environ,
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
    }
    api_url = f"http://127.0.0.1:{port}/api"
    # the server's errors go to a file (a pipe nobody reads would stop it once full); kept if it fails
    log = _home() / f"temporary-server-{os.getpid()}.log"
    with _starting_alone(deadline, timeout), log.open("wb") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "flows.temp_server", "--port", str(port), "--parent", str(os.getpid())],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        _wait_until_healthy(process, api_url, deadline, timeout, log)
    try:
        from prefect.settings import PREFECT_API_URL, temporary_settings

        os.environ["PREFECT_API_URL"] = api_url  # for processes the run starts (Dask workers)
        try:
            with temporary_settings(updates={PREFECT_API_URL: api_url}):
                yield api_url
        finally:
            os.environ.pop("PREFECT_API_URL", None)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.unlink(missing_ok=True)


@contextmanager
def _starting_alone(deadline: float, timeout: float) -> Iterator[None]:
    """One temporary server at a time starts on a Prefect home: each migrates Prefect's database as it
    starts, and two at once on a fresh home fail (two `klimamaal ingest` started together)."""
    import fcntl

    with open(_home() / "klimamaal-server-start.lock", "w") as lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise PrefectUnavailable(
                        _not_started(timeout, "another run's server was still starting")
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _home() -> Path:
    home = Path(os.environ.get("PREFECT_HOME", PROJECT_ROOT / ".prefect"))
    home.mkdir(parents=True, exist_ok=True)
    return home


def _not_started(timeout: float, why: str) -> str:
    return (
        f"Prefects midlertidige server startede ikke inden for {timeout:g} s / Prefect's temporary "
        f"server did not start within {timeout:g} s ({why}). Raise KLIMAMAAL_PREFECT_START_TIMEOUT, "
        "or run `prefect server start` and set PREFECT_API_URL."
    )


def _wait_until_healthy(
    process: subprocess.Popen[bytes], api_url: str, deadline: float, timeout: float, log: Path
) -> None:
    while not api_healthy(api_url, timeout=2):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait()
            detail = log.read_text(encoding="utf-8", errors="replace")[-2000:].strip()
            raise PrefectUnavailable(
                _not_started(timeout, f"exit code {process.returncode}; its errors are in {log}")
                + " "
                + detail
            )
        time.sleep(0.3)
