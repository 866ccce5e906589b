"""the database guards the decision history: review rows cannot be changed or deleted

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08 09:00:00

Until now only the app kept ``target_reviews`` append-only. From here:

- triggers refuse every UPDATE and DELETE of a review row (and, on PostgreSQL,
  a TRUNCATE, which skips row triggers), whoever sends it;
- the foreign keys from ``target_reviews`` to ``targets`` and from ``targets`` to
  ``documents`` no longer cascade: deleting a reviewed target, or a document
  with targets, fails instead of taking review rows with it. Documents are
  superseded by new versions, never deleted; re-extraction still deletes
  machine targets nobody reviewed (they have no review rows);
- an index on (reviewer, id) serves "my history" and the global undo.

SQLite drops a table's triggers with the table: a later batch migration that
rebuilds ``target_reviews`` must create them again (``REVIEW_TRIGGERS_SQLITE``).
The rebuild of ``targets`` here needs SQLite's foreign keys off (see env.py).
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

#: Names SQLite's unnamed foreign keys get while a batch migration rebuilds their table.
NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}
#: (table, column, referred table) of the foreign keys that cascaded into review rows.
FOREIGN_KEYS = (("target_reviews", "target_id", "targets"), ("targets", "document_id", "documents"))

REVIEW_TRIGGERS_SQLITE = (
    """CREATE TRIGGER target_reviews_no_update BEFORE UPDATE ON target_reviews
    BEGIN SELECT RAISE(ABORT, 'klimamaal: UPDATE of target_reviews refused: decisions are append-only'); END""",
    """CREATE TRIGGER target_reviews_no_delete BEFORE DELETE ON target_reviews
    BEGIN SELECT RAISE(ABORT, 'klimamaal: DELETE of target_reviews refused: decisions are append-only'); END""",
)
REFUSE_FUNCTION_POSTGRES = """
CREATE FUNCTION klimamaal_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'klimamaal: % of % refused: %', TG_OP, TG_TABLE_NAME, TG_ARGV[0]
        USING ERRCODE = 'restrict_violation';
END
$$"""
REVIEW_TRIGGERS_POSTGRES = (
    """CREATE TRIGGER target_reviews_no_change BEFORE UPDATE OR DELETE ON target_reviews
    FOR EACH ROW EXECUTE FUNCTION klimamaal_refuse('decisions are append-only')""",
    """CREATE TRIGGER target_reviews_no_truncate BEFORE TRUNCATE ON target_reviews
    FOR EACH STATEMENT EXECUTE FUNCTION klimamaal_refuse('decisions are append-only')""",
)


def _replace_foreign_key(table: str, column: str, referred: str, ondelete: str | None) -> None:
    if op.get_bind().dialect.name == "sqlite":
        name = NAMING["fk"] % {"table_name": table, "column_0_name": column, "referred_table_name": referred}
        with op.batch_alter_table(table, naming_convention=NAMING, recreate="always") as batch:
            batch.drop_constraint(name, type_="foreignkey")
            batch.create_foreign_key(name, referred, [column], ["id"], ondelete=ondelete)
    else:
        name = f"{table}_{column}_fkey"  # PostgreSQL's name for an unnamed constraint
        op.drop_constraint(name, table, type_="foreignkey")
        op.create_foreign_key(name, table, referred, [column], ["id"], ondelete=ondelete)


def _require_sqlite_foreign_keys_off() -> None:
    """Rebuilding ``targets`` drops the old table: with foreign keys on, SQLite would refuse (or cascade)."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError(
            "the guarded_history migration must run with SQLite's foreign keys off (see env.py)"
        )


def upgrade() -> None:
    _require_sqlite_foreign_keys_off()
    # target_reviews first: from then on nothing can cascade into it, whatever happens to targets
    for table, column, referred in FOREIGN_KEYS:
        _replace_foreign_key(table, column, referred, None)
    op.create_index("ix_target_reviews_reviewer", "target_reviews", ["reviewer", "id"])
    if op.get_bind().dialect.name == "sqlite":
        for statement in REVIEW_TRIGGERS_SQLITE:
            op.execute(statement)
    else:
        op.execute(REFUSE_FUNCTION_POSTGRES)
        for statement in REVIEW_TRIGGERS_POSTGRES:
            op.execute(statement)


def downgrade() -> None:
    _require_sqlite_foreign_keys_off()
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER target_reviews_no_update")
        op.execute("DROP TRIGGER target_reviews_no_delete")
    else:
        op.execute("DROP TRIGGER target_reviews_no_truncate ON target_reviews")
        op.execute("DROP TRIGGER target_reviews_no_change ON target_reviews")
        op.execute("DROP FUNCTION klimamaal_refuse()")
    op.drop_index("ix_target_reviews_reviewer", table_name="target_reviews")
    for table, column, referred in reversed(FOREIGN_KEYS):
        _replace_foreign_key(table, column, referred, "CASCADE")
