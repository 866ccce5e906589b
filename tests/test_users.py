"""Users: argon2 hashes, a lock-out that reveals nobody, disabling, and the `klimamaal users` commands."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from db.users import (
    MAX_FAILURES,
    UserError,
    authenticate,
    create_user,
    list_users,
    lock_period,
    set_disabled,
    unlock_user,
)
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


def test_an_unknown_name_is_answered_and_locked_exactly_like_a_real_one(sessions) -> None:  # type: ignore[no-untyped-def]
    create_user(sessions, "anna", "reviewer", PASSWORD)
    now = utcnow()
    for name in ("anna", "nobody"):
        outcomes = [authenticate(sessions, name, "forkert", now=now) for _ in range(MAX_FAILURES + 1)]
        assert [o.user for o in outcomes] == [None] * (MAX_FAILURES + 1)
        locks = [o.locked_until for o in outcomes]
        assert locks[: MAX_FAILURES - 1] == [None] * (MAX_FAILURES - 1), name
        assert locks[MAX_FAILURES - 1] == locks[MAX_FAILURES] == now + lock_period(MAX_FAILURES), name


@pytest.fixture
def password_checks(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """Counts argon2 verifications (each still runs: the spy calls the real method)."""
    calls: list[str] = []
    real = PasswordHasher.verify

    def counting(self, hash, password):  # type: ignore[no-untyped-def]
        calls.append(hash)
        return real(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    return calls


def test_every_login_attempt_costs_one_password_check_known_name_or_not(sessions, password_checks) -> None:  # type: ignore[no-untyped-def]
    anna = create_user(sessions, "anna", "reviewer", PASSWORD)
    create_user(sessions, "bent", "reviewer", PASSWORD)
    set_disabled(sessions, anna.id, True)
    for name, password in (("bent", PASSWORD), ("bent", "forkert"), ("nobody", PASSWORD), ("anna", PASSWORD)):
        before = len(password_checks)
        result = authenticate(sessions, name, password)
        assert len(password_checks) - before == 1, (name, password)
        assert (result.user is not None) == (name == "bent" and password == PASSWORD)
    with sessions() as session:
        real = {session.scalar(select(User.password_hash).where(User.name == n)) for n in ("anna", "bent")}
    assert password_checks[2] not in real  # the unknown name was checked against the dummy hash


def test_a_locked_name_costs_no_password_check_known_or_not(sessions, password_checks) -> None:  # type: ignore[no-untyped-def]
    create_user(sessions, "anna", "reviewer", PASSWORD)
    now = utcnow()
    for name in ("anna", "nobody"):
        for _ in range(MAX_FAILURES):
            authenticate(sessions, name, "forkert", now=now)
        before = len(password_checks)
        assert authenticate(sessions, name, PASSWORD, now=now).locked_until is not None
        assert len(password_checks) == before, name


def test_disabled_users_cannot_log_in_and_are_never_deleted(sessions) -> None:  # type: ignore[no-untyped-def]
    anna = create_user(sessions, "anna", "reviewer", PASSWORD)
    set_disabled(sessions, anna.id, True)
    assert authenticate(sessions, "anna", PASSWORD).user is None
    (row,) = list_users(sessions)
    assert row.disabled_at is not None
    with pytest.raises(UserError):
        create_user(sessions, "anna", "admin", PASSWORD)  # the name stays hers
    with pytest.raises(IntegrityError, match="never deleted"), sessions.begin() as session:
        session.execute(delete(User))
    set_disabled(sessions, anna.id, False)
    assert authenticate(sessions, "anna", PASSWORD).user is not None


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
    assert "rita\tadmin\tactive" in listed.output
    assert runner.invoke(main, ["users", "disable", "rita"]).exit_code == 0
    assert "rita\tadmin\tdisabled since" in runner.invoke(main, ["users", "list"]).output
    assert runner.invoke(main, ["users", "enable", "rita"]).exit_code == 0
    assert runner.invoke(main, ["users", "disable", "nobody"]).exit_code != 0
    from db.engine import session_factory

    assert authenticate(session_factory(sqlite_url), "rita", PASSWORD).user is not None
    duplicate = runner.invoke(main, ["users", "add", "rita"], input=PASSWORD + "\n")
    assert duplicate.exit_code != 0 and "exists already" in duplicate.output


def test_cli_users_add_has_no_password_argument() -> None:
    result = CliRunner().invoke(main, ["users", "add", "--help"])
    assert "--password" not in result.output
