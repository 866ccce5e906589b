"""Server-side sessions of the review app: a row per logged-in browser, shared by every worker process.

The browser's cookie holds a random token (256 bits); the row holds its SHA-256,
so a copy of the table opens no session. Whatever ends a session deletes its
row, and the next request from any worker finds none: logout, a password
change, a lock-out and disabling a user all take effect at once, unlike a
signed cookie, which stays valid until it expires.

A session ends after ``IDLE_TIMEOUT`` without a request and ``ABSOLUTE_TIMEOUT``
after login in any case. ``last_seen_at`` is written at most once per
``TOUCH_EVERY``, so reading a page does not cost a write each time.

Written here rather than taken from a package: Starlette ships signed-cookie
sessions only, and the server-side session packages for it keep opaque blobs
in memory or Redis by session id; ending every session of one user (the point
of a lock or a password change) needs rows that know their user, in the
database the workers already share.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from db.users import UserInfo
from models import User, WebSession, utcnow

IDLE_TIMEOUT = dt.timedelta(hours=2)
ABSOLUTE_TIMEOUT = dt.timedelta(hours=12)
TOUCH_EVERY = dt.timedelta(minutes=1)
#: Longer cookie values are not ours; they are refused before any hashing or lookup.
MAX_TOKEN_LENGTH = 100


@dataclass(frozen=True)
class SessionInfo:
    """A live session as a request sees it."""

    id: int
    user: UserInfo
    csrf_token: str
    flash: str | None


@dataclass(frozen=True)
class ActiveSession:
    """A session as the admin page lists it."""

    id: int
    user_name: str
    created_at: dt.datetime
    last_seen_at: dt.datetime
    expires_at: dt.datetime
    client: str | None
    user_agent: str | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _live(now: dt.datetime) -> list[object]:
    """Conditions of a session that has not timed out."""
    return [WebSession.expires_at > now, WebSession.last_seen_at > now - IDLE_TIMEOUT]


def start_session(
    sessions: sessionmaker[Session],
    user: UserInfo,
    *,
    client: str | None = None,
    user_agent: str | None = None,
    now: dt.datetime | None = None,
) -> tuple[str, SessionInfo]:
    """A new session for ``user``: returns the token for the cookie and the session.

    Also removes sessions that have timed out, so the table holds live ones and a
    few stale ones at most.
    """
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    with sessions.begin() as session:
        session.execute(
            delete(WebSession).where(
                or_(WebSession.expires_at <= now, WebSession.last_seen_at <= now - IDLE_TIMEOUT)
            )
        )
        row = WebSession(
            token_hash=token_hash(token),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            last_seen_at=now,
            expires_at=now + ABSOLUTE_TIMEOUT,
            client=(client or "")[:64] or None,
            user_agent=(user_agent or "")[:200] or None,
        )
        session.add(row)
        session.flush()
        return token, SessionInfo(row.id, user, row.csrf_token, None)


def load_session(
    sessions: sessionmaker[Session], token: str | None, *, now: dt.datetime | None = None
) -> SessionInfo | None:
    """The live session of ``token``, or None (unknown, timed out, or its user disabled)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    now = now or utcnow()
    with sessions() as session:
        found = session.execute(
            select(WebSession, User.name, User.role)
            .join(User, User.id == WebSession.user_id)
            .where(WebSession.token_hash == token_hash(token), User.disabled_at.is_(None), *_live(now))
        ).first()
        if found is None:
            return None
        row, name, role = found
        if now - row.last_seen_at >= TOUCH_EVERY:
            session.execute(update(WebSession).where(WebSession.id == row.id).values(last_seen_at=now))
            session.commit()
        return SessionInfo(row.id, UserInfo(row.user_id, name, role), row.csrf_token, row.flash)


def end_session(sessions: sessionmaker[Session], session_id: int) -> None:
    with sessions.begin() as session:
        session.execute(delete(WebSession).where(WebSession.id == session_id))


def set_flash(sessions: sessionmaker[Session], session_id: int, message: str) -> None:
    with sessions.begin() as session:
        session.execute(update(WebSession).where(WebSession.id == session_id).values(flash=message[:300]))


def take_flash(sessions: sessionmaker[Session], info: SessionInfo) -> str | None:
    """The session's flash message, removed so that it shows once."""
    if info.flash is None:
        return None
    with sessions.begin() as session:
        session.execute(update(WebSession).where(WebSession.id == info.id).values(flash=None))
    return info.flash


def active_sessions(
    sessions: sessionmaker[Session], *, now: dt.datetime | None = None
) -> list[ActiveSession]:
    """Live sessions, most recently used first."""
    now = now or utcnow()
    query = (
        select(
            WebSession.id,
            User.name,
            WebSession.created_at,
            WebSession.last_seen_at,
            WebSession.expires_at,
            WebSession.client,
            WebSession.user_agent,
        )
        .join(User, User.id == WebSession.user_id)
        .where(User.disabled_at.is_(None), *_live(now))
        .order_by(WebSession.last_seen_at.desc(), WebSession.id.desc())
    )
    with sessions() as session:
        return [ActiveSession(*row) for row in session.execute(query)]


def session_counts(session: Session, *, now: dt.datetime | None = None) -> dict[int, int]:
    """Live sessions per user id."""
    now = now or utcnow()
    query = select(WebSession.user_id, func.count()).where(*_live(now)).group_by(WebSession.user_id)
    return {user_id: n for user_id, n in session.execute(query)}
