"""index for the review queue sorted by confidence

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 22:05:00
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_targets_confidence", "targets", ["status", "confidence", "id"])


def downgrade() -> None:
    op.drop_index("ix_targets_confidence", table_name="targets")
