"""Migrations named by what they do, not by number.

Branches that meet may renumber a migration (two "0004"s become 0004 and
0005); tests that find it by the words of its file name keep working.
"""

from __future__ import annotations

from pathlib import Path

from alembic.script import ScriptDirectory

from db.migrate import alembic_config


def revision_named(slug: str) -> tuple[str, str]:
    """(revision, down_revision) of the migration in ``NNNN_<slug>.py``."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    for revision in script.walk_revisions():
        if revision.path and Path(revision.path).stem.split("_", 1)[-1] == slug:
            assert isinstance(revision.down_revision, str)
            return revision.revision, revision.down_revision
    raise LookupError(f"no migration named {slug!r}")
