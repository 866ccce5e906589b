"""Review-app users: argon2 password hashes, roles, disabling, and a lock-out that reveals nobody.

Passwords are only ever handled here; the CLI reads them from a prompt or
stdin and the web app passes them straight through.

Failed logins are counted per *name* (``LoginThrottle``), whether a user has
that name or not: after ``MAX_FAILURES`` in a row the name is locked for a
while that grows with each further failure. An unknown name gets the same
answers, the same lock-out and the same cost (one password-hash check against a
dummy hash) as a real one, so neither the messages nor the timing tell an
attacker who exists. A lock, a password change and disabling a user end the
user's sessions in the same transaction.

Users are disabled, never deleted, and a name is never reused: reviews name
their reviewer.

The throttle is written here because the rate-limit packages count requests per
key in memory or Redis; a lock-out that every worker process sees, that ends the
user's sessions in the same transaction and that treats unknown names alike needs
the counters in the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from db.engine import upsert
from models import LoginThrottle, TargetReview, User, WebSession, utcnow

#: reviewer: reviews targets; admin: also manages users and sees every session; analyst: reads, compares and
#: searches, and cannot review (no decision, no added target).
ROLES = ("reviewer", "admin", "analyst")
#: Failed logins in a row before the name is locked.
MAX_FAILURES = 5
#: First lock period; doubles with every further failure, capped at ``MAX_LOCK``.
BASE_LOCK = dt.timedelta(minutes=1)
MAX_LOCK = dt.timedelta(hours=1)
#: Counters of names without a lock are forgotten after a day without failures.
FORGET_FAILURES_AFTER = dt.timedelta(days=1)
MIN_PASSWORD_LENGTH = 8
MAX_NAME_LENGTH = 80

_hasher = PasswordHasher()
# Verified against when no (enabled) user has the name, so that unknown names cost what wrong passwords cost.
_DUMMY_HASH = _hasher.hash("klimamaal-dummy-password")


class UserError(ValueError):
    """A user could not be created or changed (duplicate name, bad role, short password)."""


@dataclass(frozen=True)
class AuthResult:
    """The outcome of a login attempt; ``user`` is set only on success."""

    user: UserInfo | None
    locked_until: dt.datetime | None = None


@dataclass(frozen=True)
class UserInfo:
    """What the web app keeps about the logged-in user (no hash)."""

    id: int
    name: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def can_review(self) -> bool:
        return self.role in ("reviewer", "admin")


@dataclass(frozen=True)
class UserRow:
    """A user as the admin page and ``klimamaal users list`` show it."""

    id: int
    name: str
    role: str
    created_at: dt.datetime
    disabled_at: dt.datetime | None
    failures: int
    locked_until: dt.datetime | None


def _info(user: User) -> UserInfo:
    return UserInfo(id=user.id, name=user.name, role=user.role)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")


def create_user(sessions: sessionmaker[Session], name: str, role: str, password: str) -> UserInfo:
    """Create a user; the name must be new (to the users and to the review history), the role known
    and the password at least 8 characters."""
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise UserError("the name must be 1-80 characters")
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    _check_new_password(password)
    with sessions.begin() as session:
        if session.scalar(select(User.id).where(User.name == name)) is not None:
            raise UserError(f"a user named {name!r} exists already")
        if session.scalar(select(TargetReview.id).where(TargetReview.reviewer == name).limit(1)) is not None:
            raise UserError(f"a user named {name!r} exists already (the review history names them)")
        user = User(name=name, role=role, password_hash=hash_password(password))
        session.add(user)
        session.flush()
        return _info(user)


def list_users(sessions: sessionmaker[Session]) -> list[UserRow]:
    query = (
        select(
            User.id,
            User.name,
            User.role,
            User.created_at,
            User.disabled_at,
            LoginThrottle.failures,
            LoginThrottle.locked_until,
        )
        .outerjoin(LoginThrottle, LoginThrottle.name == User.name)
        .order_by(User.name)
    )
    with sessions() as session:
        return [
            UserRow(id, name, role, created, disabled, failures or 0, locked)
            for id, name, role, created, disabled, failures, locked in session.execute(query)
        ]


def find_user(sessions: sessionmaker[Session], name: str) -> UserInfo | None:
    with sessions() as session:
        user = session.scalar(select(User).where(User.name == name.strip()))
        return _info(user) if user is not None else None


def end_sessions_of(session: Session, user_id: int) -> None:
    """End every session of a user, inside the caller's transaction."""
    session.execute(delete(WebSession).where(WebSession.user_id == user_id))


