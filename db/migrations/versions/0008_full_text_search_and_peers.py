"""full-text search over pages (Danish stems and compound parts), saved peer lists of municipalities

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 10:00:00

``pages.search_parts`` holds the parts of the page's compounds (see ``db.search``); NULL means the
page is not indexed yet. SQLite gets an FTS5 table ``page_search`` of Danish Snowball stems (rowid =
page id) and a trigger that forgets a deleted page; PostgreSQL stores
``to_tsvector('danish', text || ' ' || search_parts)`` in ``pages.search_vector`` with a GIN index. Pages stored before this revision are indexed
here, in batches. ``peer_groups`` are lists of municipalities an analyst saved to compare with.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from sqlalchemy.dialects.postgresql import TSVECTOR

    from db.search import PG_INDEX, index_pages

    op.add_column("pages", sa.Column("search_parts", sa.Text(), nullable=True))
    op.add_column(
        "pages", sa.Column("search_vector", sa.Text().with_variant(TSVECTOR(), "postgresql"), nullable=True)
    )
    op.create_table(
        "peer_groups",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("codes", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("name", name="uq_peer_groups_name"),
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE page_search USING fts5(stems, tokenize = 'unicode61 remove_diacritics 0')"
        )
        op.execute(
            "CREATE TRIGGER page_search_forget AFTER DELETE ON pages BEGIN "
            "DELETE FROM page_search WHERE rowid = old.id; END"
        )
    else:
        op.execute(f"CREATE INDEX {PG_INDEX} ON pages USING gin (search_vector)")
    pages = sa.table("pages", sa.column("id", sa.Integer), sa.column("text", sa.Text))
    last = 0
    while True:
        rows = bind.execute(
            sa.select(pages.c.id, pages.c.text).where(pages.c.id > last).order_by(pages.c.id).limit(500)
        ).all()
        if not rows:
            break
        index_pages(bind, [(r.id, r.text) for r in rows])
        last = rows[-1].id


def downgrade() -> None:
    from db.search import PG_INDEX

    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS page_search_forget")
        op.execute("DROP TABLE IF EXISTS page_search")
    else:
        op.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
    op.drop_table("peer_groups")
    with op.batch_alter_table("pages") as batch:
        batch.drop_column("search_vector")
        batch.drop_column("search_parts")
