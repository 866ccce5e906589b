"""Ids in addresses and forms are checked at the route, on SQLite and PostgreSQL: 404 (or 400), never a 500."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from benchmarks.bench_review import seed_synthetic
from db.engine import session_factory
from models import Page, Target, TargetReview
from tests.e2e.support import csrf_of, logged_in_client, make_users, running_server

#: Not ids of stored rows, each for its own reason: too large for any driver, negative, zero, signed,
#: padded, spaced, decimal, exponent, underscored, a superscript digit, Arabic-Indic digits, empty.
NOT_IDS = [
    str(2**63),
    str(2**64 + 7),
    "9" * 40,
    str(2**31),
    "-1",
    "0",
    "+1",
    "01",
    "%201",
    "1.0",
    "1e3",
    "1_0",
    "%C2%B2",
    "%D9%A1",
]


@pytest.fixture
def site(database_url: str) -> Iterator[tuple[str, str, dict[str, int]]]:
    seed_synthetic(database_url, documents=1, targets_per_document=3, targets_per_page=3)
    make_users(database_url, ("anna", "reviewer"), ("admin", "admin"))
    with session_factory(database_url)() as session:
        target = session.scalars(select(Target).order_by(Target.id)).first()
        page = session.scalars(select(Page).order_by(Page.id)).first()
        assert target is not None and page is not None
        ids = {"target": target.id, "document": page.document_id, "page": page.number}
    with running_server(database_url) as base:
        yield base, database_url, ids


def test_malformed_and_unknown_ids_in_addresses_are_not_found(site) -> None:  # type: ignore[no-untyped-def]
    base, _, ids = site
    client = logged_in_client(base, "admin")
    templates = [
        "/targets/{x}",
        "/documents/{x}/pages/{p}",
        "/documents/{d}/pages/{x}",
        "/documents/{x}/pages/{p}/add?start=0&end=5",
        "/documents/{d}/pages/{x}/add?start=0&end=5",
        "/history?before={x}",
    ]
    for template in templates:
        for bad in NOT_IDS:
            if template.startswith("/history") and bad == "0":
                continue  # before=0 means "from the newest": a valid counter
            path = template.format(x=bad, d=ids["document"], p=ids["page"])
            response = client.get(path)
            assert response.status_code == 404, (path, response.status_code)
            assert "Ikke fundet" in response.text
    assert client.get(f"/targets/{ids['target']}").status_code == 200  # the well-formed one still works


def test_malformed_ids_in_posts_change_nothing(site) -> None:  # type: ignore[no-untyped-def]
    base, url, ids = site
    client = logged_in_client(base, "admin")
    token = csrf_of(client.get("/queue").text)
    posts = [
        "/targets/{x}/accept",
        "/targets/{x}/reject",
        "/targets/{x}/edit",
        "/targets/{x}/skip",
        "/targets/{x}/undo",
        "/documents/{x}/pages/{p}/add",
        "/admin/users/{x}/unlock",
        "/admin/users/{x}/disable",
        "/admin/users/{x}/enable",
        "/admin/sessions/{x}/end",
    ]
    form = {"csrf_token": token, "revision": "0", "reason": "x", "start": "0", "end": "5", "quote": "x"}
    for template in posts:
        for bad in NOT_IDS:
            path = template.format(x=bad, p=ids["page"])
            response = client.post(path, data=form)
            assert response.status_code == 404, (path, response.status_code)
    for value in (str(2**63), "-1", "²", "1.0", "", "٣"):
        response = client.post(f"/targets/{ids['target']}/accept", data=form | {"revision": value})
        assert response.status_code == 400, (value, response.status_code)
    with session_factory(url)() as session:
        assert session.scalar(select(func.count()).select_from(TargetReview)) == 0
    assert client.get("/queue").status_code == 200  # the admin's own session survived all of it


def test_queue_filters_with_bad_numbers_are_dropped_not_errors(site) -> None:  # type: ignore[no-untyped-def]
    base, _, ids = site
    client = logged_in_client(base, "anna")
    for query in (f"page={2**63}", "page=%C2%B2", f"document={2**63}", "municipality=%D9%A1", "year=-5"):
        response = client.get(f"/queue?{query}")
        assert response.status_code == 200, query
    html = client.get(f"/documents/{ids['document']}/pages/{ids['page']}/add?start=0&end=5&from={2**63}").text
    assert f"/targets/{2**63}" not in html  # a bad "from" is not echoed into a link
