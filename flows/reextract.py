"""The re-extract flow: run the current rules over all stored text again.

Undecided machine targets are replaced; decided ones are kept and flagged
where the new rules disagree (see ``db.store.reextract_document``).
"""

from __future__ import annotations

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from sqlalchemy import func, select

from db.engine import session_factory
from db.store import reextract_document
from extractors import extract_for_review, extractor_version
from flows.ingest import prepare_database, summarise
from flows.progress import progress_bar
from klimamaal.config import database_url as default_database_url
from klimamaal.ingest import IngestOutcome, RunSummary
from models import Document, Target, utcnow


@task(name="list-documents", cache_policy=NO_CACHE)
def list_extracted(url: str) -> list[int]:
    with session_factory(url)() as session:
        return list(
            session.scalars(select(Document.id).where(Document.status == "extracted").order_by(Document.id))
        )


@task(name="reextract-document", cache_policy=NO_CACHE, task_run_name="reextract {document_id}")
def reextract_one(url: str, document_id: int) -> IngestOutcome:
    with session_factory(url).begin() as session:
        document = session.get_one(Document, document_id)
        outcome = reextract_document(session, document, extract_for_review, extractor_version())
        targets = session.scalar(
            select(func.count()).select_from(Target).where(Target.document_id == document_id)
        )
        return IngestOutcome(
            source=document.source,
            status="new" if outcome.added or outcome.removed else "unchanged",
            document_id=document_id,
            pages=document.page_count,
            targets=targets,
            error=f"{outcome.flagged} decided targets flagged" if outcome.flagged else None,
        )


@flow(name="reextract", log_prints=True)
def reextract_flow(database_url: str | None = None, progress: bool = False) -> RunSummary:
    url = database_url or default_database_url()
    started_at = utcnow()
    prepare_database(url)
    ids = list_extracted(url)
    summary = RunSummary()
    with progress_bar(len(ids), "reextract", enabled=progress) as advance:
        for document_id in ids:
            outcome = reextract_one(url, document_id)
            summary.add(outcome)
            advance(str(document_id))
    summarise(url, "reextract", ["<stored text>"], summary, started_at)
    return summary
