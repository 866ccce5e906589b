"""The decision service on SQLite and PostgreSQL: append-only history, caches, optimistic locking, undo, add."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from benchmarks.bench_review import seed_synthetic
from db import reviews
from db.reviews import ConflictError, ReviewError, current_fields
from models import Page, Target, TargetReview, target_fields


@pytest.fixture
def seeded(database_url: str, sessions):  # type: ignore[no-untyped-def]
    seed_synthetic(database_url, documents=1, targets_per_document=4, targets_per_page=4)
    with sessions() as session:
        return list(session.scalars(select(Target.id).order_by(Target.id)))


def _target(sessions, target_id: int) -> Target:  # type: ignore[no-untyped-def]
    with sessions() as session:
        target = session.get_one(Target, target_id)
        _ = target.reviews
        return target


def test_accept_appends_a_complete_row_and_updates_the_caches(sessions, seeded) -> None:  # type: ignore[no-untyped-def]
    machine = target_fields(_target(sessions, seeded[0]))
    with sessions.begin() as session:
        reviews.accept(session, seeded[0], "anna", 0)
    target = _target(sessions, seeded[0])
    assert (target.status, target.revision) == ("accepted", 1)
    (row,) = target.reviews
    assert row.action == "accept" and row.reviewer == "anna"
    assert row.before == row.after == machine
    assert set(row.after) == set(target_fields(target))


def test_edit_keeps_the_machine_values_and_becomes_current(sessions, seeded) -> None:  # type: ignore[no-untyped-def]
    machine = target_fields(_target(sessions, seeded[0]))
    with sessions.begin() as session:
        reviews.edit(session, seeded[0], "anna", 0, {"value": 1.5, "target_year": 2035}, "typo in the plan")
    target = _target(sessions, seeded[0])
    assert target_fields(target) == machine  # machine columns untouched
    assert current_fields(target)["value"] == 1.5 and current_fields(target)["target_year"] == 2035
    assert target.status == "edited"
    assert target.reviews[0].before == machine and target.reviews[0].note == "typo in the plan"


def test_an_edit_without_changes_is_recorded_as_accept(sessions, seeded) -> None:  # type: ignore[no-untyped-def]
    value = _target(sessions, seeded[0]).value
    with sessions.begin() as session:
        row = reviews.edit(session, seeded[0], "anna", 0, {"value": value})
    assert row.action == "accept"


def test_second_save_on_the_same_revision_is_a_conflict_with_the_others_change(sessions, seeded) -> None:  # type: ignore[no-untyped-def]
    with sessions.begin() as session:
        reviews.edit(session, seeded[0], "anna", 0, {"value": 12.0})
    with pytest.raises(ConflictError) as caught, sessions.begin() as session:
        reviews.edit(session, seeded[0], "bent", 0, {"value": 99.0})
    (change,) = caught.value.changes
    assert change.reviewer == "anna" and change.changed["value"][1] == 12.0
    assert (caught.value.seen_revision, caught.value.current_revision) == (0, 1)
    target = _target(sessions, seeded[0])
    assert current_fields(target)["value"] == 12.0 and len(target.reviews) == 1


def test_concurrent_saves_one_wins_the_other_conflicts(sessions, seeded) -> None:  # type: ignore[no-untyped-def]
    """Two transactions that both read revision 0 before either writes: exactly one may commit."""
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(name: str, value: float) -> None:
        session = sessions()
        try:
            target = session.scalar(select(Target).where(Target.id == seeded[1]))
            assert target is not None and target.revision == 0
            barrier.wait()
            reviews.edit(session, seeded[1], name, 0, {"value": value})
            session.commit()
            outcomes.append("saved")
        except ConflictError:
            session.rollback()
            outcomes.append("conflict")
        finally:
            session.close()

    threads = [threading.Thread(target=save, args=(n, v)) for n, v in (("anna", 1.0), ("bent", 2.0))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    target = _target(sessions, seeded[1])
    assert target.revision == 1 and len(target.reviews) == 1


def test_reject_needs_a_reason(sessions, seeded) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ReviewError), sessions.begin() as session:
        reviews.reject(session, seeded[0], "anna", 0, "  ")
    with sessions.begin() as session:
        reviews.reject(session, seeded[0], "anna", 0, "statistik")
    target = _target(sessions, seeded[0])
    assert target.status == "rejected" and target.reviews[0].note == "statistik"


def test_skip_changes_no_state_and_never_conflicts(sessions, seeded) -> None:  # type: ignore[no-untyped-def]
    with sessions.begin() as session:
        reviews.accept(session, seeded[0], "anna", 0)
        reviews.skip(session, seeded[0], "bent")
    target = _target(sessions, seeded[0])
    assert (target.status, target.revision) == ("accepted", 1)
    assert target.reviews[-1].action == "skip" and target.reviews[-1].after is None


def test_undo_walks_back_through_the_decisions(sessions, seeded) -> None:  # type: ignore[no-untyped-def]
    machine = target_fields(_target(sessions, seeded[0]))
    with sessions.begin() as session:
        reviews.edit(session, seeded[0], "anna", 0, {"value": 5.0})
        reviews.reject(session, seeded[0], "anna", 1, "wrong after all")
    with sessions.begin() as session:
        reviews.undo(session, seeded[0], "anna", 2)
    target = _target(sessions, seeded[0])
    assert target.status == "edited" and current_fields(target)["value"] == 5.0
    with sessions.begin() as session:
        reviews.undo(session, seeded[0], "anna", 3)
    target = _target(sessions, seeded[0])
    assert target.status == "pending" and current_fields(target) == machine
    assert [r.action for r in target.reviews] == ["edit", "reject", "undo", "undo"]
    with pytest.raises(ReviewError), sessions.begin() as session:
        reviews.undo(session, seeded[0], "anna", 4)


def test_last_undoable_by_finds_the_reviewers_own_latest_decision(sessions, seeded) -> None:  # type: ignore[no-untyped-def]
    with sessions.begin() as session:
        reviews.accept(session, seeded[0], "anna", 0)
        reviews.accept(session, seeded[1], "anna", 0)
        reviews.accept(session, seeded[2], "bent", 0)
    with sessions() as session:
        found = reviews.last_undoable_by(session, "anna")
        assert found is not None and found.id == seeded[1]
        assert reviews.last_undoable_by(session, "carl") is None


def test_add_target_checks_the_span_against_the_page(sessions, seeded) -> None:  # type: ignore[no-untyped-def]
    with sessions() as session:
        page = session.scalars(select(Page).order_by(Page.id)).first()
        assert page is not None
        document_id, number, text = page.document_id, page.number, page.text
    quote = text[5:40]

    def add(session, *, page_end: int = 40, quote: str = quote, fields: dict | None = None) -> Target:  # type: ignore[no-untyped-def]
        return reviews.add_target(
            session,
            document_id=document_id,
            page_number=number,
            page_start=5,
            page_end=page_end,
            quote=quote,
            fields=fields or {},
            reviewer="anna",
        )

    with pytest.raises(ReviewError), sessions.begin() as session:
        add(session, quote=quote + "x")
    with pytest.raises(ReviewError), sessions.begin() as session:
        add(session, page_end=len(text) + 1)
    with sessions.begin() as session:
        added_id = add(session, fields={"value": 40.0, "direction": "reduce"}).id
    target = _target(sessions, added_id)
    assert target.origin == "reviewer" and target.status == "accepted" and target.revision == 1
    assert target.reviews[0].action == "add" and target.reviews[0].after["value"] == 40.0
    with sessions() as session:
        start_offset = session.scalar(
            select(Page.start_offset).where(Page.document_id == document_id, Page.number == number)
        )
    assert (target.start, target.end) == (start_offset + 5, start_offset + 40)


def test_review_rows_are_only_ever_added(sessions, seeded) -> None:  # type: ignore[no-untyped-def]
    with sessions.begin() as session:
        reviews.accept(session, seeded[0], "anna", 0)
        first = session.scalar(select(TargetReview).where(TargetReview.target_id == seeded[0]))
        assert first is not None
        snapshot = (first.id, first.action, first.after)
    with sessions.begin() as session:
        reviews.edit(session, seeded[0], "bent", 1, {"value": 3.0})
        reviews.undo(session, seeded[0], "bent", 2)
    with sessions() as session:
        rows = list(
            session.scalars(
                select(TargetReview).where(TargetReview.target_id == seeded[0]).order_by(TargetReview.id)
            )
        )
        assert (rows[0].id, rows[0].action, rows[0].after) == snapshot
        assert session.scalar(select(func.count()).select_from(TargetReview)) == 3


def test_reextraction_keeps_every_decision_made_through_the_service(sessions, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Decisions recorded here survive `reextract`; one the new rules no longer find is flagged, not deleted."""
    from db.store import reextract_document
    from extractors import extract_targets, extractor_version
    from klimamaal.ingest import discover, ingest_source, seed_municipalities
    from models import Document

    path = tmp_path / "plan.txt"
    path.write_text(
        "Mål:\n\n- Senest i 2030 er CO₂-udledningen reduceret med 70 % i forhold til 1990.\n\n"
        "- I 2025 er energiforbruget i de kommunale bygninger reduceret med 15 % målt i forhold til 2015.\n",
        encoding="utf-8",
    )
    seed_municipalities(sessions)
    (source,) = discover([path])
    document_id = ingest_source(sessions, source, extract_targets, extractor_version()).document_id
    with sessions.begin() as session:
        seventy, fifteen = sorted(session.get_one(Document, document_id).targets, key=lambda t: t.start)
        reviews.edit(session, seventy.id, "anna", 0, {"value": 71.0})
        reviews.reject(session, fifteen.id, "anna", 0, "not ours")
        decided = {seventy.id: "edited", fifteen.id: "rejected"}

    def without_seventy(text: str, state=None):  # type: ignore[no-untyped-def]
        return [t for t in extract_targets(text, state) if t.value != 70.0]

    with sessions.begin() as session:
        reextract_document(session, session.get_one(Document, document_id), without_seventy, "v-next")
    for target_id, status in decided.items():
        target = _target(sessions, target_id)
        assert target.status == status and len(target.reviews) == 1
    flagged = _target(sessions, seventy.id)
    assert current_fields(flagged)["value"] == 71.0 and "no longer find" in (flagged.rules_flag or "")
