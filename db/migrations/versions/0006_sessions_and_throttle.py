"""server-side sessions, a login throttle by name, disabled users, and status counts shared by workers

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08 10:00:00

- ``web_sessions``: the review app's sessions; the cookie carries a random token,
  the table its SHA-256, so logout, a password change, a lock or disabling a user
  ends sessions in every worker process at once.
- ``login_throttle``: failed logins in a row per name, known or not; the
  counters move here from ``users`` (``failed_logins``, ``locked_until``), so an
  unknown name is locked out exactly like a real one.
- ``users.disabled_at``: a user is disabled, never deleted (reviews name their
  reviewer); a trigger refuses DELETE of a user, as guarded_history does for reviews.
- ``status_counts``: the queue's status counts per filter set, shared by the
  worker processes.
- ``ix_targets_progress`` (document_id, status): the queue's progress bars count
  the targets of up to 50 documents per page; sorted by confidence, those are 50
  different documents, and counting them read 5,000 table rows (11 ms of a 36 ms
  page on PostgreSQL at 100,000 targets); the index answers from itself (0.8 ms).
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

USER_TRIGGERS_SQLITE = (
    """CREATE TRIGGER users_no_delete BEFORE DELETE ON users
    BEGIN SELECT RAISE(ABORT, 'klimamaal: DELETE of users refused: users are disabled, never deleted'); END""",
)
USER_TRIGGERS_POSTGRES = (  # klimamaal_refuse() comes with guarded_history
    """CREATE TRIGGER users_no_delete BEFORE DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION klimamaal_refuse('users are disabled, never deleted')""",
    """CREATE TRIGGER users_no_truncate BEFORE TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION klimamaal_refuse('users are disabled, never deleted')""",
)


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("last_failure_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_index("ix_login_throttle_last_failure_at", "login_throttle", ["last_failure_at"])
    op.execute(
        "INSERT INTO login_throttle (name, failures, locked_until, last_failure_at) "
        "SELECT name, failed_logins, locked_until, COALESCE(locked_until, CURRENT_TIMESTAMP) FROM users "
        "WHERE failed_logins > 0 OR locked_until IS NOT NULL"
    )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("disabled_at", sa.DateTime(), nullable=True))
        batch.drop_column("failed_logins")
        batch.drop_column("locked_until")
    for statement in (
        USER_TRIGGERS_SQLITE if op.get_bind().dialect.name == "sqlite" else USER_TRIGGERS_POSTGRES
    ):
        op.execute(statement)

    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.String(length=200), nullable=True),
        sa.Column("flash", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])
    op.create_index("ix_web_sessions_expires_at", "web_sessions", ["expires_at"])

    op.create_table(
        "status_counts",
        sa.Column("filter_hash", sa.String(length=64), nullable=False),
        sa.Column("review_mark", sa.Integer(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("counted_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("filter_hash"),
    )
    op.create_index("ix_status_counts_counted_at", "status_counts", ["counted_at"])
    op.create_index("ix_targets_progress", "targets", ["document_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_targets_progress", table_name="targets")
    op.drop_index("ix_status_counts_counted_at", table_name="status_counts")
    op.drop_table("status_counts")
    op.drop_index("ix_web_sessions_expires_at", table_name="web_sessions")
    op.drop_index("ix_web_sessions_user_id", table_name="web_sessions")
    op.drop_table("web_sessions")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER users_no_delete")
    else:
        op.execute("DROP TRIGGER users_no_truncate ON users")
        op.execute("DROP TRIGGER users_no_delete ON users")
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))
        batch.drop_column("disabled_at")
    # back to the columns 0001 made: no server default
    with op.batch_alter_table("users") as batch:
        batch.alter_column("failed_logins", server_default=None)
    op.execute(
        "UPDATE users SET failed_logins = (SELECT failures FROM login_throttle t WHERE t.name = users.name), "
        "locked_until = (SELECT locked_until FROM login_throttle t WHERE t.name = users.name) "
        "WHERE name IN (SELECT name FROM login_throttle)"
    )
    op.drop_index("ix_login_throttle_last_failure_at", table_name="login_throttle")
    op.drop_table("login_throttle")
