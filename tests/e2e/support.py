"""Helpers for the web tests: a real uvicorn server on a free loopback port, users, and login over HTTP."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from benchmarks.bench_review import free_port
from db.engine import session_factory
from db.users import create_user

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "rigtig-hemmelig"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
#: Debian's chromium, driven by Playwright (never a browser Playwright downloads).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Hostile page text: markup and script a PDF or web page could carry; it must show as text.
HOSTILE_PAGE = (
    "Overskrift <script>window.__pwned = 1; alert('xss')</script>\n\n"
    'Et billede <img src=x onerror="window.__pwned = 2"> og et link javascript:alert(3) i teksten.\n\n'
    "Vi vil reducere udledningen fra kommunens egne bygninger med 40 % i 2030.\n\n"
    "Projektet foregår fra 2023 til 2026."
)


@contextmanager
def running_server(database_url: str) -> Iterator[str]:
    """The real app under uvicorn in a thread on 127.0.0.1; yields its base URL."""
    from webapp.app import create_app

    port = free_port()
    config = uvicorn.Config(
        create_app(database_url, secret_key="test-secret-" + "x" * 40),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the review server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def review_process(
    database_url: str, data_dir: Path, *options: str, **env: str
) -> Iterator[tuple[str, list[str]]]:
    """``klimamaal review`` as its own process on a free port; yields its base URL and its output lines so far.

    The secret key is the one generated into ``data_dir`` (none in the environment),
    so servers given the same folder share it, as workers on one machine do.
    """
    port = free_port()
    environment = {
        k: v for k, v in os.environ.items() if k not in ("KLIMAMAAL_SECRET_KEY", "KLIMAMAAL_HTTPS")
    }
    environment |= {"KLIMAMAAL_DATABASE_URL": database_url, "KLIMAMAAL_DATA_DIR": str(data_dir)} | env
    server = subprocess.Popen(
        [sys.executable, "-m", "klimamaal.cli", "review", "--port", str(port), *options],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(server.stdout), daemon=True)  # type: ignore[arg-type]
    reader.start()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:  # the server migrates and imports before it listens
            assert server.poll() is None, "klimamaal review exited: " + "".join(lines)
            assert time.monotonic() < deadline, "klimamaal review did not start: " + "".join(lines)
            try:
                httpx.get(base + "/login", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base, lines
    finally:
        server.terminate()
        server.wait(timeout=20)


def make_users(database_url: str, *names: tuple[str, str]) -> None:
    sessions = session_factory(database_url)
    for name, role in names:
        create_user(sessions, name, role, PASSWORD)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def logged_in_client(base_url: str, name: str, password: str = PASSWORD, **options: Any) -> httpx.Client:
    client = httpx.Client(base_url=base_url, follow_redirects=False, timeout=30, **options)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"csrf_token": token, "name": name, "password": password, "next": "/queue"}
    )
    assert response.status_code == 303, response.text
    return client
