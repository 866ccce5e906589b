"""Crawling a council portal served on 127.0.0.1 through the real Prefect engine.

The portal is built from ../shared/real/greve (an index page linking the
meetings) and PDFs made here (``tests/webserver.py``).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.engine import session_factory
from db.reviews import accept
from klimamaal.ingest import seed_municipalities
from klimamaal.registry import SourceSpec, add_sources, source_rows
from models import Document, IngestRun, Location, RunItem, Target, TargetReview
from tests.webserver import (
    Portal,
    corpus_pdfs,
    greve_meetings,
    not_http_host,
    plan_pdf,
    serve_portal,
    soft_404_host,
)

pytestmark = pytest.mark.usefixtures("prefect_harness")


@pytest.fixture(autouse=True)
def fast_and_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KLIMAMAAL_HOST_DELAY", "0")
    monkeypatch.setenv("KLIMAMAAL_FETCH_DEADLINE", "2")
    monkeypatch.setenv("KLIMAMAAL_FETCH_READ_TIMEOUT", "5")
    monkeypatch.setenv("KLIMAMAAL_MAX_DOCUMENT_MB", "2")


def crawl(url: str):  # type: ignore[no-untyped-def]
    from flows.ingest import ingest_flow
    from flows.runners import task_runner

    return ingest_flow.with_options(task_runner=task_runner())(database_url=url, crawl=True)


def register(url: str, *specs: SourceSpec) -> None:
    sessions = session_factory(url)
    seed_municipalities(sessions)
    add_sources(sessions, specs)


def current_documents(url: str) -> dict[str, int]:
    with session_factory(url)() as session:
        return {
            location.key: location.document_id
            for location in session.scalars(select(Location).where(Location.document_id.is_not(None)))
        }


def test_a_portal_is_crawled_once_then_only_asked_whether_it_changed(sqlite_url: str) -> None:
    meetings = greve_meetings()
    portal = Portal(
        meetings=meetings[:4],
        files={**corpus_pdfs(), "/plans/klimaplan.pdf": (plan_pdf(15), "application/pdf")},
    )
    with serve_portal(portal):
        register(
            sqlite_url,
            SourceSpec(portal.url + "/", "Greve", "agenda", follow=r"/(meetings|plans|private)/", depth=1),
            SourceSpec(portal.url + "/moddate.pdf", "Greve", "plan"),
        )
        first = crawl(sqlite_url)
        expected = 4 + len(corpus_pdfs()) + 1 + 1  # meetings, corpus plans, the plan, the regenerated PDF
        assert (first.new, first.failed, first.status) == (expected, 0, "finished"), first.rows()
        assert not portal.requests_for("/private/"), "robots.txt disallows /private/"
        with session_factory(sqlite_url)() as session:
            assert session.scalar(select(func.count()).select_from(Document)) == expected
            plan = session.scalar(select(Document).where(Document.source.like("%klimaplan.pdf")))
            unchanged_target = session.scalar(
                select(Target).where(Target.document_id == plan.id, Target.value == 70.0)
            )
        with session_factory(sqlite_url).begin() as session:
            accept(session, unchanged_target.id, "rita", 0)

        portal.log.clear()
        second = crawl(sqlite_url)
        assert (second.new, second.changed, second.unchanged, second.failed) == (0, 0, expected, 0)
        documents = [r for r in portal.log if r.path.startswith(("/meetings/", "/plans/", "/"))]
        stable = [
            r for r in documents if r.path not in ("/moddate.pdf", "/robots.txt") and "probe" not in r.path
        ]
        assert stable and all(r.conditional and r.status == 304 for r in stable), stable
        assert [r.status for r in portal.requests_for("/moddate.pdf")] == [200]  # new bytes, same text

        portal.log.clear()
        portal.publish(meetings[4])
        portal.files["/plans/klimaplan.pdf"] = (plan_pdf(25), "application/pdf")
        third = crawl(sqlite_url)
        assert (third.new, third.changed, third.unchanged, third.failed) == (1, 1, expected - 1, 0), (
            third.rows()
        )
        (new_meeting,) = [o for o in third.outcomes if o.status == "new"]
        assert new_meeting.source.endswith(meetings[4].name)
        (changed,) = [o for o in third.outcomes if o.status == "changed"]
        assert changed.previous_id == plan.id
        assert "1 decisions carried over" in changed.detail

    from db.versions import diff_documents

    with session_factory(sqlite_url)() as session:
        difference = diff_documents(session, plan.id, changed.document_id)
        assert difference.same == 1 and not difference.added and not difference.removed
        ((old, new),) = difference.changed
        assert (old["value"], new["value"]) == (15.0, 25.0)
        carried = session.scalar(
            select(Target).where(Target.document_id == changed.document_id, Target.value == 70.0)
        )
        assert carried.status == "accepted"
        (review,) = carried.reviews
        assert review.reviewer == "rita" and review.carried_from_id is not None
        assert session.get_one(TargetReview, review.carried_from_id).target_id == unchanged_target.id
        old_version = session.get_one(Document, plan.id)
        assert old_version.superseded_by_id == changed.document_id  # superseded, not deleted
        assert (
            session.scalar(select(func.count()).select_from(Target).where(Target.document_id == plan.id)) == 2
        )

    from db.export import reviewed_rows
    from db.queries import target_rows
    from webapp.queue import QueueFilter, queue_page

    versions = (plan.id, changed.document_id)
    listed = [r for r in target_rows(session_factory(sqlite_url)) if r["document_id"] in versions]
    assert sorted(r["value"] for r in listed) == [
        25.0,
        70.0,
    ]  # the current version only: counts do not double
    with session_factory(sqlite_url)() as session:
        queued = queue_page(session, QueueFilter.from_params({"status": "all", "year": "2035"}))
        assert [r.value for r in queued if r.document_id in versions] == [25.0]
        exported = [row.target.document_id for row in reviewed_rows(session)]
        assert exported == [changed.document_id]  # the carried-over decision, on the current version
        old_page = queue_page(session, QueueFilter.from_params({"status": "all", "document": str(plan.id)}))
        assert len(old_page) == 2  # the old version stays readable by its id


def test_every_failure_is_recorded_with_its_cause_and_the_run_goes_on(sqlite_url: str) -> None:
    from db.queries import failed_places
    from flows.ingest import ingest_flow
    from flows.runners import task_runner

    portal = Portal(meetings=greve_meetings()[:2])
    with serve_portal(portal), soft_404_host() as soft, not_http_host() as garbage:
        bad = {
            portal.url + "/missing.pdf": "HTTP 404",
            portal.url + "/truncated.pdf": "broken HTTP reply",
            portal.url + "/slow.pdf": "deadline",
            portal.url + "/huge.pdf": "maximum document size",
            portal.url + "/loop": "redirects in a loop",
            garbage + "/plan.pdf": "broken HTTP reply",
            soft + "/klimaplan.html": "soft 404",
            soft + "/": "soft 404",
        }
        register(
            sqlite_url,
            SourceSpec(portal.url + "/", "Greve", "agenda", follow="/meetings/", depth=1),
            SourceSpec(portal.url + "/flaky.pdf", "Greve", "plan"),
            *(SourceSpec(u, "Greve", follow="." if u == soft + "/" else None) for u in bad),
        )
        malformed = "http://127.0.0.1:notaport/plan.pdf"
        summary = ingest_flow.with_options(task_runner=task_runner())(
            paths=[malformed], database_url=sqlite_url, crawl=True
        )
    by_place = {o.source: o for o in summary.outcomes}
    assert by_place[portal.url + "/flaky.pdf"].status == "new"  # a 500 that recovers on retry
    assert [r.status for r in portal.requests_for("/flaky.pdf")] == [500, 200]
    assert summary.new == 3 and summary.status == "finished"
    bad[malformed] = "malformed URL"
    for place, cause in bad.items():
        outcome = by_place[place]
        assert outcome.status == "failed" and place in outcome.error and cause in outcome.error, outcome
    assert len(portal.requests_for("/missing.pdf")) == 1  # a 4xx is not retried
    assert len(portal.requests_for("/slow.pdf")) == 3  # a timeout is, twice

    sessions = session_factory(sqlite_url)
    with sessions() as session:
        run = session.scalars(select(IngestRun).order_by(IngestRun.id.desc())).first()
        items = {i.location: i for i in session.scalars(select(RunItem).where(RunItem.run_id == run.id))}
    assert run.status == "finished" and run.failed == len(bad)
    assert all(cause in items[place].error for place, cause in bad.items())
    listed = {row["source"]: row["error"] for row in failed_places(sessions)}
    assert all(cause in listed[place] for place, cause in bad.items() if place != soft + "/")
    registered = {row["url"]: row for row in source_rows(sessions)}
    assert registered[portal.url + "/missing.pdf"]["status"] == "failed"
    assert "HTTP 404" in registered[portal.url + "/missing.pdf"]["error"]
    assert registered[portal.url + "/"]["status"] == "ok"


def test_a_run_in_which_everything_failed_is_failed(sqlite_url: str) -> None:
    from flows.ingest import ingest_flow

    summary = ingest_flow(paths=["http://127.0.0.1:notaport/x.pdf"], database_url=sqlite_url)
    assert summary.status == "failed"
    with session_factory(sqlite_url)() as session:
        assert session.scalars(select(IngestRun.status)).all() == ["failed"]
