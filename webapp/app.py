"""The review app: ``create_app(database_url)`` builds it; ``klimamaal review`` serves it.

Templates are Jinja2 with autoescaping on for everything; document text only
ever reaches a page as an escaped value. Static files are read once, at start,
from the package's ``static/`` folder into memory and served by exact name, so
no part of a request path is ever used to open a file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, select_autoescape
from starlette.exceptions import HTTPException

from analysis.writers import html_value
from db.engine import session_factory
from extractors.explain import describe
from extractors.labels import STATUS_LABELS
from klimamaal.config import database_url as configured_url
from klimamaal.config import https_enabled
from klimamaal.config import secret_key as configured_secret_key
from webapp.forms import CHOICES, LABELS, display
from webapp.security import LoginRequired, SecurityHeaders, WebSecurity, attach_cookies, csrf_token, pop_flash

log = logging.getLogger("klimamaal.webapp")
PACKAGE_DIR = Path(__file__).resolve().parent
ROLE_LABELS = {"admin": "administrator", "reviewer": "bedømmer", "analyst": "analytiker"}
ACTION_LABELS = {
    "accept": "accepterede",
    "edit": "rettede",
    "reject": "afviste",
    "skip": "sprang over",
    "undo": "fortrød",
    "add": "tilføjede",
}


def _load_static() -> dict[str, tuple[bytes, str, str]]:
    files: dict[str, tuple[bytes, str, str]] = {}
    for path in sorted((PACKAGE_DIR / "static").iterdir()):
        if path.is_file():
            data = path.read_bytes()
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind.endswith("javascript"):
                kind += "; charset=utf-8"
            files[path.name] = (data, kind, hashlib.sha256(data).hexdigest()[:16])
    return files


def _templates() -> Environment:
    env = Environment(
        # the comparison report's body is shared with the HTML report file (analysis/templates)
        loader=ChoiceLoader(
            [FileSystemLoader(PACKAGE_DIR / "templates"), PackageLoader("analysis", "templates")]
        ),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        LABELS=LABELS,
        CHOICES=CHOICES,
        STATUS_LABELS=STATUS_LABELS,
        ACTION_LABELS=ACTION_LABELS,
        ROLE_LABELS=ROLE_LABELS,
        display=display,
    )
    env.filters["cell"] = html_value
    env.filters["describe"] = describe
    env.filters["when"] = lambda value: value.strftime("%d.%m.%Y %H:%M") + " UTC" if value else ""
    return env


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a template with the things every page needs (user, CSRF token, flash, static URLs)."""
    app = request.app
    context.setdefault("user", getattr(request.state, "user", None))
    context.update(
        request=request,
        csrf=csrf_token(request),
        flash=pop_flash(request),
        static=lambda file: f"/static/{file}?v={app.state.static[file][2]}",
        now=dt.datetime.now(dt.UTC),
    )
    html = app.state.templates.get_template(template).render(**context)
    response = HTMLResponse(html, status_code=status_code)
    attach_cookies(request, response)
    return response


def create_app(
    database_url: str | None = None, *, secret_key: str | None = None, https: bool | None = None
) -> FastAPI:
    """The review app on ``database_url`` (default: the configured database).

    Sessions live in the database, so any number of worker processes serve the
    same users. The secret key signs the login form's CSRF cookie; it comes from
    ``secret_key``, else ``KLIMAMAAL_SECRET_KEY``, else the key generated once into
    the data folder. ``https`` (default ``KLIMAMAAL_HTTPS``) makes cookies Secure
    and adds HSTS, for a deployment behind TLS.
    """
    from webapp import routes_account, routes_admin, routes_analysis, routes_auth, routes_pages, routes_review

    url = database_url or configured_url()
    https = https_enabled() if https is None else https
    app = FastAPI(title="klimamaal review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.sessions = session_factory(url)
    app.state.templates = _templates()
    app.state.static = _load_static()
    app.state.security = WebSecurity.make(secret_key or configured_secret_key(), https=https)
    app.add_middleware(SecurityHeaders, hsts=https)
    app.include_router(routes_auth.router)
    app.include_router(routes_account.router)
    app.include_router(routes_review.router)
    app.include_router(routes_pages.router)
    app.include_router(routes_admin.router)
    app.include_router(routes_analysis.router)

    @app.get("/static/{name}")
    def static(name: str) -> Response:
        entry = app.state.static.get(name)
        if entry is None:
            return Response("Ikke fundet", status_code=404, media_type="text/plain; charset=utf-8")
        data, kind, etag = entry
        return Response(
            data, media_type=kind, headers={"cache-control": "public, max-age=3600", "etag": etag}
        )

    @app.exception_handler(LoginRequired)
    def login_required(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse("/login?" + urlencode({"next": exc.next_url}), status_code=303)

    @app.exception_handler(HTTPException)
    def http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code in (301, 302, 303, 307) and exc.headers:
            return Response(status_code=exc.status_code, headers=exc.headers)
        messages = {403: "Adgang nægtet", 404: "Ikke fundet", 405: "Metoden er ikke tilladt"}
        return render(
            request,
            "error.html",
            status_code=exc.status_code,
            title=messages.get(exc.status_code, "Fejl"),
            detail=exc.detail if isinstance(exc.detail, str) else "",
        )

    @app.exception_handler(RequestValidationError)
    def bad_request(request: Request, exc: RequestValidationError) -> Response:
        # e.g. /targets/abc: a malformed address, answered like a missing page, in Danish.
        return render(
            request, "error.html", status_code=404, title="Ikke fundet", detail="Adressen er ugyldig."
        )

    log.info("review app on %s%s", url.split("@")[-1], " (https)" if https else "")
    return app
