"""Server-side sessions against a real server, on SQLite and PostgreSQL: what ends them, and at once."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, update

from benchmarks.bench_review import seed_synthetic
from db import reviews
from db.engine import session_factory
from db.sessions import IDLE_TIMEOUT, TOUCH_EVERY
from db.users import MAX_FAILURES, find_user
from klimamaal.cli import main
from models import Target, TargetReview, WebSession, utcnow
from tests.e2e.support import PASSWORD, csrf_of, logged_in_client, make_users, running_server

NEW_PASSWORD = "en-helt-ny-kode"


@pytest.fixture
def site(database_url: str) -> Iterator[tuple[str, str]]:
    seed_synthetic(database_url, documents=1, targets_per_document=5, targets_per_page=5)
    make_users(database_url, ("anna", "reviewer"), ("bent", "reviewer"), ("admin", "admin"))
    with running_server(database_url) as base:
        yield base, database_url


def _copy(base: str, client: httpx.Client) -> httpx.Client:
    """A second browser holding a copy of ``client``'s cookies (what a thief would hold)."""
    return httpx.Client(base_url=base, follow_redirects=False, cookies=dict(client.cookies))


def _opens_queue(client: httpx.Client) -> bool:
    response = client.get("/queue")
    assert response.status_code in (200, 303), response.status_code
    return response.status_code == 200


def _sessions_of(url: str, name: str) -> int:
    from models import User

    with session_factory(url)() as session:
        return (
            session.scalar(select(func.count()).select_from(WebSession).join(User).where(User.name == name))
            or 0
        )


def test_the_cookie_holds_only_a_random_token_the_database_only_its_hash(site) -> None:  # type: ignore[no-untyped-def]
    base, url = site
    client = logged_in_client(base, "anna")
    token = client.cookies["klimamaal_session"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)  # 32 random bytes, nothing else
    with session_factory(url)() as session:
        (row,) = session.scalars(select(WebSession))
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in row.token_hash
    assert _opens_queue(client)


def test_logout_ends_the_session_for_a_copied_cookie_too(site) -> None:  # type: ignore[no-untyped-def]
    base, url = site
    client = logged_in_client(base, "anna")
    thief = _copy(base, client)
    assert _opens_queue(thief)
    token = csrf_of(client.get("/queue").text)
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 303 and "klimamaal_session" in response.headers["set-cookie"]
    assert not _opens_queue(thief) and not _opens_queue(client)
    assert _sessions_of(url, "anna") == 0


def test_a_password_change_ends_every_session_of_the_user(site) -> None:  # type: ignore[no-untyped-def]
    base, url = site
    laptop, phone = logged_in_client(base, "anna"), logged_in_client(base, "anna")
    thief = _copy(base, laptop)
    bent = logged_in_client(base, "bent")
    form = {"csrf_token": csrf_of(laptop.get("/account/password").text)}
    wrong = laptop.post(
        "/account/password", data=form | {"current": "gæt", "new": NEW_PASSWORD, "repeat": NEW_PASSWORD}
    )
    assert wrong.status_code == 422 and "nuværende adgangskode er forkert" in wrong.text
    assert _opens_queue(phone)  # a wrong current password changes nothing
    changed = laptop.post(
        "/account/password", data=form | {"current": PASSWORD, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD}
    )
    assert changed.status_code == 303
    after = laptop.get("/queue")  # this browser got a new session
    assert after.status_code == 200 and "Adgangskoden er skiftet" in after.text
    assert not _opens_queue(phone) and not _opens_queue(thief)
    assert _opens_queue(bent)  # other users keep theirs
    assert logged_in_client(base, "anna", NEW_PASSWORD)
    with pytest.raises(AssertionError):
        logged_in_client(base, "anna", PASSWORD)


