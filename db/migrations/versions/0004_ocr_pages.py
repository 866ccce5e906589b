"""pages read by OCR: the page says how it was read, the document how many, the target that it came from one

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 10:30:00

A scanned page is read by Tesseract: its text is only as good as the OCR, so
the page keeps ``ocr`` ("ocr", or "needs_ocr" when no OCR engine was there)
and the mean word confidence; the document counts its OCR'd pages and keeps a
warning a user should see (pages that still need OCR); a target keeps whether
its page was OCR'd, for the review queue and the exports. Rows stored before
this revision were all read from text.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pages") as batch:
        batch.add_column(sa.Column("ocr", sa.String(length=12), nullable=True))
        batch.add_column(sa.Column("ocr_confidence", sa.Float(), nullable=True))
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("ocr_pages", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("warning", sa.Text(), nullable=True))
    with op.batch_alter_table("targets") as batch:
        batch.add_column(sa.Column("ocr", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("targets") as batch:
        batch.drop_column("ocr")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("warning")
        batch.drop_column("ocr_pages")
    with op.batch_alter_table("pages") as batch:
        batch.drop_column("ocr_confidence")
        batch.drop_column("ocr")
