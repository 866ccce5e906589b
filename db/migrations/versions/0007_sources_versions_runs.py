"""sources, the places documents are fetched from, superseded versions, runs that are closed after a crash

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 09:00:00

Operators register where municipalities publish (``sources``); every place
bytes are had from (``locations``: a registered URL, a link found on an index
page, a file) keeps what a conditional request needs and the document it serves
now. A document replaced by a newer version is superseded, never deleted: the
version chains stored before this revision are marked so here, so that counts
do not double. The text fingerprint decides whether new bytes are a new
version. A run is recorded when it starts (host, process, heartbeat) and lists
what it did per place (``ingest_run_items``); runs stored before were all
finished. A review row can name the decision it carries over from an earlier
version of the document.

SQLite rebuilds ``target_reviews`` to add that column and drops its triggers
with the old table (the guarded_history triggers that keep decisions
append-only): they are read before the rebuild and created again after it.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


@contextmanager
def _triggers_kept(table: str) -> Iterator[None]:
    """The table's triggers survive a batch rebuild on SQLite (PostgreSQL alters the table in place)."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    triggers = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)
    ).all()
    yield
    for (statement,) in triggers:
        bind.exec_driver_sql(statement)


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("municipality_code", sa.Integer(), sa.ForeignKey("municipalities.code"), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=True),
        sa.Column("follow", sa.Text(), nullable=True),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("last_status", sa.String(length=20), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("checked_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("url"),
    )
    op.create_table(
        "locations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(length=1000), nullable=False),
        sa.Column("source_id", sa.Integer(), sa.ForeignKey("sources.id", ondelete="SET NULL"), nullable=True),
        sa.Column("etag", sa.String(length=300), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("bytes_sha256", sa.String(length=64), nullable=True),
        sa.Column(
            "document_id", sa.Integer(), sa.ForeignKey("documents.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("links", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("checked_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("key"),
    )
    op.create_index("ix_locations_source_id", "locations", ["source_id"])
    op.create_index("ix_locations_document_id", "locations", ["document_id"])

    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("text_fingerprint", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("superseded_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("superseded_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_documents_superseded_by_id", "documents", ["superseded_by_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index("ix_documents_text_fingerprint", ["text_fingerprint"])

    with _triggers_kept("target_reviews"), op.batch_alter_table("target_reviews") as batch:
        batch.add_column(sa.Column("carried_from_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_target_reviews_carried_from_id",
            "target_reviews",
            ["carried_from_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("ingest_runs") as batch:
        batch.add_column(sa.Column("status", sa.String(length=20), nullable=False, server_default="finished"))
        batch.add_column(sa.Column("changed", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("host", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("flow_run_id", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("error", sa.Text(), nullable=True))

    op.create_table(
        "ingest_run_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "run_id", sa.Integer(), sa.ForeignKey("ingest_runs.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column(
            "document_id", sa.Integer(), sa.ForeignKey("documents.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column(
            "previous_id", sa.Integer(), sa.ForeignKey("documents.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("targets", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
    )
    op.create_index("ix_ingest_run_items_run_id", "ingest_run_items", ["run_id"])
    _backfill()


def _backfill() -> None:
    """Existing version chains: a document some newer version points at is superseded by it; each
    place's newest document is what it serves."""
    bind = op.get_bind()
    documents = sa.table(
        "documents",
        sa.column("id", sa.Integer),
        sa.column("previous_id", sa.Integer),
        sa.column("source_key", sa.String),
        sa.column("sha256", sa.String),
        sa.column("fetched_at", sa.DateTime),
        sa.column("superseded_at", sa.DateTime),
        sa.column("superseded_by_id", sa.Integer),
    )
    locations = sa.table(
        "locations",
        sa.column("key", sa.String),
        sa.column("bytes_sha256", sa.String),
        sa.column("document_id", sa.Integer),
        sa.column("status", sa.String),
        sa.column("checked_at", sa.DateTime),
    )
    rows = bind.execute(
        sa.select(
            documents.c.id,
            documents.c.previous_id,
            documents.c.source_key,
            documents.c.sha256,
            documents.c.fetched_at,
        ).order_by(documents.c.id)
    ).all()
    newest: dict[str, tuple[int, str, object]] = {}
    for doc_id, previous_id, key, sha, fetched_at in rows:
        if previous_id is not None:
            bind.execute(
                sa.update(documents)
                .where(documents.c.id == previous_id, documents.c.superseded_at.is_(None))
                .values(superseded_at=fetched_at, superseded_by_id=doc_id)
            )
        newest[key] = (doc_id, sha, fetched_at)
    if newest:
        bind.execute(
            sa.insert(locations),
            [
                {"key": key, "bytes_sha256": sha, "document_id": doc_id, "status": "ok", "checked_at": at}
                for key, (doc_id, sha, at) in newest.items()
            ],
        )


def downgrade() -> None:
    op.drop_index("ix_ingest_run_items_run_id", table_name="ingest_run_items")
    op.drop_table("ingest_run_items")
    with op.batch_alter_table("ingest_runs") as batch:
        for column in ("error", "flow_run_id", "heartbeat_at", "pid", "host", "changed", "status"):
            batch.drop_column(column)
    with _triggers_kept("target_reviews"), op.batch_alter_table("target_reviews") as batch:
        batch.drop_constraint("fk_target_reviews_carried_from_id", type_="foreignkey")
        batch.drop_column("carried_from_id")
    with op.batch_alter_table("documents") as batch:
        batch.drop_index("ix_documents_text_fingerprint")
        batch.drop_constraint("fk_documents_superseded_by_id", type_="foreignkey")
        batch.drop_column("superseded_by_id")
        batch.drop_column("superseded_at")
        batch.drop_column("text_fingerprint")
    op.drop_index("ix_locations_document_id", table_name="locations")
    op.drop_index("ix_locations_source_id", table_name="locations")
    op.drop_table("locations")
    op.drop_table("sources")
