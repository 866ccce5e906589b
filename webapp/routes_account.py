"""A user's own account: changing the password (which ends every session of the user)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from db.users import MIN_PASSWORD_LENGTH, change_password
from webapp.app import render
from webapp.security import CheckedForm, CurrentUser, flash, log_in

log = logging.getLogger("klimamaal.webapp")
router = APIRouter()


@router.get("/account/password")
def password_page(request: Request, user: CurrentUser) -> Response:
    return render(request, "password.html", error=None, minimum=MIN_PASSWORD_LENGTH)


@router.post("/account/password")
def password_change(request: Request, form: CheckedForm, user: CurrentUser) -> Response:
    current = str(form.get("current", ""))[:1000]
    new = str(form.get("new", ""))[:1000]
    error = None
    if len(new) < MIN_PASSWORD_LENGTH:
        error = f"Den nye adgangskode skal være mindst {MIN_PASSWORD_LENGTH} tegn."
    elif new != str(form.get("repeat", "")):
        error = "De to nye adgangskoder er ikke ens."
    elif not change_password(request.app.state.sessions, user, current, new):
        error = "Den nuværende adgangskode er forkert."
    if error is not None:
        return render(request, "password.html", status_code=422, error=error, minimum=MIN_PASSWORD_LENGTH)
    # Every session of the user ended with the old password, this one too: start a new one here.
    response = RedirectResponse("/queue", status_code=303)
    log_in(request, response, user)
    flash(request, "Adgangskoden er skiftet. Du er logget ud alle andre steder.")
    log.info("%s changed their password", user.name)
    return response
