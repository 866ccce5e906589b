"""SQLAlchemy 2 models: what klimamaal stores.

Machine output (``Target`` rows with ``origin='machine'``) and reviewer
decisions (``TargetReview`` rows) are separate records; reviews are append-only
and re-extraction never rewrites a decided target. ``Target.status`` and
``Target.revision`` are caches of the latest review, written in the same
transaction as the review row, so that a queue over 100,000 targets can filter
and lock without replaying history.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from extractors.target import GOLD_KEYS

#: Values of ``Document.status``.
DOCUMENT_STATUSES = ("extracted", "failed", "no_text")
#: Values of ``Target.status`` (the cache of the latest decision).
TARGET_STATUSES = ("pending", "accepted", "edited", "rejected")
#: Values of ``TargetReview.action``.
REVIEW_ACTIONS = ("accept", "edit", "reject", "skip", "undo", "add")
#: Actions that are decisions: a target with one of these is never rewritten by re-extraction.
DECISIONS = ("accept", "edit", "reject", "add")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Municipality(Base):
    """One of the 98 municipalities; the primary key is the official kommunekode."""

    __tablename__ = "municipalities"

    code: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    region: Mapped[str | None] = mapped_column(String(40))

    documents: Mapped[list[Document]] = relationship(back_populates="municipality")


class Document(Base):
    """A file as ingested; identified by the sha256 of its bytes.

    A changed file at the same source is a new Document whose ``previous_id``
    points at the version it replaces; the replaced one is then superseded
    (``superseded_at``, ``superseded_by_id``), never deleted. Only documents
    that are not superseded count in lists, the queue, exports and comparisons.
    Whether a file changed is decided by ``text_fingerprint`` (a sha256 of the
    text the readers made of it), not by its bytes: servers regenerate PDFs.
    """

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(Text)
    source_key: Mapped[str] = mapped_column(String(1000), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(20))
    media_type: Mapped[str | None] = mapped_column(String(60))
    municipality_code: Mapped[int | None] = mapped_column(ForeignKey("municipalities.code"), index=True)
    fetched_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), index=True)
    error: Mapped[str | None] = mapped_column(Text)
    extractor_version: Mapped[str | None] = mapped_column(String(40))
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    #: Pages whose text was read by OCR.
    ocr_pages: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: What a user should know about a document that was read (pages that still need OCR).
    warning: Mapped[str | None] = mapped_column(Text)
    #: sha256 of the text the readers made of the file: decides whether a new download is a new version.
    text_fingerprint: Mapped[str | None] = mapped_column(String(64), index=True)
    #: When a newer version (or another document served at the same place) replaced this one.
    superseded_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    superseded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL", name="fk_documents_superseded_by_id")
    )

    municipality: Mapped[Municipality | None] = relationship(back_populates="documents")
    pages: Mapped[list[Page]] = relationship(
        back_populates="document", order_by="Page.number", cascade="all, delete-orphan"
    )
    #: No delete cascade: a document is superseded by a new version, never deleted, and its targets may
    #: carry review rows (the database refuses to delete those; see migration guarded_history).
    targets: Mapped[list[Target]] = relationship(
        back_populates="document", cascade="save-update, merge", passive_deletes="all"
    )
    previous: Mapped[Document | None] = relationship(remote_side=[id], foreign_keys=[previous_id])

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class Page(Base):
    """The parsed text of one page; kept so new rules can run without re-reading the file."""

    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    #: Offset of this page in the document text (pages joined by PAGE_SEPARATOR).
    start_offset: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    #: "ocr" (read from an image of the page), "needs_ocr" (a scan no OCR engine read), None (text layer).
    ocr: Mapped[str | None] = mapped_column(String(12))
    #: Tesseract's mean word confidence (0-100) on an OCR'd page.
    ocr_confidence: Mapped[float | None] = mapped_column(Float)
    #: The parts of the page's compounds, for full-text search (db.search); NULL until indexed.
    search_parts: Mapped[str | None] = mapped_column(Text)
    #: PostgreSQL: ``to_tsvector('danish', text || ' ' || search_parts)``, stored so a search need not parse
    #: the text of every page it considers (GIN-indexed by migration full_text_search). Unused on SQLite,
    #: whose FTS5 table holds the stems.
    search_vector: Mapped[str | None] = mapped_column(Text().with_variant(TSVECTOR(), "postgresql"))

    document: Mapped[Document] = relationship(back_populates="pages")
    blocks: Mapped[list[Block]] = relationship(
        back_populates="page", order_by="Block.position", cascade="all, delete-orphan"
    )


class Block(Base):
    """A heading, paragraph, list item or table row; its text is ``page.text[start:end]``."""

    __tablename__ = "blocks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)

    page: Mapped[Page] = relationship(back_populates="blocks")


class Target(Base):
    """A target as found by the rules (``origin='machine'``) or added by a reviewer.

    The field columns hold what the machine (or the adding reviewer) said; a
    reviewer's corrections live in ``TargetReview.after`` and are never copied
    over these columns.
    """

    __tablename__ = "targets"
    __table_args__ = (
        Index("ix_targets_queue", "status", "document_id", "start"),
        Index("ix_targets_document", "document_id", "start"),
        # the review queue sorted by confidence (lowest first) must not sort 100,000 rows
        Index("ix_targets_confidence", "status", "confidence", "id"),
        # pending suggestions ranked by score
        Index("ix_targets_band", "band", "status", "confidence", "id"),
        # the queue's progress per document: counted from the index alone
        Index("ix_targets_progress", "document_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    origin: Mapped[str] = mapped_column(String(10), default="machine")
    # provenance
    page_number: Mapped[int | None] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    page_start: Mapped[int | None] = mapped_column(Integer)
    page_end: Mapped[int | None] = mapped_column(Integer)
    rule_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    extractor_version: Mapped[str | None] = mapped_column(String(40))
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    #: "target" (the scorer is sure enough) or "suggestion" (a reviewer decides); see extractors.scorer
    band: Mapped[str] = mapped_column(String(12), default="target", server_default="target")
    #: "outcome", or "resource" for money a climate plan commits to climate action
    kind: Mapped[str] = mapped_column(String(12), default="outcome", server_default="outcome")
    #: [{"feature", "weight", "patterns"}] behind the score, strongest first: why it was found
    evidence: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # the gold-format fields
    quote: Mapped[str] = mapped_column(Text)
    value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(30))
    direction: Mapped[str | None] = mapped_column(String(20))
    bound: Mapped[str | None] = mapped_column(String(20))
    metric: Mapped[str | None] = mapped_column(Text)
    target_year: Mapped[int | None] = mapped_column(Integer, index=True)
    deadline_kind: Mapped[str | None] = mapped_column(String(10))
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    # further fields
    baseline_label: Mapped[str | None] = mapped_column(Text)
    start_year: Mapped[int | None] = mapped_column(Integer)
    rate: Mapped[str | None] = mapped_column(String(20))
    sector: Mapped[str | None] = mapped_column(String(30), index=True)
    scope: Mapped[str | None] = mapped_column(String(20))
    strength: Mapped[str | None] = mapped_column(String(20))
    interim: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Found on a page read by OCR: its text (and so the quote) may hold OCR errors.
    ocr: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # review state caches (see module docstring) and re-extraction flag
    status: Mapped[str] = mapped_column(String(20), default="pending")
    revision: Mapped[int] = mapped_column(Integer, default=0)
    rules_flag: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    document: Mapped[Document] = relationship(back_populates="targets")
    #: Review rows are never deleted or changed (triggers refuse it): no delete cascade, and no nulling
    #: of ``target_id`` when a target is deleted; deleting a reviewed target fails in the database.
    reviews: Mapped[list[TargetReview]] = relationship(
        back_populates="target",
        order_by="TargetReview.id",
        cascade="save-update, merge",
        passive_deletes="all",
    )


#: Target columns a reviewer can change; also the keys of ``TargetReview.before/after``.
TARGET_FIELDS = (
    *GOLD_KEYS,
    "baseline_label",
    "start_year",
    "rate",
    "sector",
    "scope",
    "strength",
    "interim",
    "kind",
)


def target_fields(target: Target) -> dict[str, Any]:
    """The machine's (or adder's) values of a target as a plain dict."""
    return {name: getattr(target, name) for name in TARGET_FIELDS}


class TargetReview(Base):
    """One reviewer decision; rows are only ever inserted (database triggers refuse UPDATE and DELETE)."""

    __tablename__ = "target_reviews"
    __table_args__ = (Index("ix_target_reviews_reviewer", "reviewer", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id"), index=True)
    reviewer: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(10))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    #: The decision on an earlier version's same target that this row carries over to a new version.
    carried_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("target_reviews.id", ondelete="SET NULL", name="fk_target_reviews_carried_from_id")
    )

    target: Mapped[Target] = relationship(back_populates="reviews")


class User(Base):
    """A person who may log in to the review app.

    Disabled, never deleted, and a name is never reused: reviews name their reviewer
    (a trigger refuses DELETE, see migration sessions_and_throttle).
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class LoginThrottle(Base):
    """Failed logins in a row per name, whether or not a user has it, so a lock-out reveals nobody."""

    __tablename__ = "login_throttle"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_failure_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


