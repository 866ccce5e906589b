"""Security of the review app against a real server: escaping, CSP, CSRF, sessions, roles, static files."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser

import httpx
import pytest
from sqlalchemy import func, select

from benchmarks.bench_review import seed_synthetic
from db import reviews
from db.engine import session_factory
from models import Page, Target, TargetReview
from tests.e2e.support import HOSTILE_PAGE, PASSWORD, csrf_of, logged_in_client, make_users, running_server

SCRIPT = "<script>window.__pwned = 1; alert('xss')</script>"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, dict[str, int]]]:
    """A server on a SQLite database with a hostile page and a target whose quote holds markup."""
    from db.migrate import upgrade

    url = f"sqlite:///{tmp_path_factory.mktemp('web-security') / 'db.sqlite'}"
    upgrade(url)
    seed_synthetic(url, documents=1, targets_per_document=3, extra_page=HOSTILE_PAGE)
    make_users(url, ("anna", "reviewer"), ("bent", "reviewer"), ("admin", "admin"))
    sessions = session_factory(url)
    with sessions.begin() as session:
        page = session.scalar(select(Page).where(Page.text.contains("__pwned")))
        assert page is not None
        start = page.text.index("<script>")
        end = page.text.index("javascript:alert(3)") + len("javascript:alert(3)")
        hostile = reviews.add_target(
            session,
            document_id=page.document_id,
            page_number=page.number,
            page_start=start,
            page_end=end,
            quote=page.text[start:end],
            fields={"metric": '"><img src=x onerror=alert(4)>'},
            reviewer="bent",
            note="<b>note</b>",
        )
        ids = {"hostile": hostile.id, "document": page.document_id, "page": page.number}
        ids["plain"] = session.scalar(select(Target.id).where(Target.origin == "machine").order_by(Target.id))
    with running_server(url) as base:
        yield base, url, ids


class _Tags(HTMLParser):
    """Collects tags, attributes and script bodies the way a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def _no_live_markup(html: str) -> None:
    """Only our own tags: no event-handler attribute, no javascript: URL, no inline style or script body."""
    parser = _Tags()
    parser.feed(html)
    assert "img" not in {tag for tag, _ in parser.tags}  # the hostile <img> stayed text
    for tag, attrs in parser.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert name != "style", tag
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, name)
        if tag == "script":
            assert dict(attrs).get("src", "").startswith("/static/")
    assert all(not body.strip() for body in parser.scripts)


def test_document_text_shows_as_text_on_every_page(site) -> None:  # type: ignore[no-untyped-def]
    base, _, ids = site
    client = logged_in_client(base, "anna")
    pages = [
        f"/targets/{ids['hostile']}",
        f"/documents/{ids['document']}/pages/{ids['page']}",
        f"/documents/{ids['document']}/pages/{ids['page']}/add?start=0&end=40",
        "/queue?status=accepted",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        _no_live_markup(response.text)
    target = client.get(f"/targets/{ids['hostile']}").text
    assert "&lt;script&gt;window.__pwned = 1;" in target
    assert (
        "onerror=&#34;window.__pwned = 2&#34;" in target or "onerror=&quot;window.__pwned = 2&quot;" in target
    )
    assert "&lt;b&gt;note&lt;/b&gt;" in target  # a reviewer's note is text too


def test_every_response_has_a_strict_content_security_policy(site) -> None:  # type: ignore[no-untyped-def]
    base, _, _ = site
    client = logged_in_client(base, "anna")
    for path in ("/login", "/queue", "/static/app.js", "/nowhere"):
        csp = client.get(path).headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    assert client.get("/queue").headers["x-frame-options"] == "DENY"


POSTS = (
    "/targets/{t}/accept",
    "/targets/{t}/edit",
    "/targets/{t}/reject",
    "/targets/{t}/skip",
    "/targets/{t}/undo",
    "/documents/{d}/pages/{p}/add",
    "/admin/users",
    "/logout",
)


def _review_count(url: str) -> int:
    with session_factory(url)() as session:
        return session.scalar(select(func.count()).select_from(TargetReview)) or 0


def test_state_changing_requests_need_a_session_and_a_valid_csrf_token(site) -> None:  # type: ignore[no-untyped-def]
    base, url, ids = site
    before = _review_count(url)
    anonymous = httpx.Client(base_url=base, follow_redirects=False)
    token = csrf_of(anonymous.get("/login").text)  # an anonymous session has a token, but no user
    client = logged_in_client(base, "admin")
    good = csrf_of(client.get("/queue").text)
    for template in POSTS:
        path = template.format(t=ids["plain"], d=ids["document"], p=ids["page"])
        form = {
            "revision": "0",
            "reason": "x",
            "value": "1",
            "name": "mallory",
            "role": "admin",
            "password": "x" * 12,
            "start": "0",
            "end": "5",
            "quote": "x",
        }
        if path != "/logout":  # logging out an anonymous session is harmless
            assert anonymous.post(path, data=form | {"csrf_token": token}).status_code == 403, path
        assert client.post(path, data=form).status_code == 403, path
        assert client.post(path, data=form | {"csrf_token": good[:-2] + "xx"}).status_code == 403, path
        assert httpx.post(base + path, data=form | {"csrf_token": good}).status_code == 403, path  # no cookie
    assert _review_count(url) == before
    assert "mallory" not in client.get("/admin/users").text


def test_login_rejects_a_foreign_csrf_token(site) -> None:  # type: ignore[no-untyped-def]
    base, _, _ = site
    mine = httpx.Client(base_url=base, follow_redirects=False)
    other = httpx.Client(base_url=base, follow_redirects=False)
    theirs = csrf_of(other.get("/login").text)
    mine.get("/login")
    response = mine.post("/login", data={"csrf_token": theirs, "name": "anna", "password": PASSWORD})
    assert response.status_code == 403


def test_session_cookie_is_signed_httponly_and_samesite(site) -> None:  # type: ignore[no-untyped-def]
    base, _, _ = site
    client = httpx.Client(base_url=base, follow_redirects=False)
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"csrf_token": token, "name": "anna", "password": PASSWORD})
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert client.get("/queue").status_code == 200
    value = client.cookies["klimamaal_session"]
    forged = httpx.Client(
        base_url=base, follow_redirects=False, cookies={"klimamaal_session": value[:-4] + "AAAA"}
    )
    assert forged.get("/queue").status_code == 303  # tampered signature: back to the login page