def unlock_user(sessions: sessionmaker[Session], user_id: int) -> None:
    """Forget the failed logins of the user's name (LookupError for an unknown id)."""
    with sessions.begin() as session:
        user = session.get(User, user_id)
        if user is None:
            raise LookupError(f"no user {user_id}")
        session.execute(delete(LoginThrottle).where(LoginThrottle.name == user.name))


def set_disabled(sessions: sessionmaker[Session], user_id: int, disabled: bool) -> UserInfo:
    """Disable a user (ending their sessions) or enable them again; LookupError for an unknown id."""
    with sessions.begin() as session:
        user = session.get(User, user_id)
        if user is None:
            raise LookupError(f"no user {user_id}")
        if disabled:
            user.disabled_at = user.disabled_at or utcnow()
            end_sessions_of(session, user.id)
        else:
            user.disabled_at = None
        return _info(user)


def set_password(sessions: sessionmaker[Session], user_id: int, password: str) -> None:
    """Give a user a new password; ends all their sessions (a copied cookie dies with the old password)."""
    _check_new_password(password)
    with sessions.begin() as session:
        user = session.get(User, user_id)
        if user is None:
            raise LookupError(f"no user {user_id}")
        user.password_hash = hash_password(password)
        end_sessions_of(session, user.id)


def lock_period(failures: int) -> dt.timedelta:
    """How long a name stays locked after ``failures`` failed logins in a row."""
    if failures < MAX_FAILURES:
        return dt.timedelta(0)
    return min(BASE_LOCK * 2 ** (failures - MAX_FAILURES), MAX_LOCK)


def _count_attempt(session: Session, name: str, now: dt.datetime) -> tuple[bool, dt.datetime | None]:
    """Count an attempt for ``name`` as a failure before its password is checked.

    Returns (allowed, locked_until): not allowed while the name is locked; else the
    lock this attempt sets should it fail. Counting first, in one UPDATE, means that
    parallel guesses are counted one by one and the lock stops all but the first few.
    """
    insert = upsert(session.get_bind().dialect.name, LoginThrottle)
    session.execute(
        insert.values(name=name, failures=0, locked_until=None, last_failure_at=now).on_conflict_do_nothing()
    )
    failures = session.scalar(
        update(LoginThrottle)
        .where(
            LoginThrottle.name == name,
            or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= now),
        )
        .values(failures=LoginThrottle.failures + 1, last_failure_at=now)
        .returning(LoginThrottle.failures)
    )
    if failures is None:
        return False, session.scalar(select(LoginThrottle.locked_until).where(LoginThrottle.name == name))
    period = lock_period(failures)
    locked_until = now + period if period else None
    if locked_until is not None:
        session.execute(
            update(LoginThrottle).where(LoginThrottle.name == name).values(locked_until=locked_until)
        )
    return True, locked_until


def authenticate(
    sessions: sessionmaker[Session], name: str, password: str, *, now: dt.datetime | None = None
) -> AuthResult:
    """Check a login; every name, known or not, is counted, locked and checked the same way.

    While a name is locked the password is not checked at all. Otherwise exactly
    one password-hash check runs: against the user's hash, or a dummy one when no
    enabled user has the name. The lock that a failure sets ends the user's sessions.
    """
    now = now or utcnow()
    name = name.strip()[:MAX_NAME_LENGTH]
    with sessions.begin() as session:  # apart from the count, so that no transaction waits holding rows
        session.execute(
            delete(LoginThrottle).where(
                LoginThrottle.last_failure_at < now - FORGET_FAILURES_AFTER,
                or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < now),
            )
        )
    with sessions.begin() as session:
        allowed, locked_until = _count_attempt(session, name, now)
        if not allowed:
            return AuthResult(user=None, locked_until=locked_until)
        user = session.scalar(select(User).where(User.name == name))
        stored_hash = user.password_hash if user is not None and user.disabled_at is None else None
    matches = _verify(stored_hash or _DUMMY_HASH, password)
    if not matches or stored_hash is None or user is None:
        if locked_until is not None and user is not None:
            with sessions.begin() as session:
                end_sessions_of(session, user.id)
        return AuthResult(user=None, locked_until=locked_until)
    with sessions.begin() as session:
        session.execute(delete(LoginThrottle).where(LoginThrottle.name == name))
        if _hasher.check_needs_rehash(stored_hash):
            session.execute(
                update(User).where(User.id == user.id).values(password_hash=hash_password(password))
            )
    return AuthResult(user=_info(user))


def change_password(sessions: sessionmaker[Session], user: UserInfo, current: str, new: str) -> bool:
    """A user's own change: the current password is checked like a login (counted, so a stolen
    session cannot guess it unhindered); False if it is wrong. Ends all the user's sessions."""
    _check_new_password(new)
    if authenticate(sessions, user.name, current).user is None:
        return False
    set_password(sessions, user.id, new)
    return True


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
