"""Review-app users: argon2 password hashes, roles, and a lock-out after repeated failed logins.

Passwords are only ever handled here; the CLI reads them from a prompt or
stdin and the web app passes them straight through. A failed login counts
against the user; after ``MAX_FAILURES`` in a row the account is locked for a
while that grows with each further failure, which slows guessing to a crawl
without locking a forgetful reviewer out for good.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import User, utcnow

ROLES = ("reviewer", "admin")
#: Failed logins in a row before the account is locked.
MAX_FAILURES = 5
#: First lock period; doubles with every further failure, capped at ``MAX_LOCK``.
BASE_LOCK = dt.timedelta(minutes=1)
MAX_LOCK = dt.timedelta(hours=1)
MIN_PASSWORD_LENGTH = 8

_hasher = PasswordHasher()
# Verified against when the user does not exist, so that unknown names take as long as wrong passwords.
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


def _info(user: User) -> UserInfo:
    return UserInfo(id=user.id, name=user.name, role=user.role)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def create_user(sessions: sessionmaker[Session], name: str, role: str, password: str) -> UserInfo:
    """Create a user; the name must be new, the role known and the password at least 8 characters."""
    name = name.strip()
    if not name or len(name) > 80:
        raise UserError("the name must be 1-80 characters")
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    with sessions.begin() as session:
        if session.scalar(select(User.id).where(User.name == name)) is not None:
            raise UserError(f"a user named {name!r} exists already")
        user = User(name=name, role=role, password_hash=hash_password(password), failed_logins=0)
        session.add(user)
        session.flush()
        return _info(user)


def list_users(sessions: sessionmaker[Session]) -> list[User]:
    with sessions() as session:
        return list(session.scalars(select(User).order_by(User.name)))


def get_user(sessions: sessionmaker[Session], user_id: int) -> UserInfo | None:
    with sessions() as session:
        user = session.get(User, user_id)
        return _info(user) if user is not None else None


def unlock_user(sessions: sessionmaker[Session], user_id: int) -> None:
    with sessions.begin() as session:
        user = session.get_one(User, user_id)
        user.failed_logins = 0
        user.locked_until = None


def lock_period(failures: int) -> dt.timedelta:
    """How long an account stays locked after ``failures`` failed logins in a row."""
    if failures < MAX_FAILURES:
        return dt.timedelta(0)
    return min(BASE_LOCK * 2 ** (failures - MAX_FAILURES), MAX_LOCK)


def authenticate(
    sessions: sessionmaker[Session], name: str, password: str, *, now: dt.datetime | None = None
) -> AuthResult:
    """Check a login; counts failures and refuses (without checking the password) while locked."""
    now = now or utcnow()
    with sessions.begin() as session:
        user = session.scalar(select(User).where(User.name == name.strip()))
        if user is None:
            _verify(_DUMMY_HASH, password)
            return AuthResult(user=None)
        if user.locked_until is not None and user.locked_until > now:
            return AuthResult(user=None, locked_until=user.locked_until)
        if not _verify(user.password_hash, password):
            user.failed_logins += 1
            period = lock_period(user.failed_logins)
            user.locked_until = now + period if period else None
            return AuthResult(user=None, locked_until=user.locked_until)
        user.failed_logins = 0
        user.locked_until = None
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        return AuthResult(user=_info(user))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
