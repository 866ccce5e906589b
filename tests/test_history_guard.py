"""The database itself keeps the decision history: on SQLite and PostgreSQL, whoever sends the SQL."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import IntegrityError

from benchmarks.bench_review import seed_synthetic
from db import reviews
from db.engine import make_engine
from db.migrate import downgrade, upgrade
from models import Document, Target, TargetReview
from tests.revisions import revision_named


@pytest.fixture
def reviewed(database_url: str, sessions) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """A document with three targets: one edited then accepted, one skipped, one untouched."""
    seed_synthetic(database_url, documents=1, targets_per_document=3, targets_per_page=3)
    with sessions.begin() as session:
        edited, skipped, untouched = session.scalars(select(Target.id).order_by(Target.id))
        reviews.edit(session, edited, "anna", 0, {"value": 12.0})
        reviews.accept(session, edited, "bent", 1)
        reviews.skip(session, skipped, "anna")
        document = session.scalar(select(Document.id))
    assert document is not None
    return {"edited": edited, "skipped": skipped, "untouched": untouched, "document": document}


def _history(sessions) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return [
            tuple(row)
            for row in session.execute(
                select(
                    TargetReview.id,
                    TargetReview.target_id,
                    TargetReview.reviewer,
                    TargetReview.action,
                    TargetReview.after,
                    TargetReview.note,
                ).order_by(TargetReview.id)
            )
        ]


def test_review_rows_cannot_be_updated_or_deleted_with_sql(database_url: str, sessions, reviewed) -> None:  # type: ignore[no-untyped-def]
    before = _history(sessions)
    assert len(before) == 3
    statements = [
        update(TargetReview).values(reviewer="mallory"),
        update(TargetReview).where(TargetReview.action == "edit").values(note="rewritten"),
        delete(TargetReview).where(TargetReview.reviewer == "anna"),
        delete(TargetReview),
        text("UPDATE target_reviews SET after = NULL"),
    ]
    for statement in statements:
        with pytest.raises(IntegrityError, match="append-only"), sessions.begin() as session:
            session.execute(statement)
    assert _history(sessions) == before


def test_the_orm_cannot_rewrite_a_review_either(sessions, reviewed) -> None:  # type: ignore[no-untyped-def]
    before = _history(sessions)
    with pytest.raises(IntegrityError, match="append-only"), sessions.begin() as session:
        row = session.scalars(select(TargetReview).order_by(TargetReview.id)).first()
        assert row is not None
        row.note = "quietly changed"
    with pytest.raises(IntegrityError, match="append-only"), sessions.begin() as session:
        row = session.scalars(select(TargetReview).order_by(TargetReview.id)).first()
        session.delete(row)
    assert _history(sessions) == before


@pytest.mark.postgres
def test_truncate_is_refused_on_postgresql(pg_cluster) -> None:  # type: ignore[no-untyped-def]
    url = pg_cluster.create_database()
    upgrade(url)
    engine = make_engine(url)
    with pytest.raises(IntegrityError, match="append-only"), engine.begin() as connection:
        connection.execute(text("TRUNCATE target_reviews CASCADE"))
    with pytest.raises(IntegrityError, match="append-only"), engine.begin() as connection:
        connection.execute(text("TRUNCATE targets CASCADE"))  # would empty target_reviews with it
    engine.dispose()


def test_a_reviewed_target_and_its_document_cannot_be_deleted(sessions, reviewed) -> None:  # type: ignore[no-untyped-def]
    before = _history(sessions)
    for target_id in (reviewed["edited"], reviewed["skipped"]):
        with pytest.raises(IntegrityError), sessions.begin() as session:
            session.delete(session.get_one(Target, target_id))
        with pytest.raises(IntegrityError), sessions.begin() as session:
            session.execute(delete(Target).where(Target.id == target_id))
    with pytest.raises(IntegrityError), sessions.begin() as session:
        session.delete(session.get_one(Document, reviewed["document"]))
    with pytest.raises(IntegrityError), sessions.begin() as session:
        session.execute(delete(Document))
    assert _history(sessions) == before
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Target)) == 3


def test_a_target_nobody_reviewed_can_still_be_deleted(sessions, reviewed) -> None:  # type: ignore[no-untyped-def]
    """Re-extraction replaces untouched machine targets: the guard must not stop that."""
    with sessions.begin() as session:
        session.delete(session.get_one(Target, reviewed["untouched"]))
    with sessions() as session:
        assert session.get(Target, reviewed["untouched"]) is None


def test_the_migration_keeps_existing_history_and_the_downgrade_lifts_the_guard(
    empty_database_url: str,
) -> None:
    """Rows written before the guard survive its table rebuilds; going back removes the triggers."""
    url = empty_database_url
    _, before_guard = revision_named("guarded_history")
    upgrade(url, before_guard)
    seed_synthetic(url, documents=1, targets_per_document=2, targets_per_page=2)
    engine = make_engine(url)
    with engine.begin() as connection:
        target_id = connection.execute(select(func.min(Target.id))).scalar_one()
        connection.execute(
            text(
                "INSERT INTO target_reviews (target_id, reviewer, created_at, action, note) "
                "VALUES (:t, 'anna', CURRENT_TIMESTAMP, 'skip', 'before the guard')"
            ),
            {"t": target_id},
        )
    upgrade(url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT note FROM target_reviews")).scalars().all() == [
            "before the guard"
        ]
        assert connection.execute(select(func.count()).select_from(Target)).scalar_one() == 2
    with pytest.raises(IntegrityError, match="append-only"), engine.begin() as connection:
        connection.execute(text("DELETE FROM target_reviews"))
    downgrade(url, before_guard)
    with engine.begin() as connection:  # unguarded again: the cascade and the delete work as before
        connection.execute(text("DELETE FROM targets WHERE id = :t"), {"t": target_id})
        assert connection.execute(text("SELECT COUNT(*) FROM target_reviews")).scalar_one() == 0
    engine.dispose()
