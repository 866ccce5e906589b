"""Suggestions (the scorer was unsure): queued for reviewers by score, never listed or exported unconfirmed."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import pytest
from sqlalchemy import select, update

from benchmarks.bench_review import seed_synthetic
from db import reviews
from db.engine import session_factory
from db.export import export_bytes
from db.queries import target_rows
from models import Target
from tests.e2e.support import csrf_of, logged_in_client, make_users, running_server

EVIDENCE = [
    {"feature": "GOAL_OF@clause", "weight": 0.8, "patterns": ["goal.noun_of"]},
    {"feature": "TOPIC_MONEY@clause", "weight": -0.9, "patterns": ["topic.money.budget"]},
]


def _make_suggestions(url: str, every: int = 3) -> list[int]:
    """Every third seeded target becomes a suggestion with evidence; returns their ids."""
    sessions = session_factory(url)
    with sessions.begin() as session:
        ids = list(session.scalars(select(Target.id).order_by(Target.id)))[::every]
        session.execute(update(Target).where(Target.id.in_(ids)).values(band="suggestion", evidence=EVIDENCE))
    return ids


@pytest.fixture
def site(database_url: str) -> Iterator[tuple[str, str, list[int]]]:
    seed_synthetic(database_url, documents=2, targets_per_document=30, targets_per_page=5)
    suggestions = _make_suggestions(database_url)
    make_users(database_url, ("anna", "reviewer"))
    with running_server(database_url) as base:
        yield base, database_url, suggestions


def _ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'class="row-link" href="/targets/(\d+)', html)]


def test_the_queue_keeps_suggestions_apart_and_ranks_them_by_score(site) -> None:  # type: ignore[no-untyped-def]
    base, url, suggestions = site
    client = logged_in_client(base, "anna")
    assert not set(_ids(client.get("/queue").text)) & set(suggestions)
    listed = _ids(client.get("/queue?band=suggestion").text)
    assert sorted(listed) == sorted(suggestions)
    with session_factory(url)() as session:
        scores = dict(
            session.execute(select(Target.id, Target.confidence).where(Target.id.in_(listed))).all()
        )
    assert [scores[i] for i in listed] == sorted(scores.values(), reverse=True)
    both = _ids(client.get("/queue?band=all").text)  # document order: targets and suggestions mixed
    assert set(both) & set(suggestions) == {i for i in suggestions if i <= max(both)}


def test_a_suggestion_shows_why_it_was_found_and_becomes_a_target_when_accepted(site) -> None:  # type: ignore[no-untyped-def]
    base, url, suggestions = site
    client = logged_in_client(base, "anna")
    target_id = suggestions[0]
    page = client.get(f"/targets/{target_id}?band=suggestion")
    assert "Forslag #" in page.text and "Hvorfor fundet" in page.text
    assert "GOAL_OF@clause" in page.text and "-0.90" in page.text
    # each piece of evidence in words a reviewer reads, beside its name
    assert "et mål-ord med indhold (målet om, målsætningen er) i samme led" in page.text
    assert "budget og bevillinger i samme led" in page.text
    revision = re.search(r'name="revision" value="(\d+)"', page.text)
    assert revision
    form = {"csrf_token": csrf_of(page.text), "revision": revision.group(1), "q": "band=suggestion"}
    assert client.post(f"/targets/{target_id}/accept", data=form).status_code in (200, 303)
    with session_factory(url)() as session:
        target = session.get_one(Target, target_id)
        assert target.status == "accepted" and [r.action for r in target.reviews] == ["accept"]
    rows = target_rows(session_factory(url))
    assert target_id in {r["id"] for r in rows}
    assert not {r["id"] for r in rows} & set(suggestions[1:])


def test_exports_leave_out_suggestions_no_reviewer_confirmed(database_url: str) -> None:
    seed_synthetic(database_url, documents=1, targets_per_document=9, targets_per_page=3)
    suggestions = _make_suggestions(database_url)
    sessions = session_factory(database_url)
    with sessions.begin() as session:
        reviews.accept(session, suggestions[0], "anna", 0)
        reviews.reject(session, suggestions[1], "anna", 0, "ikke et mål")
        machine = [i for i in session.scalars(select(Target.id)) if i not in suggestions][:2]
        for target_id in machine:
            reviews.accept(session, target_id, "anna", 0)
    with sessions() as session:
        data = export_bytes(session, "csv", ("accepted", "edited", "rejected", "pending"))
    exported = {int(r["Mål-id"]) for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))}
    assert suggestions[0] in exported and set(machine) <= exported
    assert not exported & set(suggestions[1:])
