"""targets: band (target or suggestion), kind (outcome or resource) and the evidence behind the score

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 09:30:00

Machine targets now come from a fitted scorer: each keeps its band, its kind and
the named evidence (feature, weight, pattern ids) that produced its score. Rows
stored before this revision were all targets of the outcome kind.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("targets") as batch:
        batch.add_column(sa.Column("band", sa.String(length=12), nullable=False, server_default="target"))
        batch.add_column(sa.Column("kind", sa.String(length=12), nullable=False, server_default="outcome"))
        batch.add_column(sa.Column("evidence", sa.JSON(), nullable=True))
    # the suggestions queue: pending suggestions by score
    op.create_index("ix_targets_band", "targets", ["band", "status", "confidence", "id"])


def downgrade() -> None:
    op.drop_index("ix_targets_band", table_name="targets")
    with op.batch_alter_table("targets") as batch:
        batch.drop_column("evidence")
        batch.drop_column("kind")
        batch.drop_column("band")
