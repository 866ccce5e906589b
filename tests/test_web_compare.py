"""The comparison and search pages over HTTP on a real server, and the read-only analyst role."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from db.engine import session_factory
from db.migrate import upgrade
from models import Target, TargetReview
from tests.compare_corpus import Planted, plant_corpus
from tests.e2e.support import csrf_of, logged_in_client, make_users, running_server


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Planted]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('webcompare') / 'k.db'}"
    upgrade(url)
    planted = plant_corpus(session_factory(url))
    make_users(url, ("ada", "analyst"), ("birte", "reviewer"))
    with running_server(url) as base:
        yield base, url, planted


def test_analyst_sees_the_comparison_with_charts_and_strict_csp(site) -> None:  # type: ignore[no-untyped-def]
    base, _, planted = site
    client = logged_in_client(base, "ada")
    response = client.get("/compare?shared=0")
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    html = response.text
    assert html.count('<tr data-code="') == 98
    assert "<svg" in html and 'class="point"' in html and "<script>" not in html
    assert "(analytiker)" in html
    for code, (value, _, _) in planted.headline.items():
        match = re.search(rf'<tr data-code="{code}">.*?data-value="([^"]*)"', html, re.S)
        assert match and float(match.group(1).replace(",", ".")) == value
    links = set(re.findall(r'href="(/documents/\d+/pages/\d+)"', html))
    assert links and client.get(sorted(links)[0]).status_code == 200


def test_filters_and_downloads(site) -> None:  # type: ignore[no-untyped-def]
    base, _, planted = site
    client = logged_in_client(base, "ada")
    name = planted.names[planted.codes[5]]
    html = client.get("/compare", params={"municipality": name, "shared": "0"}).text
    assert re.findall(r'<tr data-code="(\d+)"', html) == [str(planted.codes[5])]
    xlsx = client.get("/compare/download", params={"format": "xlsx", "shared": "0"})
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["content-disposition"]
    matrix = load_workbook(io.BytesIO(xlsx.content))["Matrix"]
    assert matrix.max_row == 99 and matrix.freeze_panes == "A2"
    archive = zipfile.ZipFile(
        io.BytesIO(client.get("/compare/download?format=csv&dialect=excel-da&shared=0").content)
    )
    assert "matrix.csv" in archive.namelist()
    assert archive.read("matrix.csv").startswith(b"\xef\xbb\xbfKode;Kommune;")
    assert client.get("/compare", params={"municipality": "Atlantis"}).status_code == 404


def test_saved_peer_list_is_used_for_peers(site) -> None:  # type: ignore[no-untyped-def]
    base, _, planted = site
    client = logged_in_client(base, "ada")
    token = csrf_of(client.get("/compare?shared=0").text)
    members = [planted.names[c] for c in planted.codes[10:13]]
    saved = client.post(
        "/compare/peers", data={"csrf_token": token, "name": "naboer", "municipalities": ", ".join(members)}
    )
    assert saved.status_code == 303
    me = planted.names[planted.codes[0]]
    html = client.get("/compare", params={"peers_of": me, "peers": "naboer", "shared": "0"}).text
    assert set(re.findall(r'<tr data-code="(\d+)"', html)) == {
        str(c) for c in [planted.codes[0], *planted.codes[10:13]]
    }
    assert 'id="peer-note"' in html


def test_search_page_finds_compound_parts(site) -> None:  # type: ignore[no-untyped-def]
    base, _, planted = site
    client = logged_in_client(base, "ada")
    html = client.get("/search", params={"q": "gas", "municipality": planted.names[planted.codes[1]]}).text
    hits = re.findall(r'<li class="hit"><a href="(/documents/\d+/pages/\d+)"', html)
    assert hits and "<mark>drivhusgasser</mark>" in html  # "gas" is a part of the compound
    assert client.get(hits[0]).status_code == 200


def test_analyst_cannot_review_or_add(site) -> None:  # type: ignore[no-untyped-def]
    base, url, _ = site
    with session_factory(url)() as session:
        target = session.scalars(select(Target).where(Target.status == "pending").limit(1)).one()
        reviews_before = session.query(TargetReview).count()
    analyst = logged_in_client(base, "ada")
    page = analyst.get(f"/targets/{target.id}").text
    assert 'id="read-only"' in page and 'id="accept-form"' not in page
    token = csrf_of(analyst.get("/compare?shared=0").text)
    for action, extra in (("accept", {}), ("reject", {"reason": "nej"}), ("skip", {}), ("undo", {})):
        response = analyst.post(
            f"/targets/{target.id}/{action}", data={"csrf_token": token, "revision": "0", **extra}
        )
        assert response.status_code == 403, action
    add = f"/documents/{target.document_id}/pages/{target.page_number}/add"
    assert analyst.get(add).status_code == 403
    assert analyst.post(add, data={"csrf_token": token, "quote": "x"}).status_code == 403
    with session_factory(url)() as session:
        assert session.query(TargetReview).count() == reviews_before
    reviewer = logged_in_client(base, "birte")
    assert 'id="accept-form"' in reviewer.get(f"/targets/{target.id}").text


def test_shared_language_on_request(site) -> None:  # type: ignore[no-untyped-def]
    base, _, planted = site
    client = logged_in_client(base, "ada")
    without = client.get("/compare").text
    with_shared = client.get("/compare?shared=1").text
    section = re.search(r'data-sheet="Fælles formuleringer">(.*?)</section>', with_shared, re.S)
    assert section and section.group(1).count("<tr>") == len(planted.shared) + 1  # the header row too
    assert "Ingen rækker." in re.search(
        r'data-sheet="Fælles formuleringer">(.*?)</section>', without, re.S
    ).group(1)