def test_login_failures_lock_the_account_and_messages_are_danish(site) -> None:  # type: ignore[no-untyped-def]
    base, url, _ = site
    make_users(url, ("lars", "reviewer"))
    client = httpx.Client(base_url=base, follow_redirects=False)
    token = csrf_of(client.get("/login").text)
    first = client.post("/login", data={"csrf_token": token, "name": "lars", "password": "forkert"})
    assert first.status_code == 401 and "Forkert brugernavn eller adgangskode" in first.text
    for _ in range(5):
        last = client.post("/login", data={"csrf_token": token, "name": "lars", "password": "forkert"})
    assert "låst" in last.text
    right = client.post("/login", data={"csrf_token": token, "name": "lars", "password": PASSWORD})
    assert right.status_code == 401  # locked: the right password does not help yet


def test_an_unknown_name_gets_the_same_answers_and_the_same_lock_out(site) -> None:  # type: ignore[no-untyped-def]
    """Nothing in the answers to a run of failed logins tells whether the name exists."""
    base, url, _ = site
    make_users(url, ("lone", "reviewer"))

    def answers(name: str) -> list[tuple[int, str]]:
        client = httpx.Client(base_url=base, follow_redirects=False)
        token = csrf_of(client.get("/login").text)
        seen = []
        for _ in range(7):
            response = client.post("/login", data={"csrf_token": token, "name": name, "password": "forkert"})
            seen.append((response.status_code, response.text.replace(token, "TOKEN").replace(name, "NAME")))
        return seen

    real, unknown = answers("lone"), answers("ingen-bruger")
    assert real == unknown
    assert "Forkert brugernavn eller adgangskode" in real[0][1]
    assert "For mange forkerte forsøg" in real[-1][1] and real[-1][0] == 401


def test_login_redirects_only_to_local_paths(site) -> None:  # type: ignore[no-untyped-def]
    base, _, _ = site
    client = httpx.Client(base_url=base, follow_redirects=False)
    token = csrf_of(client.get("/login?next=//evil.example/x").text)
    response = client.post(
        "/login",
        data={"csrf_token": token, "name": "anna", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.headers["location"] == "/queue"


def test_logout_ends_the_session(site) -> None:  # type: ignore[no-untyped-def]
    base, _, _ = site
    client = logged_in_client(base, "anna")
    token = csrf_of(client.get("/queue").text)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/queue").status_code == 303


def test_static_files_are_served_by_exact_name_only(site) -> None:  # type: ignore[no-untyped-def]
    base, _, _ = site
    client = httpx.Client(base_url=base, follow_redirects=False)
    assert client.get("/static/app.css").status_code == 200
    for path in (
        "/static/..%2fapp.py",
        "/static/%2e%2e%2f%2e%2e%2fpyproject.toml",
        "/static/../app.py",
        "/static/templates",
        "/static/app.js%00.py",
        "/static/.%2f..%2f__init__.py",
    ):
        assert client.get(path).status_code == 404, path


def test_reviewers_cannot_manage_users_and_see_only_their_history(site) -> None:  # type: ignore[no-untyped-def]
    base, _, ids = site
    reviewer = logged_in_client(base, "anna")
    assert reviewer.get("/admin/users").status_code == 403
    token = csrf_of(reviewer.get("/queue").text)
    assert (
        reviewer.post(
            "/admin/users", data={"csrf_token": token, "name": "x", "role": "admin", "password": "y" * 10}
        ).status_code
        == 403
    )
    assert f"#{ids['hostile']}" not in reviewer.get("/history?reviewer=bent").text  # bent's add is not anna's
    admin = logged_in_client(base, "admin")
    assert f"#{ids['hostile']}" in admin.get("/history?reviewer=bent").text
    page = admin.get("/admin/users")
    assert page.status_code == 200 and "bent" in page.text
    token = csrf_of(page.text)
    created = admin.post(
        "/admin/users",
        data={"csrf_token": token, "name": "nina", "role": "reviewer", "password": "lang-nok-kode"},
    )
    assert created.status_code == 303
    assert logged_in_client(base, "nina", "lang-nok-kode").get("/queue").status_code == 200
    short = admin.post(
        "/admin/users", data={"csrf_token": token, "name": "ole", "role": "reviewer", "password": "kort"}
    )
    assert short.status_code == 422 and "mindst 8 tegn" in short.text


def test_malformed_addresses_get_a_danish_not_found_page(site) -> None:  # type: ignore[no-untyped-def]
    base, _, _ = site
    client = logged_in_client(base, "anna")
    for path in ("/targets/abc", "/targets/999999", "/documents/1/pages/999", "/nowhere"):
        response = client.get(path)
        assert response.status_code == 404 and "Ikke fundet" in response.text, path
        assert response.headers["content-type"].startswith("text/html")
