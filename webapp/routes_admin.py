"""User administration and sessions (admins), the decision history (own, or everyone's for admins) and exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from db.export import FORMATS, export_bytes, parse_statuses
from db.sessions import ABSOLUTE_TIMEOUT, IDLE_TIMEOUT, active_sessions, end_session, session_counts
from db.sheets import DIALECTS
from db.users import ROLES, UserError, create_user, list_users, set_disabled, unlock_user
from models import TargetReview, utcnow
from webapp.app import render
from webapp.params import StoredCount, StoredId
from webapp.security import CheckedForm, CurrentAdmin, CurrentUser, current_session, flash

router = APIRouter()
HISTORY_PAGE = 100
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jsonl": "application/x-ndjson; charset=utf-8",
}
CREATE_ERRORS = {
    "the name": "Navnet skal være 1–80 tegn.",
    "role": "Vælg en rolle.",
    "the password": "Adgangskoden skal være mindst 8 tegn.",
    "a user": "Navnet er brugt før. Et navn bruges aldrig igen, for beslutningerne bærer det.",
}


def _users_page(request: Request, status_code: int = 200, error: str | None = None) -> Response:
    sessions = request.app.state.sessions
    with sessions() as session:
        counts = session_counts(session)
    return render(
        request,
        "users.html",
        status_code=status_code,
        users=list_users(sessions),
        sessions_per_user=counts,
        roles=ROLES,
        now_naive=utcnow(),
        error=error,
    )


@router.get("/admin/users")
def users_page(request: Request, user: CurrentAdmin) -> Response:
    return _users_page(request)


@router.post("/admin/users")
def add_user(request: Request, form: CheckedForm, user: CurrentAdmin) -> Response:
    try:
        created = create_user(
            request.app.state.sessions,
            str(form.get("name", "")),
            str(form.get("role", "")),
            str(form.get("password", "")),
        )
    except UserError as exc:
        error = next(
            (m for k, m in CREATE_ERRORS.items() if str(exc).startswith(k)), "Brugeren kunne ikke oprettes."
        )
        return _users_page(request, 422, error)
    flash(request, f"Brugeren {created.name} er oprettet.")
    return RedirectResponse("/admin/users", status_code=303)


def _user_action(request: Request, action: Callable[[], object], done: str) -> Response:
    try:
        action()
    except LookupError as exc:
        raise HTTPException(status_code=404, detail="Brugeren findes ikke.") from exc
    flash(request, done)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{user_id}/unlock")
def unlock(request: Request, user_id: StoredId, form: CheckedForm, user: CurrentAdmin) -> Response:
    return _user_action(
        request, lambda: unlock_user(request.app.state.sessions, user_id), "Brugeren er låst op."
    )


@router.post("/admin/users/{user_id}/disable")
def disable(request: Request, user_id: StoredId, form: CheckedForm, user: CurrentAdmin) -> Response:
    if user_id == user.id:
        raise HTTPException(status_code=400, detail="Du kan ikke deaktivere dig selv.")
    return _user_action(
        request,
        lambda: set_disabled(request.app.state.sessions, user_id, True),
        "Brugeren er deaktiveret og logget ud.",
    )


@router.post("/admin/users/{user_id}/enable")
def enable(request: Request, user_id: StoredId, form: CheckedForm, user: CurrentAdmin) -> Response:
    return _user_action(
        request,
        lambda: set_disabled(request.app.state.sessions, user_id, False),
        "Brugeren er aktiveret igen.",
    )


@router.get("/admin/sessions")
def sessions_page(request: Request, user: CurrentAdmin) -> Response:
    mine = current_session(request)
    return render(
        request,
        "sessions.html",
        active=active_sessions(request.app.state.sessions),
        mine=mine.id if mine is not None else None,
        idle_hours=f"{IDLE_TIMEOUT / dt.timedelta(hours=1):g}",
        absolute_hours=f"{ABSOLUTE_TIMEOUT / dt.timedelta(hours=1):g}",
    )


@router.post("/admin/sessions/{session_id}/end")
def end_one_session(
    request: Request, session_id: StoredId, form: CheckedForm, user: CurrentAdmin
) -> Response:
    end_session(request.app.state.sessions, session_id)
    flash(request, "Sessionen er afsluttet.")
    return RedirectResponse("/admin/sessions", status_code=303)


@router.get("/history")
def history(request: Request, user: CurrentUser, reviewer: str = "", before: StoredCount = 0) -> Response:
    """Decisions newest first; reviewers see their own, admins everyone's (optionally one reviewer's)."""
    who = (reviewer.strip() or None) if user.is_admin else user.name
    query = select(TargetReview).order_by(TargetReview.id.desc()).limit(HISTORY_PAGE)
    if who:
        query = query.where(TargetReview.reviewer == who)
    if before > 0:
        query = query.where(TargetReview.id < before)
    with request.app.state.sessions() as session:
        rows = list(session.scalars(query))
    older = rows[-1].id if len(rows) == HISTORY_PAGE else None
    return render(request, "history.html", rows=rows, who=who, older=older)


@router.get("/export")
def export_page(request: Request, user: CurrentUser) -> Response:
    return render(request, "export.html", formats=FORMATS)


@router.get("/export/download")
def export_download(
    request: Request, user: CurrentUser, format: str = "csv", status: str = "", dialect: str = "international"
) -> Response:
    if format not in FORMATS:
        raise HTTPException(status_code=400, detail="Ukendt format.")
    if dialect not in DIALECTS:
        raise HTTPException(status_code=400, detail="Ukendt CSV-dialekt.")
    try:
        statuses = parse_statuses(status, format)
    except ValueError as exc:
        raise HTTPException(status_code=400, detail="Ukendt status.") from exc
    with request.app.state.sessions() as session:
        data = export_bytes(session, format, statuses, dialect)
    stamp = utcnow().strftime("%Y%m%d-%H%M")
    return Response(
        data,
        media_type=MEDIA_TYPES[format],
        headers={"content-disposition": f'attachment; filename="klimamaal-review-{stamp}.{format}"'},
    )
