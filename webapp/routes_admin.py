"""User administration (admins), the decision history (own, or everyone's for admins) and exports."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from db.export import FORMATS, export_bytes, parse_statuses
from db.users import ROLES, UserError, create_user, list_users, unlock_user
from models import TargetReview, utcnow
from webapp.app import render
from webapp.security import CheckedForm, CurrentAdmin, CurrentUser, flash

router = APIRouter()
HISTORY_PAGE = 100
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jsonl": "application/x-ndjson; charset=utf-8",
}


@router.get("/admin/users")
def users_page(request: Request, user: CurrentAdmin) -> Response:
    return render(
        request,
        "users.html",
        users=list_users(request.app.state.sessions),
        roles=ROLES,
        now_naive=utcnow(),
        error=None,
    )


@router.post("/admin/users")
def add_user(request: Request, form: CheckedForm, user: CurrentAdmin) -> Response:
    sessions = request.app.state.sessions
    try:
        created = create_user(
            sessions, str(form.get("name", "")), str(form.get("role", "")), str(form.get("password", ""))
        )
    except UserError as exc:
        messages = {
            "the name": "Navnet skal være 1–80 tegn.",
            "role": "Vælg en rolle.",
            "the password": "Adgangskoden skal være mindst 8 tegn.",
            "a user": "Der findes allerede en bruger med det navn.",
        }
        error = next(
            (m for k, m in messages.items() if str(exc).startswith(k)), "Brugeren kunne ikke oprettes."
        )
        return render(
            request,
            "users.html",
            status_code=422,
            users=list_users(sessions),
            roles=ROLES,
            now_naive=utcnow(),
            error=error,
        )
    flash(request, f"Brugeren {created.name} er oprettet.")
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{user_id}/unlock")
def unlock(request: Request, user_id: int, form: CheckedForm, user: CurrentAdmin) -> Response:
    try:
        unlock_user(request.app.state.sessions, user_id)
    except Exception as exc:
        raise HTTPException(status_code=404, detail="Brugeren findes ikke.") from exc
    flash(request, "Brugeren er låst op.")
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/history")
def history(request: Request, user: CurrentUser, reviewer: str = "", before: int = 0) -> Response:
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
def export_download(request: Request, user: CurrentUser, format: str = "csv", status: str = "") -> Response:
    if format not in FORMATS:
        raise HTTPException(status_code=400, detail="Ukendt format.")
    try:
        statuses = parse_statuses(status)
    except ValueError as exc:
        raise HTTPException(status_code=400, detail="Ukendt status.") from exc
    with request.app.state.sessions() as session:
        data = export_bytes(session, format, statuses)
    stamp = utcnow().strftime("%Y%m%d-%H%M")
    return Response(
        data,
        media_type=MEDIA_TYPES[format],
        headers={"content-disposition": f'attachment; filename="klimamaal-review-{stamp}.{format}"'},
    )