def test_the_cli_password_reset_ends_the_sessions(site, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    base, url = site
    client = logged_in_client(base, "anna")
    monkeypatch.setenv("KLIMAMAAL_DATABASE_URL", url)
    result = CliRunner().invoke(main, ["users", "passwd", "anna"], input=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert not _opens_queue(client)
    assert _opens_queue(logged_in_client(base, "anna", NEW_PASSWORD))
    unknown = CliRunner().invoke(main, ["users", "passwd", "nobody"], input=NEW_PASSWORD + "\n")
    assert unknown.exit_code != 0 and "no user named 'nobody'" in unknown.output


def test_a_lock_out_ends_the_users_sessions(site) -> None:  # type: ignore[no-untyped-def]
    base, url = site
    anna = logged_in_client(base, "anna")
    guesser = httpx.Client(base_url=base, follow_redirects=False)
    token = csrf_of(guesser.get("/login").text)
    for attempt in range(MAX_FAILURES):
        assert _opens_queue(anna), attempt  # failures below the lock leave the session alone
        guesser.post("/login", data={"csrf_token": token, "name": "anna", "password": "forkert"})
    assert not _opens_queue(anna)
    assert _sessions_of(url, "anna") == 0


def test_disabling_a_user_ends_their_sessions_bars_login_and_keeps_the_name(site) -> None:  # type: ignore[no-untyped-def]
    base, url = site
    with session_factory(url).begin() as session:
        target_id = session.scalar(select(Target.id).order_by(Target.id))
        assert target_id is not None
        reviews.accept(session, target_id, "bent", 0)
    bent, admin = logged_in_client(base, "bent"), logged_in_client(base, "admin")
    user = find_user(session_factory(url), "bent")
    assert user is not None
    form = {"csrf_token": csrf_of(admin.get("/admin/users").text)}
    assert admin.post(f"/admin/users/{user.id}/disable", data=form).status_code == 303
    assert not _opens_queue(bent)
    anonymous = httpx.Client(base_url=base, follow_redirects=False)
    login = {"csrf_token": csrf_of(anonymous.get("/login").text), "password": PASSWORD}
    refused = anonymous.post("/login", data=login | {"name": "bent"})
    unknown = anonymous.post("/login", data=login | {"name": "bo"})
    assert refused.status_code == unknown.status_code == 401
    assert refused.text.replace("bent", "bo") == unknown.text  # a disabled user looks like nobody
    again = admin.post("/admin/users", data=form | {"name": "bent", "role": "reviewer", "password": "x" * 12})
    assert again.status_code == 422 and "aldrig igen" in again.text
    with session_factory(url)() as session:
        assert (
            session.scalar(select(TargetReview.reviewer).where(TargetReview.target_id == target_id)) == "bent"
        )
    assert "bent" in admin.get("/history?reviewer=bent").text
    assert admin.post(f"/admin/users/{user.id}/enable", data=form).status_code == 303
    assert _opens_queue(logged_in_client(base, "bent"))


def test_a_name_from_the_review_history_is_not_given_out_again(site) -> None:  # type: ignore[no-untyped-def]
    """Decisions recorded under a name no user has (an older database, the CLI) still keep the name."""
    base, url = site
    with session_factory(url).begin() as session:
        target_id = session.scalar(select(Target.id).order_by(Target.id))
        assert target_id is not None
        reviews.skip(session, target_id, "rita")
    admin = logged_in_client(base, "admin")
    form = {"csrf_token": csrf_of(admin.get("/admin/users").text)}
    taken = admin.post("/admin/users", data=form | {"name": "rita", "role": "reviewer", "password": "x" * 12})
    assert taken.status_code == 422


def test_idle_and_absolute_timeouts_end_a_session(site) -> None:  # type: ignore[no-untyped-def]
    base, url = site
    sessions = session_factory(url)
    client = logged_in_client(base, "anna")
    with sessions.begin() as session:  # used a while ago, but within the idle timeout: the visit renews it
        session.execute(update(WebSession).values(last_seen_at=utcnow() - TOUCH_EVERY * 2))
    assert _opens_queue(client)
    with sessions() as session:
        assert utcnow() - session.scalar(select(WebSession.last_seen_at)) < TOUCH_EVERY
    with sessions.begin() as session:
        session.execute(
            update(WebSession).values(last_seen_at=utcnow() - IDLE_TIMEOUT - dt.timedelta(minutes=1))
        )
    assert not _opens_queue(client)
    client = logged_in_client(base, "anna")
    assert _opens_queue(client)
    with sessions.begin() as session:  # busy all day, but the absolute end has come
        session.execute(update(WebSession).values(expires_at=utcnow() - dt.timedelta(seconds=1)))
    assert not _opens_queue(client)


def test_admins_see_the_active_sessions_and_can_end_one(site) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    anna, on_the_phone = (
        logged_in_client(base, "anna"),
        logged_in_client(base, "anna", headers={"user-agent": "annas-phone/1.0"}),
    )
    admin = logged_in_client(base, "admin")
    assert anna.get("/admin/sessions").status_code == 403
    page = admin.get("/admin/sessions").text
    rows = re.findall(r"<tr><td>(\w+)( \(dig, her\))?</td>.*?/admin/sessions/(\d+)/end", page, flags=re.S)
    assert sorted(name for name, _, _ in rows) == ["admin", "anna", "anna"]
    assert [name for name, mine, _ in rows if mine] == ["admin"]
    assert "annas-phone/1.0" in page and "127.0.0.1" in page
    for name, _, session_id in rows:
        if name == "anna":
            ended = admin.post(f"/admin/sessions/{session_id}/end", data={"csrf_token": csrf_of(page)})
            assert ended.status_code == 303
    assert not _opens_queue(anna) and not _opens_queue(on_the_phone)
    assert _opens_queue(admin)
    assert "anna" not in re.sub(r"<header.*?</header>", "", admin.get("/admin/sessions").text, flags=re.S)
