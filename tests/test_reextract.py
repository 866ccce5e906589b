"""Re-extraction from stored text: undecided targets are replaced, decided ones kept and flagged."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from db.reviews import skip
from db.store import reextract_document
from extractors import extract_targets, extractor_version
from klimamaal.ingest import discover, ingest_source, seed_municipalities
from models import Document, Target, TargetReview, target_fields

PLAN = (
    "Mål:\n\n"
    "- Senest i 2030 er CO₂-udledningen reduceret med 70 % i forhold til 1990.\n\n"
    "- I 2025 er energiforbruget i de kommunale bygninger reduceret med 15 % målt i forhold til 2015.\n"
)


def ingest_plan(sessions, tmp_path: Path) -> int:  # type: ignore[no-untyped-def]
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    seed_municipalities(sessions)
    (source,) = discover([path])
    outcome = ingest_source(sessions, source, extract_targets, extractor_version())
    assert outcome.status == "new" and outcome.targets == 2
    return outcome.document_id


def decide(session, target: Target, action: str, **change: object) -> None:  # type: ignore[no-untyped-def]
    before = target_fields(target)
    session.add(
        TargetReview(target=target, reviewer="rita", action=action, before=before, after=before | change)
    )
    target.status = {"accept": "accepted", "edit": "edited", "reject": "rejected"}[action]
    target.revision += 1


def without_value(value: float):  # type: ignore[no-untyped-def]
    """The current rules minus the targets with ``value``: what a narrower rule set would find."""
    return lambda text, state=None: [t for t in extract_targets(text, state) if t.value != value]


def test_unchanged_rules_keep_the_targets_and_their_ids(sessions, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    document_id = ingest_plan(sessions, tmp_path)
    with sessions.begin() as session:
        before = sorted((t.id, t.start, t.value) for t in session.get_one(Document, document_id).targets)
        outcome = reextract_document(
            session, session.get_one(Document, document_id), extract_targets, "v-next"
        )
        assert (outcome.added, outcome.removed, outcome.kept) == (0, 0, 0)
    with sessions() as session:
        targets = session.get_one(Document, document_id).targets
        assert sorted((t.id, t.start, t.value) for t in targets) == before
        assert {t.extractor_version for t in targets} == {"v-next"}


def test_rules_that_lose_an_undecided_target_delete_it_and_keep_the_other(sessions, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    document_id = ingest_plan(sessions, tmp_path)
    with sessions() as session:
        fifteen = next(t.id for t in session.get_one(Document, document_id).targets if t.value == 15.0)
    with sessions.begin() as session:
        outcome = reextract_document(
            session, session.get_one(Document, document_id), without_value(70.0), "v2"
        )
        assert (outcome.added, outcome.removed) == (0, 1)
    with sessions.begin() as session:
        outcome = reextract_document(session, session.get_one(Document, document_id), extract_targets, "v3")
        assert (outcome.added, outcome.removed) == (1, 0)
    with sessions() as session:
        targets = {t.value: t.id for t in session.get_one(Document, document_id).targets}
        assert targets[15.0] == fifteen and targets[70.0] != fifteen


def test_decided_target_survives_and_is_flagged_when_rules_lose_it(sessions, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    document_id = ingest_plan(sessions, tmp_path)
    with sessions.begin() as session:
        document = session.get_one(Document, document_id)
        seventy = next(t for t in document.targets if t.value == 70.0)
        decide(session, seventy, "accept")
        kept_id = seventy.id
    with sessions.begin() as session:
        document = session.get_one(Document, document_id)
        outcome = reextract_document(session, document, without_value(70.0), "v-next")
        assert outcome.kept == 1 and outcome.flagged == 1
    with sessions() as session:
        kept = session.get_one(Target, kept_id)
        assert kept.status == "accepted" and len(kept.reviews) == 1
        assert "no longer find" in kept.rules_flag


def test_new_rules_do_not_duplicate_a_decided_target(sessions, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    document_id = ingest_plan(sessions, tmp_path)
    with sessions.begin() as session:
        decide(session, session.get_one(Document, document_id).targets[0], "edit", value=71.0)
    with sessions.begin() as session:
        reextract_document(session, session.get_one(Document, document_id), extract_targets, "v-next")
    with sessions() as session:
        targets = session.scalars(select(Target).where(Target.document_id == document_id)).all()
        assert len(targets) == 2
        edited = next(t for t in targets if t.reviews)
        assert edited.value == 70.0  # the machine's value is never overwritten
        assert edited.reviews[-1].after["value"] == 71.0
        assert "value=70.0" in edited.rules_flag


def test_reviewer_added_target_is_kept(sessions, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    document_id = ingest_plan(sessions, tmp_path)
    with sessions.begin() as session:
        document = session.get_one(Document, document_id)
        start = document.pages[0].text.index("Mål:")
        added = Target(
            origin="reviewer",
            page_number=1,
            start=start,
            end=start + 4,
            page_start=start,
            page_end=start + 4,
            quote="Mål:",
            status="accepted",
            revision=1,
            rule_ids=[],
        )
        document.targets.append(added)
        session.flush()
        session.add(
            TargetReview(target=added, reviewer="rita", action="add", before=None, after=target_fields(added))
        )
    with sessions.begin() as session:
        reextract_document(session, session.get_one(Document, document_id), extract_targets, "v-next")
    with sessions() as session:
        origins = sorted(t.origin for t in session.get_one(Document, document_id).targets)
        assert origins == ["machine", "machine", "reviewer"]


def test_a_skipped_target_keeps_its_history_through_reextraction(sessions, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    document_id = ingest_plan(sessions, tmp_path)
    with sessions.begin() as session:
        fifteen = next(t for t in session.get_one(Document, document_id).targets if t.value == 15.0)
        skip(session, fifteen.id, "rita", note="kommer tilbage")
        skipped_id = fifteen.id
    with sessions.begin() as session:
        outcome = reextract_document(
            session, session.get_one(Document, document_id), extract_targets, "v-next"
        )
        assert (outcome.kept, outcome.removed) == (1, 0)  # the other one is found again and kept as it is
    with sessions() as session:
        skipped = session.get_one(Target, skipped_id)
        assert skipped.status == "pending" and [r.action for r in skipped.reviews] == ["skip"]
        assert len(session.get_one(Document, document_id).targets) == 2  # the rules' copy is not added again
