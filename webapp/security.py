"""Sessions, CSRF, roles and response headers: what every request passes through.

- A session is a row in the database (``db/sessions.py``); the cookie carries
  only its random token. Cookies are HttpOnly and SameSite=Lax; behind TLS
  (``KLIMAMAAL_HTTPS`` / ``--secure-cookies``) they are Secure and named with the
  ``__Host-`` prefix (which browsers refuse from any other host or path), and
  every response carries HSTS.
- Before login there is no session: the login form's CSRF token lives in a
  short-lived cookie signed with the app's secret key (itsdangerous), so any
  worker process can check it and nothing is written for anonymous visitors.
- Every state-changing request (all POSTs, login included) must carry the CSRF
  token of the session (or, before login, of the signed cookie) in the form
  field ``csrf_token`` or the ``X-CSRF-Token`` header.
- The Content-Security-Policy allows scripts and styles from this origin only
  (no inline script, no inline style), so document text that slips into a
  page as markup still cannot run.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.responses import Response
from itsdangerous import BadData, URLSafeTimedSerializer
from starlette.datastructures import FormData
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from db.sessions import (
    ABSOLUTE_TIMEOUT,
    SessionInfo,
    end_session,
    load_session,
    set_flash,
    start_session,
    take_flash,
)
from db.users import UserInfo

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
HSTS = (b"strict-transport-security", b"max-age=31536000")
SESSION_COOKIE = "klimamaal_session"
LOGIN_COOKIE = "klimamaal_login"
#: How long a login form's CSRF token stays good.
LOGIN_TOKEN_AGE = 2 * 3600


@dataclass(frozen=True)
class WebSecurity:
    """The app's cookie settings and the signer of the login cookie (``app.state.security``)."""

    https: bool
    signer: URLSafeTimedSerializer

    @classmethod
    def make(cls, secret_key: str, *, https: bool) -> WebSecurity:
        return cls(https=https, signer=URLSafeTimedSerializer(secret_key, salt="klimamaal-login-csrf"))

    def cookie_name(self, name: str) -> str:
        return f"__Host-{name}" if self.https else name

    def set_cookie(self, response: Response, name: str, value: str, max_age: int) -> None:
        response.set_cookie(
            self.cookie_name(name),
            value,
            max_age=max_age,
            path="/",
            httponly=True,
            samesite="lax",
            secure=self.https,
        )

    def delete_cookie(self, response: Response, name: str) -> None:
        response.delete_cookie(
            self.cookie_name(name), path="/", httponly=True, samesite="lax", secure=self.https
        )


class SecurityHeaders:
    """Pure ASGI middleware (cheaper than BaseHTTPMiddleware) adding the headers above to every response."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.headers = [*HEADERS, HSTS] if hsts else HEADERS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name for name, _ in headers}
                headers.extend(h for h in self.headers if h[0] not in names)
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class LoginRequired(Exception):
    """Raised by ``require_user``; turned into a redirect to the login page."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


def _security(request: Request) -> WebSecurity:
    return request.app.state.security


def current_session(request: Request) -> SessionInfo | None:
    """The request's live session (looked up once per request), or None."""
    if not hasattr(request.state, "web_session"):
        token = request.cookies.get(_security(request).cookie_name(SESSION_COOKIE))
        request.state.web_session = load_session(request.app.state.sessions, token)
    return request.state.web_session


def _login_token(request: Request, *, create: bool) -> str | None:
    """The CSRF token of the signed login cookie; a new one (set by ``attach_cookies``) if ``create``."""
    token = getattr(request.state, "login_token", None)
    if token:
        return token
    security = _security(request)
    raw = request.cookies.get(security.cookie_name(LOGIN_COOKIE))
    if raw:
        try:
            loaded = security.signer.loads(raw, max_age=LOGIN_TOKEN_AGE)
        except BadData:
            loaded = None
        token = loaded if isinstance(loaded, str) else None
    if token is None and create:
        token = secrets.token_urlsafe(32)
        request.state.new_login_cookie = security.signer.dumps(token)
    request.state.login_token = token
    return token


def csrf_token(request: Request) -> str:
    """The token forms must send back: the session's, or before login the login cookie's."""
    session = current_session(request)
    if session is not None:
        return session.csrf_token
    token = _login_token(request, create=True)
    assert token is not None
    return token


def attach_cookies(request: Request, response: Response) -> None:
    """Set the login cookie if this request made a new login token."""
    value = getattr(request.state, "new_login_cookie", None)
    if value:
        _security(request).set_cookie(response, LOGIN_COOKIE, value, LOGIN_TOKEN_AGE)


async def checked_form(request: Request) -> FormData:
    """The submitted form, after checking its CSRF token (403 otherwise)."""
    form = await request.form()
    session = current_session(request)
    expected = session.csrf_token if session is not None else _login_token(request, create=False)
    sent = form.get("csrf_token") or request.headers.get("x-csrf-token") or ""
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(expected, sent):
        raise HTTPException(status_code=403, detail="Ugyldig eller manglende CSRF-token. Genindlæs siden.")
    return form


def require_user(request: Request) -> UserInfo:
    """The logged-in user; a session that ended, timed out or whose user is disabled is no session."""
    session = current_session(request)
    if session is None:
        if request.method != "GET":
            raise HTTPException(status_code=403, detail="Du er ikke logget ind.")
        raise LoginRequired(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    request.state.user = session.user
    return session.user


def require_reviewer(request: Request) -> UserInfo:
    """A user who may record decisions and add targets: not an analyst (read-only)."""
    user = require_user(request)
    if not user.can_review:
        raise HTTPException(
            status_code=403, detail="Din rolle (analytiker) kan læse og sammenligne, ikke bedømme."
        )
    return user


def require_admin(request: Request) -> UserInfo:
    user = require_user(request)
    if not user.is_admin:
        raise HTTPException(status_code=403, detail="Kun for administratorer.")
    return user


def log_in(request: Request, response: Response, user: UserInfo) -> None:
    """Start a new session for ``user`` (new token, new CSRF token: nothing carries over the login)."""
    sessions = request.app.state.sessions
    old = current_session(request)
    if old is not None:
        end_session(sessions, old.id)
    token, info = start_session(
        sessions,
        user,
        client=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
    )
    request.state.web_session = info
    security = _security(request)
    security.set_cookie(response, SESSION_COOKIE, token, int(ABSOLUTE_TIMEOUT.total_seconds()))
    security.delete_cookie(response, LOGIN_COOKIE)


def log_out(request: Request, response: Response) -> None:
    session = current_session(request)
    if session is not None:
        end_session(request.app.state.sessions, session.id)
    request.state.web_session = None
    _security(request).delete_cookie(response, SESSION_COOKIE)


def safe_next(url: Any) -> str:
    """Only local paths may be redirect targets after login."""
    if isinstance(url, str) and url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return "/queue"


def flash(request: Request, message: str) -> None:
    """A message for the session's next page."""
    session = current_session(request)
    if session is not None:
        set_flash(request.app.state.sessions, session.id, message)


def pop_flash(request: Request) -> str | None:
    session = current_session(request)
    if session is None or getattr(request.state, "flash_taken", False):
        return None
    request.state.flash_taken = True
    return take_flash(request.app.state.sessions, session)


#: Parameter types for routes: the logged-in user, an admin, and a CSRF-checked form.
CurrentUser = Annotated[UserInfo, Depends(require_user)]
CurrentAdmin = Annotated[UserInfo, Depends(require_admin)]
CurrentReviewer = Annotated[UserInfo, Depends(require_reviewer)]
CheckedForm = Annotated[FormData, Depends(checked_form)]
