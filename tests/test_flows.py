"""The whole corpus through the real Prefect engine (one session-scoped test harness)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from extractors import extract_targets
from extractors.readers import read_document
from klimamaal.config import CORPUS_DIR
from klimamaal.ingest import discover
from models import Document, IngestRun, Target, TargetReview

pytestmark = pytest.mark.usefixtures("prefect_harness")


def expected_figures() -> tuple[int, int, int, int]:
    """Documents, pages, targets and suggestions of the corpus, from the readers and extractor directly."""
    sources = discover([CORPUS_DIR])
    pages = targets = suggestions = 0
    for source in sources:
        parsed = read_document(Path(source.location).read_bytes(), source.location)
        pages += len(parsed.pages)
        found = extract_targets(parsed.text, suggestions=True)
        targets += sum(1 for t in found if t.band == "target")
        suggestions += sum(1 for t in found if t.band == "suggestion")
    return len(sources), pages, targets, suggestions


def test_ingest_flow_summarises_the_corpus(sqlite_url: str) -> None:
    from flows.ingest import ingest_flow

    documents, pages, targets, suggestions = expected_figures()
    assert suggestions  # the corpus has candidates the scorer is unsure of: they are stored for review
    summary = ingest_flow([str(CORPUS_DIR)], database_url=sqlite_url)
    assert summary.figures() == {
        "new": documents,
        "changed": 0,
        "unchanged": 0,
        "failed": 0,
        "pages": pages,
        "targets": targets,
        "suggestions": suggestions,
    }

    again = ingest_flow([str(CORPUS_DIR)], database_url=sqlite_url)
    assert again.figures() == {
        "new": 0,
        "changed": 0,
        "unchanged": documents,
        "failed": 0,
        "pages": 0,
        "targets": 0,
        "suggestions": 0,
    }

    from db.engine import session_factory

    with session_factory(sqlite_url)() as session:
        assert session.scalar(select(func.count()).select_from(Target)) == targets + suggestions
        stored = session.scalar(select(func.count()).select_from(Target).where(Target.band == "suggestion"))
        assert stored == suggestions
        runs = session.scalars(select(IngestRun).order_by(IngestRun.id)).all()
        assert [(r.new, r.unchanged, r.pages, r.targets) for r in runs] == [
            (documents, 0, pages, targets),
            (0, documents, 0, 0),
        ]


def test_ingest_flow_publishes_a_table_artifact(sqlite_url: str) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.ingest import ingest_flow

    ingest_flow([str(CORPUS_DIR / next(p.name for p in CORPUS_DIR.glob("001_*")))], database_url=sqlite_url)
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["ingest-summary"]))
        )
    latest = max(artifacts, key=lambda artifact: artifact.created)
    assert latest.type == "table"
    assert "new 1," in latest.description or "unchanged 1," in latest.description
    assert any(row.get("source", "").startswith("001_") for row in json.loads(latest.data))


def test_reextract_flow_keeps_decisions_and_flags_disagreement(sqlite_url: str) -> None:
    from db.engine import session_factory
    from flows.ingest import ingest_flow
    from flows.reextract import reextract_flow
    from models import target_fields

    ingest_flow([str(CORPUS_DIR)], database_url=sqlite_url)
    sessions = session_factory(sqlite_url)
    with sessions.begin() as session:
        decided = session.scalars(select(Target).order_by(Target.id).limit(2)).all()
        accepted, corrected = decided
        for target, action, change in ((accepted, "accept", {}), (corrected, "edit", {"value": 12345.0})):
            before = target_fields(target)
            session.add(
                TargetReview(
                    target=target, reviewer="anna", action=action, before=before, after=before | change
                )
            )
            target.status = "accepted" if action == "accept" else "edited"
            target.revision += 1
        ids = (accepted.id, corrected.id)
        total = session.scalar(select(func.count()).select_from(Target))
        max_id = session.scalar(select(func.max(Target.id)))

    summary = reextract_flow(database_url=sqlite_url)
    assert summary.failed == 0
    # the same rules: nothing added or removed, no targets reported as new (they keep their ids)
    assert (summary.new, summary.changed, summary.targets) == (0, 0, 0)
    with sessions() as session:
        assert session.scalar(select(func.max(Target.id))) == max_id
        kept = {t.id: t for t in session.scalars(select(Target).where(Target.id.in_(ids)))}
        assert set(kept) == set(ids)
        assert kept[ids[0]].rules_flag is None
        assert "value" in kept[ids[1]].rules_flag
        assert len(kept[ids[1]].reviews) == 1
        assert session.scalar(select(func.count()).select_from(Target)) == total
        assert (
            session.scalar(select(func.count()).select_from(Document).where(Document.status == "failed")) == 0
        )
