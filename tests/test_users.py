"""Users: argon2 hashes, lock-out after repeated failures, and the `klimamaal users` commands."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from db.users import MAX_FAILURES, UserError, authenticate, create_user, lock_period, unlock_user
from klimamaal.cli import main
from models import User, utcnow

PASSWORD = "korrekt-hest-batteri"


def test_passwords_are_stored_as_argon2_hashes(sessions) -> None:  # type: ignore[no-untyped-def]
    create_user(sessions, "anna", "reviewer", PASSWORD)
    with sessions() as session:
        stored = session.scalar(select(User.password_hash).where(User.name == "anna"))
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored
    assert authenticate(sessions, "anna", PASSWORD).user is not None
    assert authenticate(sessions, "anna", PASSWORD + "x").user is None
    assert authenticate(sessions, "nobody", PASSWORD).user is None


def test_bad_users_are_refused(sessions) -> None:  # type: ignore[no-untyped-def]
    create_user(sessions, "anna", "reviewer", PASSWORD)
    for name, role, password in (
        ("anna", "reviewer", PASSWORD),
        ("bo", "boss", PASSWORD),
        ("bo", "admin", "kort"),
        ("", "admin", PASSWORD),
    ):
        with pytest.raises(UserError):
            create_user(sessions, name, role, password)


def test_repeated_failures_lock_the_account_even_for_the_right_password(sessions) -> None:  # type: ignore[no-untyped-def]
    create_user(sessions, "anna", "reviewer", PASSWORD)
    now = utcnow()
    for _ in range(MAX_FAILURES - 1):
        assert authenticate(sessions, "anna", "forkert", now=now).locked_until is None
    locked = authenticate(sessions, "anna", "forkert", now=now)
    assert locked.locked_until is not None and locked.locked_until > now
    assert authenticate(sessions, "anna", PASSWORD, now=now).user is None  # locked: not even checked
    later = locked.locked_until + dt.timedelta(seconds=1)
    assert authenticate(sessions, "anna", PASSWORD, now=later).user is not None  # the lock expires


def test_lock_grows_with_each_further_failure_up_to_a_cap() -> None:
    periods = [lock_period(n) for n in range(MAX_FAILURES, MAX_FAILURES + 12)]
    assert lock_period(MAX_FAILURES - 1) == dt.timedelta(0)
    assert periods == sorted(periods) and periods[1] == 2 * periods[0]
    assert periods[-1] == dt.timedelta(hours=1)


def test_unlock_clears_the_lock(sessions) -> None:  # type: ignore[no-untyped-def]
    user = create_user(sessions, "anna", "reviewer", PASSWORD)
    for _ in range(MAX_FAILURES):
        authenticate(sessions, "anna", "forkert")
    assert authenticate(sessions, "anna", PASSWORD).user is None
    unlock_user(sessions, user.id)
    assert authenticate(sessions, "anna", PASSWORD).user is not None


def test_cli_users_add_reads_the_password_from_stdin_and_lists_users(sqlite_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KLIMAMAAL_DATABASE_URL", sqlite_url)
    runner = CliRunner()
    result = runner.invoke(main, ["users", "add", "rita", "--role", "admin"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    listed = runner.invoke(main, ["users", "list"])
    assert "rita\tadmin" in listed.output
    from db.engine import session_factory

    assert authenticate(session_factory(sqlite_url), "rita", PASSWORD).user is not None
    duplicate = runner.invoke(main, ["users", "add", "rita"], input=PASSWORD + "\n")
    assert duplicate.exit_code != 0 and "exists already" in duplicate.output


def test_cli_users_add_has_no_password_argument() -> None:
    result = CliRunner().invoke(main, ["users", "add", "--help"])
    assert "--password" not in result.output
