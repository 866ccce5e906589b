"""Log in and log out."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from db.users import authenticate
from webapp.app import render
from webapp.security import CheckedForm, log_in, safe_next

log = logging.getLogger("klimamaal.webapp")
router = APIRouter()


@router.get("/")
def home() -> Response:
    return RedirectResponse("/queue", status_code=303)


@router.get("/login")
def login_page(request: Request, next: str = "/queue") -> Response:
    return render(request, "login.html", next=safe_next(next), name="", error=None)


@router.post("/login")
def login(request: Request, form: CheckedForm) -> Response:
    name = str(form.get("name", ""))[:80]
    password = str(form.get("password", ""))[:1000]
    next_url = safe_next(form.get("next"))
    result = authenticate(request.app.state.sessions, name, password)
    if result.user is None:
        log.info("failed login for %r", name)
        if result.locked_until is not None:
            error = "For mange forkerte forsøg. Kontoen er låst i et stykke tid – prøv igen senere."
        else:
            error = "Forkert brugernavn eller adgangskode."
        return render(request, "login.html", status_code=401, next=next_url, name=name, error=error)
    log_in(request, result.user)
    log.info("login %s", result.user.name)
    return RedirectResponse(next_url, status_code=303)


@router.post("/logout")
def logout(request: Request, form: CheckedForm) -> Response:
    request.session.clear()
    response = RedirectResponse("/login", status_code=303)
    return response
