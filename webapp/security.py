"""Sessions, CSRF, roles and response headers: what every request passes through.

- The session is Starlette's signed cookie (itsdangerous), HttpOnly and
  SameSite=Lax; it holds the user id and the CSRF token, nothing else.
- Every state-changing request (all POSTs, login included) must carry the
  session's CSRF token in the form field ``csrf_token`` or the
  ``X-CSRF-Token`` header; without a session there is no token to match.
- The Content-Security-Policy allows scripts and styles from this origin only
  (no inline script, no inline style), so document text that slips into a
  page as markup still cannot run.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from starlette.datastructures import FormData
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from db.users import UserInfo, get_user

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Pure ASGI middleware (cheaper than BaseHTTPMiddleware) adding the headers above to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name for name, _ in headers}
                headers.extend(h for h in HEADERS if h[0] not in names)
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class LoginRequired(Exception):
    """Raised by ``require_user``; turned into a redirect to the login page."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def checked_form(request: Request) -> FormData:
    """The submitted form, after checking its CSRF token against the session's (403 otherwise)."""
    form = await request.form()
    expected = request.session.get("csrf")
    sent = form.get("csrf_token") or request.headers.get("x-csrf-token") or ""
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(expected, sent):
        raise HTTPException(status_code=403, detail="Ugyldig eller manglende CSRF-token. Genindlæs siden.")
    return form


def require_user(request: Request) -> UserInfo:
    """The logged-in user (re-read from the database, so a deleted user is logged out at once)."""
    user_id = request.session.get("uid")
    user = get_user(request.app.state.sessions, user_id) if isinstance(user_id, int) else None
    if user is None:
        if request.method != "GET":
            raise HTTPException(status_code=403, detail="Du er ikke logget ind.")
        raise LoginRequired(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    request.state.user = user
    return user


def require_admin(request: Request) -> UserInfo:
    user = require_user(request)
    if not user.is_admin:
        raise HTTPException(status_code=403, detail="Kun for administratorer.")
    return user


def log_in(request: Request, user: UserInfo) -> None:
    """Start a fresh session for ``user`` (a new CSRF token too: no fixation across the login)."""
    request.session.clear()
    request.session["uid"] = user.id
    request.session["csrf"] = secrets.token_urlsafe(32)


def safe_next(url: Any) -> str:
    """Only local paths may be redirect targets after login."""
    if isinstance(url, str) and url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return "/queue"


def flash(request: Request, message: str) -> None:
    request.session["flash"] = message[:300]


def pop_flash(request: Request) -> str | None:
    return request.session.pop("flash", None)


#: Parameter types for routes: the logged-in user, an admin, and a CSRF-checked form.
CurrentUser = Annotated[UserInfo, Depends(require_user)]
CurrentAdmin = Annotated[UserInfo, Depends(require_admin)]
CheckedForm = Annotated[FormData, Depends(checked_form)]
