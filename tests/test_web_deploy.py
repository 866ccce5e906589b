"""Deployment: several processes serving one database, TLS settings, and the secret key kept in the data folder."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from benchmarks.bench_review import seed_synthetic
from tests.e2e.support import ROOT, csrf_of, logged_in_client, make_users, review_process, running_server


def _pending(client: httpx.Client) -> int:
    match = re.search(r"afventer</span> (\d+)", client.get("/queue").text)
    assert match
    return int(match.group(1))


def test_separate_processes_share_sessions_logins_and_counts(database_url: str, tmp_path: Path) -> None:
    """One server with two workers and another process beside it: nothing lives in a process's memory."""
    seed_synthetic(database_url, documents=1, targets_per_document=10, targets_per_page=5)
    make_users(database_url, ("anna", "reviewer"))
    with (
        review_process(database_url, tmp_path, "--workers", "2") as (first, first_output),
        review_process(database_url, tmp_path) as (second, _),
    ):
        assert "(2 workers;" in first_output[0]
        # a login form served by one process is accepted by the other (the key is shared through the folder)
        browser = httpx.Client(base_url=first, follow_redirects=False)
        token = csrf_of(browser.get("/login").text)
        moved = httpx.Client(base_url=second, follow_redirects=False, cookies=dict(browser.cookies))
        login = moved.post(
            "/login", data={"csrf_token": token, "name": "anna", "password": "rigtig-hemmelig"}
        )
        assert login.status_code == 303
        on_first = httpx.Client(base_url=first, follow_redirects=False, cookies=dict(moved.cookies))
        on_second = moved
        assert _pending(on_first) == _pending(on_second) == 10  # both have counted (and cached) now
        page = on_first.get("/queue").text
        target_id = int(re.findall(r'class="row-link" href="/targets/(\d+)', page)[0])
        form = on_first.get(f"/targets/{target_id}").text
        revision = re.search(r'name="revision" value="(\d+)"', form)
        assert revision
        decided = on_first.post(
            f"/targets/{target_id}/accept",
            data={"csrf_token": csrf_of(form), "revision": revision.group(1), "q": ""},
        )
        assert decided.status_code == 303
        assert _pending(on_second) == 9  # the other process's cached counts gave way at once
        # logging out through one process ends the session in the other
        on_second.post("/logout", data={"csrf_token": csrf_of(on_second.get("/queue").text)})
        assert on_first.get("/queue").status_code == 303
        # fresh connections land on either worker of the first server; all of them know the new session
        fresh = logged_in_client(first, "anna", limits=httpx.Limits(max_keepalive_connections=0))
        assert all(fresh.get("/queue").status_code == 200 for _ in range(12))
    workers = {int(pid) for pid in re.findall(r"Started server process \[(\d+)\]", "".join(first_output))}
    assert len(workers) == 2


def test_secure_cookies_and_hsts_behind_tls(sqlite_url: str, tmp_path: Path) -> None:
    make_users(sqlite_url, ("anna", "reviewer"))
    with review_process(sqlite_url, tmp_path, "--secure-cookies") as (base, _):
        client = httpx.Client(base_url=base, follow_redirects=False)
        page = client.get("/login")
        assert page.headers["strict-transport-security"].startswith("max-age=")
        login_cookie = page.headers["set-cookie"]
        assert login_cookie.startswith("__Host-klimamaal_login=") and "Secure" in login_cookie
        # an HTTP client keeps Secure cookies to itself over plain HTTP: hand it over as a proxy would
        response = httpx.post(
            base + "/login",
            data={"csrf_token": csrf_of(page.text), "name": "anna", "password": "rigtig-hemmelig"},
            headers={"cookie": login_cookie.split(";")[0]},
        )
        assert response.status_code == 303
        session_cookie = next(
            c for c in response.headers.get_list("set-cookie") if c.startswith("__Host-klimamaal_session=")
        )
        for attribute in ("Secure", "HttpOnly", "SameSite=lax", "Path=/"):
            assert attribute in session_cookie, attribute
        assert "Domain" not in session_cookie
        assert httpx.get(base + "/queue", headers={"cookie": session_cookie.split(";")[0]}).status_code == 200
    with running_server(sqlite_url) as base:  # plain HTTP (a laptop): no HSTS, no Secure
        page = httpx.get(base + "/login")
        assert "strict-transport-security" not in page.headers
        assert "secure" not in page.headers["set-cookie"].lower()


def _key_in_a_fresh_process(data_dir: Path, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "KLIMAMAAL_SECRET_KEY"}
    environment |= {"KLIMAMAAL_DATA_DIR": str(data_dir)} | env
    code = "from klimamaal.config import secret_key; print(secret_key())"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_the_secret_key_is_generated_once_and_kept_in_the_data_folder(tmp_path: Path) -> None:
    starts = [
        subprocess.Popen(
            [sys.executable, "-c", "from klimamaal.config import secret_key; print(secret_key())"],
            cwd=ROOT,
            env={k: v for k, v in os.environ.items() if k != "KLIMAMAAL_SECRET_KEY"}
            | {"KLIMAMAAL_DATA_DIR": str(tmp_path)},
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]  # four processes starting together, as workers do: one key wins
    keys = {process.communicate(timeout=60)[0].strip() for process in starts}
    assert len(keys) == 1
    (key,) = keys
    path = tmp_path / "secret_key"
    assert len(key) >= 32 and path.read_text().strip() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary files left behind
    assert _key_in_a_fresh_process(tmp_path) == key  # a restart finds the same key
    assert (
        _key_in_a_fresh_process(tmp_path, KLIMAMAAL_SECRET_KEY="configured-" + "k" * 40)
        == "configured-" + "k" * 40
    )


def test_a_short_key_file_is_refused_with_its_path(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("short\n")
    with pytest.raises(subprocess.CalledProcessError) as caught:
        _key_in_a_fresh_process(tmp_path)
    assert str(tmp_path / "secret_key") in (caught.value.stderr or "")
