"""The re-extract flow: run the current rules over all stored text again.

Untouched machine targets the rules find again keep their ids; the others are
replaced. Decided ones are kept and flagged where the new rules disagree (see
``db.store.reextract_document``). Superseded versions are left as they were.
"""

from __future__ import annotations

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from sqlalchemy import func, select

from db.engine import session_factory
from db.queries import counts_as_target
from db.store import reextract_document
from extractors import extract_for_review, extractor_version
from flows.ingest import prepare_database, publish
from flows.progress import progress_bar
from klimamaal.config import database_url as default_database_url
from klimamaal.ingest import IngestOutcome, RunSummary
from klimamaal.runs import close_run, heartbeat, open_run
from models import Document, Target


@task(name="list-documents", cache_policy=NO_CACHE)
def list_extracted(url: str) -> list[int]:
    with session_factory(url)() as session:
        return list(
            session.scalars(
                select(Document.id)
                .where(Document.status == "extracted", Document.superseded_at.is_(None))
                .order_by(Document.id)
            )
        )


@task(name="reextract-document", cache_policy=NO_CACHE, task_run_name="reextract {document_id}")
def reextract_one(url: str, document_id: int) -> IngestOutcome:
    """Re-extract one document; ``targets`` counts the targets it added (that count as targets)."""
    with session_factory(url).begin() as session:
        document = session.get_one(Document, document_id)
        before = set(session.scalars(select(Target.id).where(Target.document_id == document_id)))
        outcome = reextract_document(session, document, extract_for_review, extractor_version())
        added = session.scalar(
            select(func.count())
            .select_from(Target)
            .where(Target.document_id == document_id, Target.id.not_in(before), counts_as_target())
        )
        return IngestOutcome(
            source=document.source,
            status="changed" if outcome.added or outcome.removed else "unchanged",
            document_id=document_id,
            pages=document.page_count if outcome.added or outcome.removed else 0,
            targets=added or 0,
            error=f"{outcome.flagged} decided targets flagged" if outcome.flagged else None,
            detail=f"+{outcome.added} -{outcome.removed} machine targets"
            if outcome.added or outcome.removed
            else None,
        )


@flow(name="reextract", log_prints=True)
def reextract_flow(database_url: str | None = None, progress: bool = False) -> RunSummary:
    url = database_url or default_database_url()
    prepare_database(url)
    sessions = session_factory(url)
    run_id, closed = open_run(sessions, "reextract", ["<stored text>"], extractor_version())
    for dead in closed:
        print(dead.describe())
    ids = list_extracted(url)
    summary = RunSummary()
    with heartbeat(sessions, run_id), progress_bar(len(ids), "reextract", enabled=progress) as advance:
        try:
            for document_id in ids:
                outcome = reextract_one(url, document_id)
                summary.add(outcome)
                advance(str(document_id))
        except BaseException as failure:
            close_run(sessions, run_id, summary, error=f"{type(failure).__name__}: {failure}")
            raise
    summary.run_id = run_id
    summary.status = close_run(sessions, run_id, summary)
    publish("reextract", run_id, summary)
    return summary