class WebSession(Base):
    """A logged-in browser; the cookie holds a random token, this row its SHA-256 (never the token)."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    #: The absolute end; the idle end is ``last_seen_at`` plus the idle timeout.
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    client: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(200))
    #: A one-time message for the next page ("Mål #12 accepteret.").
    flash: Mapped[str | None] = mapped_column(Text)


class StatusCount(Base):
    """The queue's targets per status under one filter set, shared by all worker processes.

    Valid while ``review_mark`` is still the newest review row's id (every decision
    adds one) and for a few seconds after ``counted_at`` (an ingest adds no review).
    """

    __tablename__ = "status_counts"

    #: SHA-256 of the filter set's query string (filters can be long; the key stays short).
    filter_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    review_mark: Mapped[int] = mapped_column(Integer)
    counts: Mapped[dict[str, int]] = mapped_column(JSON)
    counted_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class IngestRun(Base):
    """One run of the ingest (or re-extract) flow: recorded when it starts, closed when it ends.

    A run that dies (kill -9, a lost machine) cannot close itself: it records
    its host, process id and a heartbeat, and the next run closes runs whose
    heartbeat is stale (or whose process on this host is gone) as failed.
    """

    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="ingest")
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    new: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    targets: Mapped[int] = mapped_column(Integer, default=0)
    extractor_version: Mapped[str | None] = mapped_column(String(40))
    #: "running", "finished", "failed" (everything failed, or the run died and a later run closed it)
    status: Mapped[str] = mapped_column(String(20), default="running", server_default="finished")
    changed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    host: Mapped[str | None] = mapped_column(String(255))
    pid: Mapped[int | None] = mapped_column(Integer)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    flow_run_id: Mapped[str | None] = mapped_column(String(40))
    error: Mapped[str | None] = mapped_column(Text)

    items: Mapped[list[RunItem]] = relationship(
        back_populates="run", order_by="RunItem.id", cascade="all, delete-orphan"
    )


class RunItem(Base):
    """What one run did with one place (a file, a URL): new, changed, unchanged or failed, and why."""

    __tablename__ = "ingest_run_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("ingest_runs.id", ondelete="CASCADE"), index=True)
    location: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    targets: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    #: For a changed document: targets added, removed, changed, decisions carried over.
    detail: Mapped[str | None] = mapped_column(Text)

    run: Mapped[IngestRun] = relationship(back_populates="items")


class PeerGroup(Base):
    """A list of municipalities an analyst saved, to compare one of them with the others."""

    __tablename__ = "peer_groups"
    __table_args__ = (UniqueConstraint("name", name="uq_peer_groups_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    codes: Mapped[list[int]] = mapped_column(JSON)
    created_by: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


#: Kinds of what a source publishes (``RegisteredSource.kind``).
SOURCE_KINDS = ("plan", "strategy", "web_page", "agenda", "news")


class RegisteredSource(Base):
    """Where a municipality publishes: a document, or an index page whose links are followed.

    ``depth`` 0 is a document; from 1 on the page is an index, and links on
    the same host that match ``follow`` are fetched, up to ``depth`` links away.
    """

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(1000), unique=True)
    municipality_code: Mapped[int | None] = mapped_column(ForeignKey("municipalities.code"))
    kind: Mapped[str | None] = mapped_column(String(20))
    follow: Mapped[str | None] = mapped_column(Text)
    depth: Mapped[int] = mapped_column(Integer, default=0)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    #: The outcome of the last pass: "ok" or "failed", with the cause.
    last_status: Mapped[str | None] = mapped_column(String(20))
    last_error: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    municipality: Mapped[Municipality | None] = relationship()


class Location(Base):
    """A place bytes were had from (a URL or a file) and what it served last.

    Holds what a conditional request needs (``etag``, ``last_modified``), the
    sha256 of the bytes and the fingerprint of their text, and the document it
    serves now (``document_id``): the same document can be served at several
    places, and a place that goes back to an older file makes that one current.
    An index page keeps the links it held, for the pass that finds it unchanged.
    """

    __tablename__ = "locations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(1000), unique=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"), index=True)
    etag: Mapped[str | None] = mapped_column(String(300))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    bytes_sha256: Mapped[str | None] = mapped_column(String(64))
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), index=True
    )
    links: Mapped[list[str] | None] = mapped_column(JSON)
    status: Mapped[str | None] = mapped_column(String(20))
    error: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


__all__ = [
    "DECISIONS",
    "DOCUMENT_STATUSES",
    "REVIEW_ACTIONS",
    "SOURCE_KINDS",
    "TARGET_FIELDS",
    "TARGET_STATUSES",
    "Base",
    "Block",
    "Document",
    "IngestRun",
    "Location",
    "LoginThrottle",
    "Municipality",
    "Page",
    "PeerGroup",
    "RegisteredSource",
    "RunItem",
    "StatusCount",
    "Target",
    "TargetReview",
    "User",
    "WebSession",
    "target_fields",
]
