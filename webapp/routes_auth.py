"""Log in and log out.

A failed login answers the same for every name, known or not, locked or not by
an earlier lock: "wrong name or password", or "too many attempts" once the name
is locked (see ``db.users.authenticate``).
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from db.users import authenticate
from webapp.app import render
from webapp.security import CheckedForm, log_in, log_out, safe_next

log = logging.getLogger("klimamaal.webapp")
router = APIRouter()
WRONG = "Forkert brugernavn eller adgangskode."
LOCKED = "For mange forkerte forsøg. Kontoen er låst i et stykke tid – prøv igen senere."


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
        error = LOCKED if result.locked_until is not None else WRONG
        return render(request, "login.html", status_code=401, next=next_url, name=name, error=error)
    response = RedirectResponse(next_url, status_code=303)
    log_in(request, response, result.user)
    log.info("login %s", result.user.name)
    return response


@router.post("/logout")
def logout(request: Request, form: CheckedForm) -> Response:
    response = RedirectResponse("/login", status_code=303)
    log_out(request, response)
    return response
