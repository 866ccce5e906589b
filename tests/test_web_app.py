"""The review app over HTTP against a real server, on SQLite and PostgreSQL: queue, target page, decisions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from benchmarks.bench_review import seed_synthetic
from db.engine import session_factory
from db.reviews import current_fields
from models import Page, Target
from tests.e2e.support import PASSWORD, csrf_of, logged_in_client, make_users, review_process, running_server


@pytest.fixture
def site(database_url: str) -> Iterator[tuple[str, str]]:
    seed_synthetic(database_url, documents=3, targets_per_document=60, targets_per_page=5)
    make_users(database_url, ("anna", "reviewer"), ("bent", "reviewer"))
    with running_server(database_url) as base:
        yield base, database_url


def _ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'class="row-link" href="/targets/(\d+)', html)]


def _target(url: str, target_id: int) -> Target:
    with session_factory(url)() as session:
        target = session.get_one(Target, target_id)
        _ = target.reviews
        return target


def _form(client: httpx.Client, target_id: int, **extra: str) -> dict[str, str]:
    html = client.get(f"/targets/{target_id}").text
    revision = re.search(r'name="revision" value="(\d+)"', html)
    assert revision
    return {"csrf_token": csrf_of(html), "revision": revision.group(1), "q": ""} | extra


def test_queue_filters_sorts_counts_and_pages(site) -> None:  # type: ignore[no-untyped-def]
    base, url = site
    client = logged_in_client(base, "anna")
    first = client.get("/queue")
    assert first.status_code == 200 and "afventer" in first.text
    assert re.search(r"afventer</span> 180", first.text)
    page_one, page_two = _ids(first.text), _ids(client.get("/queue?page=2").text)
    assert len(page_one) == 50 and not set(page_one) & set(page_two)
    assert "Fremdrift pr. dokument" in first.text and "<progress" in first.text
    with session_factory(url)() as session:
        rows = session.execute(
            select(Target.id, Target.confidence, Target.sector, Target.target_year, Target.document_id)
        ).all()
    by_confidence = [r.id for r in sorted(rows, key=lambda r: (r.confidence, r.id))][:50]
    assert _ids(client.get("/queue?sort=confidence").text) == by_confidence
    first_page = client.get(f"/targets/{by_confidence[1]}?sort=confidence").text
    assert f'href="/targets/{by_confidence[2]}?sort=confidence"' in first_page  # j: next in this order
    assert f'href="/targets/{by_confidence[0]}?sort=confidence"' in first_page  # k: previous
    highest = [r.id for r in sorted(rows, key=lambda r: (r.confidence, r.id), reverse=True)]
    assert _ids(client.get("/queue?sort=-confidence").text) == highest[:50]
    assert (
        f'href="/targets/{highest[1]}?sort=-confidence"'
        in client.get(f"/targets/{highest[0]}?sort=-confidence").text
    )
    energi = {r.id for r in rows if r.sector == "energi"}
    assert set(_ids(client.get("/queue?sector=energi").text)) <= energi
    assert set(_ids(client.get("/queue?year=2030").text)) <= {r.id for r in rows if r.target_year == 2030}
    document = rows[0].document_id
    assert set(_ids(client.get(f"/queue?document={document}").text)) <= {
        r.id for r in rows if r.document_id == document
    }
    assert _ids(client.get("/queue?rule=target.reduce.v1").text)
    assert not _ids(client.get("/queue?rule=no.such.rule").text)
    assert _ids(client.get("/queue?municipality=101").text) and not _ids(
        client.get("/queue?municipality=999").text
    )


def test_target_page_marks_quote_value_year_and_baseline(site) -> None:  # type: ignore[no-untyped-def]
    base, url = site
    client = logged_in_client(base, "anna")
    with session_factory(url)() as session:
        target = session.scalars(
            select(Target).where(Target.baseline_year.is_not(None)).order_by(Target.id)
        ).first()
        assert target is not None
    html = client.get(f"/targets/{target.id}").text
    assert f"side {target.page_number}" in html
    assert f'href="/documents/{target.document_id}/pages/{target.page_number}"' in html
    passage = re.search(r'<div id="passage"[^>]*>(.*?)</div>', html, flags=re.S)
    assert passage
    assert '<mark class="quote">' in passage.group(1)
    assert f'data-label="målår">{target.target_year}<' in passage.group(1)
    assert f'data-label="basisår">{target.baseline_year}<' in passage.group(1)
    assert f'data-label="værdi">{int(target.value or 0)}<' in passage.group(1)
    for key in ("a", "s", "u", "j", "n"):
        assert f'data-key="{key}"' in html
    for label in ("Acceptér", "Afvis", "Spring over", "Fortryd", "Gem rettelser"):
        assert label in html


def test_decisions_over_http_and_danish_validation(site) -> None:  # type: ignore[no-untyped-def]
    base, url = site
    client = logged_in_client(base, "anna")
    ids = _ids(client.get("/queue").text)
    accepted = client.post(f"/targets/{ids[0]}/accept", data=_form(client, ids[0]))
    assert accepted.status_code == 303 and accepted.headers["location"] == f"/targets/{ids[1]}"
    assert _target(url, ids[0]).status == "accepted"

    bad = client.post(
        f"/targets/{ids[1]}/edit",
        data=_form(client, ids[1], value="mange", target_year="1899", direction="reduce"),
    )
    assert bad.status_code == 422
    assert "«mange» er ikke et tal" in bad.text and "1899 ligger uden for 1900–2100" in bad.text
    assert _target(url, ids[1]).status == "pending"
    good = client.post(
        f"/targets/{ids[1]}/edit",
        data=_form(client, ids[1], value="1,5", target_year="2035", direction="reduce", unit="%"),
    )
    assert good.status_code == 303
    edited = _target(url, ids[1])
    assert (
        edited.status == "edited"
        and current_fields(edited)["value"] == 1.5
        and current_fields(edited)["target_year"] == 2035
    )
    assert edited.value != 1.5  # the machine's value is kept

    no_reason = client.post(f"/targets/{ids[2]}/reject", data=_form(client, ids[2], reason=""))
    assert no_reason.status_code == 303 and _target(url, ids[2]).status == "pending"
    client.post(f"/targets/{ids[2]}/reject", data=_form(client, ids[2], reason="statistik"))
    assert _target(url, ids[2]).status == "rejected"

    client.post(f"/targets/{ids[3]}/skip", data=_form(client, ids[3]))
    assert _target(url, ids[3]).reviews[-1].action == "skip"

    undone = client.post(
        f"/targets/{ids[3]}/undo", data=_form(client, ids[3])
    )  # nothing here: undoes the rejection
    assert undone.headers["location"] == f"/targets/{ids[2]}"
    assert _target(url, ids[2]).status == "pending"
    history = client.get(f"/targets/{ids[2]}").text
    assert "afviste" in history and "fortrød" in history and "statistik" in history


def test_queue_counts_show_a_decision_at_once(site) -> None:  # type: ignore[no-untyped-def]
    base, _url = site
    client = logged_in_client(base, "anna")
    ids = _ids(client.get("/queue").text)  # the counts are cached from here
    assert re.search(r"afventer</span> 180", client.get("/queue").text)
    client.post(f"/targets/{ids[0]}/accept", data=_form(client, ids[0]))
    assert re.search(r"afventer</span> 179", client.get("/queue").text)
    client.post(f"/targets/{ids[1]}/reject", data=_form(client, ids[1], reason="statistik"))
    assert re.search(r"afventer</span> 178", client.get("/queue").text)


def test_second_reviewer_gets_a_conflict_with_the_first_ones_change(site) -> None:  # type: ignore[no-untyped-def]
    base, url = site
    anna, bent = logged_in_client(base, "anna"), logged_in_client(base, "bent")
    target_id = _ids(anna.get("/queue").text)[0]
    anna_form, bent_form = _form(anna, target_id), _form(bent, target_id)
    assert (
        anna.post(
            f"/targets/{target_id}/edit", data=anna_form | {"value": "33", "direction": "reduce"}
        ).status_code
        == 303
    )
    conflict = bent.post(
        f"/targets/{target_id}/edit", data=bent_form | {"value": "44", "direction": "reduce"}
    )
    assert conflict.status_code == 409
    assert "Konflikt" in conflict.text and "anna" in conflict.text and "rettede" in conflict.text
    assert "<ins>33</ins>" in conflict.text
    assert 'value="44"' in conflict.text  # bent's own input is kept for a deliberate second save
    target = _target(url, target_id)
    assert current_fields(target)["value"] == 33.0 and len(target.reviews) == 1
    again = bent.post(f"/targets/{target_id}/accept", data=bent_form)
    assert again.status_code == 409  # an accept on a stale revision is refused too


def test_adding_a_missed_target_checks_the_span(site) -> None:  # type: ignore[no-untyped-def]
    base, url = site
    client = logged_in_client(base, "anna")
    with session_factory(url)() as session:
        page = session.scalars(select(Page).order_by(Page.id)).first()
        assert page is not None
    start = 0
    end = page.text.index(".") + 1
    form_page = client.get(f"/documents/{page.document_id}/pages/{page.number}/add?start={start}&end={end}")
    assert form_page.status_code == 200
    data = {
        "csrf_token": csrf_of(form_page.text),
        "start": str(start),
        "end": str(end),
        "quote": page.text[start:end],
        "value": "10",
        "unit": "%",
        "direction": "reach",
        "target_year": "2030",
        "deadline_kind": "in",
    }
    path = f"/documents/{page.document_id}/pages/{page.number}/add"
    assert client.post(path, data=data | {"quote": "something else"}).status_code == 400
    assert client.post(path, data=data | {"end": str(len(page.text) + 5)}).status_code == 400
    assert (
        client.get(f"/documents/{page.document_id}/pages/{page.number}/add?start=5&end=2").status_code == 400
    )
    invalid = client.post(path, data=data | {"target_year": "3000"})
    assert invalid.status_code == 422 and "3000 ligger uden for 1900–2100" in invalid.text
    added = client.post(path, data=data)
    assert added.status_code == 303
    new_id = int(added.headers["location"].rsplit("/", 1)[1])
    target = _target(url, new_id)
    assert (target.origin, target.status, target.quote, target.value) == (
        "reviewer",
        "accepted",
        page.text[start:end],
        10.0,
    )
    assert (target.page_start, target.page_end) == (start, end)


def test_export_downloads(site) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    client = logged_in_client(base, "anna")
    target_id = _ids(client.get("/queue").text)[0]
    client.post(f"/targets/{target_id}/accept", data=_form(client, target_id))
    csv = client.get("/export/download?format=csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv.headers["content-disposition"] and str(target_id) in csv.text
    assert client.get("/export/download?format=xlsx").content[:2] == b"PK"
    assert '"targets"' in client.get("/export/download?format=jsonl&status=accepted").text
    assert client.get("/export/download?format=pdf").status_code == 400
    danish = client.get("/export/download?format=csv&dialect=excel-da").text
    assert danish.splitlines()[0].startswith("\ufeffMål-id;Kommunekode;")
    assert client.get("/export/download?format=csv&dialect=semikolon").status_code == 400


def test_klimamaal_review_serves_the_configured_database(sqlite_url: str, tmp_path: Path) -> None:
    make_users(sqlite_url, ("anna", "reviewer"))
    with review_process(sqlite_url, tmp_path) as (base, lines):
        assert f"review app on {base}/" in lines[0]
        assert logged_in_client(base, "anna", PASSWORD).get("/queue").status_code == 200


def test_a_target_from_an_ocr_page_says_so_in_queue_target_and_page(site) -> None:  # type: ignore[no-untyped-def]
    base, url = site
    with session_factory(url).begin() as session:
        target = session.scalars(select(Target).order_by(Target.id)).first()
        page = session.scalars(
            select(Page).where(Page.document_id == target.document_id, Page.number == target.page_number)
        ).one()
        page.ocr, page.ocr_confidence = "ocr", 87.4
        target.ocr = True
        other = session.scalars(select(Target).where(Target.id != target.id).order_by(Target.id)).first()
        ids = (target.id, other.id, target.document_id, target.page_number)
    client = logged_in_client(base, "anna")
    target_id, other_id, document_id, number = ids
    queue = client.get("/queue").text
    row = re.search(rf'href="/targets/{target_id}\?.*?</tr>', queue, flags=re.S)
    assert row and 'class="badge ocr"' in row.group(0)
    other_row = re.search(rf'href="/targets/{other_id}\?.*?</tr>', queue, flags=re.S)
    assert other_row and "badge ocr" not in other_row.group(0)
    assert "læst med OCR (genkendelse 87 %)" in client.get(f"/targets/{target_id}").text
    assert "læst med OCR" not in client.get(f"/targets/{other_id}").text
    assert (
        "Siden er læst med OCR (genkendelse 87 %)"
        in client.get(f"/documents/{document_id}/pages/{number}").text
    )
