"""The queue, the target page and the decisions taken on it."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from db import reviews
from db.reviews import ConflictError, ReviewError, current_fields
from db.users import UserInfo
from extractors.target import SECTORS
from models import TARGET_STATUSES, Document, Municipality, Page, Target, target_fields
from webapp.app import render
from webapp.forms import UNITS, form_values, parse_fields
from webapp.params import StoredId, parse_count
from webapp.passage import build_passage
from webapp.queue import (
    BANDS,
    PAGE_SIZE,
    SORTS,
    QueueFilter,
    document_progress,
    neighbour,
    queue_page,
    shared_status_counts,
)
from webapp.security import CheckedForm, CurrentReviewer, CurrentUser, flash

log = logging.getLogger("klimamaal.webapp")
router = APIRouter()
#: What the flash after each decision says was done.
DONE = {"accept": "accepteret", "reject": "afvist", "edit": "gemt med rettelser", "skip": "sprunget over"}


def _url(path: str, f: QueueFilter) -> str:
    query = f.query()
    return f"{path}?{query}" if query else path


def _filter(request: Request) -> QueueFilter:
    return QueueFilter.from_params(request.query_params)


def _form_filter(form: FormData) -> QueueFilter:
    return QueueFilter.from_params(dict(parse_qsl(str(form.get("q", "")))))


@router.get("/queue")
def queue(request: Request, user: CurrentUser) -> Response:
    f = _filter(request)
    sessions = request.app.state.sessions
    with sessions() as session:
        rows = queue_page(session, f)
        progress = document_progress(session, [r.document_id for r in rows])
        municipalities = session.execute(
            select(Municipality.code, Municipality.name)
            .where(Municipality.code.in_(select(Document.municipality_code)))
            .order_by(Municipality.name)
        ).all()
    counts = shared_status_counts(sessions, f)
    titles = {r.document_id: (r.document_title, r.municipality) for r in rows}
    total = counts.get(f.status, 0) if f.status else sum(counts.values())
    return render(
        request,
        "queue.html",
        f=f,
        rows=rows,
        counts=counts,
        total=total,
        progress=progress,
        titles=titles,
        municipalities=municipalities,
        sectors=SECTORS,
        sorts=SORTS,
        bands=BANDS,
        statuses=TARGET_STATUSES,
        has_next=len(rows) == PAGE_SIZE,
    )


def _page_of(session: Session, target: Target) -> Page | None:
    return session.scalar(
        select(Page).where(Page.document_id == target.document_id, Page.number == target.page_number)
    )


def _target_context(session: Session, target_id: int, f: QueueFilter) -> dict[str, Any]:
    target = session.get(Target, target_id)
    if target is None:
        raise HTTPException(status_code=404, detail=f"Målet #{target_id} findes ikke.")
    document = session.get_one(Document, target.document_id)
    municipality = (
        session.get(Municipality, document.municipality_code) if document.municipality_code else None
    )
    page = _page_of(session, target)
    fields = current_fields(target)
    passage = None
    if page is not None:
        # mark the current quote; the stored span if it is no longer on the page
        span = reviews.quote_span(page.text, target, fields["quote"])
        start, end = span or (target.page_start or 0, target.page_end or 0)
        passage = build_passage(page.text, start, end, fields)
    return {
        "target": target,
        "document": document,
        "municipality": municipality,
        "page": page,
        "fields": fields,
        "machine": target_fields(target),
        "passage": passage,
        "history": reviews.history(target),
        "undoable": reviews.undoable(target),
        "next_id": neighbour(session, f, target, forward=True),
        "prev_id": neighbour(session, f, target, forward=False),
        "f": f,
        "q": f.query(),
        "units": UNITS,
        "sectors": SECTORS,
        "add_url": f"/documents/{target.document_id}/pages/{target.page_number}/add?"
        + urlencode({"from": target.id}),
    }


@router.get("/targets/{target_id}")
def target_page(request: Request, target_id: StoredId, user: CurrentUser) -> Response:
    with request.app.state.sessions() as session:
        context = _target_context(session, target_id, _filter(request))
    return render(request, "target.html", values=form_values(context["fields"]), errors={}, **context)


def _after_decision(f: QueueFilter, next_id: int | None) -> Response:
    if next_id is not None:
        return RedirectResponse(_url(f"/targets/{next_id}", f), status_code=303)
    return RedirectResponse(_url("/queue", f), status_code=303)


def _revision(form: FormData) -> int:
    revision = parse_count(form.get("revision"))
    if revision is None:
        raise HTTPException(status_code=400, detail="Formularen mangler revision. Genindlæs siden.")
    return revision


def _conflict_page(
    request: Request,
    target_id: int,
    f: QueueFilter,
    error: ConflictError,
    values: dict[str, str],
    attempted: str,
) -> Response:
    log.info("conflict on target %s: %s", target_id, error)
    with request.app.state.sessions() as session:
        context = _target_context(session, target_id, f)
    return render(
        request,
        "target.html",
        status_code=409,
        values=values,
        errors={},
        conflict=error,
        attempted=attempted,
        **context,
    )


def _decide(request: Request, target_id: int, form: FormData, user: UserInfo, action: str) -> Response:
    """Run one decision in its own transaction; conflicts and bad input re-render the target page."""
    f = _form_filter(form)
    sessions = request.app.state.sessions
    values: dict[str, str] = {}
    try:
        with sessions.begin() as session:
            if action == "skip":
                reviews.skip(session, target_id, user.name)
            else:
                seen = _revision(form)
                if action == "accept":
                    reviews.accept(session, target_id, user.name, seen)
                elif action == "reject":
                    reviews.reject(session, target_id, user.name, seen, str(form.get("reason", ""))[:2000])
                elif action == "edit":
                    fields, errors = parse_fields(form)
                    values = {k: str(form.get(k, "")) for k in fields}
                    if not errors:
                        errors.update(_quote_errors(session, target_id, fields.get("quote")))
                    if errors:
                        raise _Invalid(errors, values)
                    reviews.edit(
                        session, target_id, user.name, seen, fields, str(form.get("note", ""))[:2000]
                    )
            target = session.get(Target, target_id)
            next_id = neighbour(session, f, target, forward=True) if target is not None else None
    except LookupError as exc:
        raise HTTPException(status_code=404, detail=f"Målet #{target_id} findes ikke.") from exc
    except ConflictError as error:
        return _conflict_page(request, target_id, f, error, values, action)
    except ReviewError:
        flash(request, "Skriv en begrundelse for afvisningen.")
        return RedirectResponse(_url(f"/targets/{target_id}", f), status_code=303)
    except _Invalid as invalid:
        with sessions() as session:
            context = _target_context(session, target_id, f)
        return render(
            request, "target.html", status_code=422, values=invalid.values, errors=invalid.errors, **context
        )
    hint = "" if action == "skip" else " Fortryd med u."
    flash(request, f"Mål #{target_id} {DONE[action]}.{hint}")
    log.info("%s %s target %s", user.name, action, target_id)
    return _after_decision(f, next_id)


class _Invalid(Exception):
    def __init__(self, errors: dict[str, str], values: dict[str, str]) -> None:
        self.errors = errors
        self.values = values


def _quote_errors(session: Session, target_id: int, quote: str | None) -> dict[str, str]:
    """An edited quote must still be text of the target's page (so it stays gold-exportable)."""
    target = session.get(Target, target_id)
    if target is None or quote is None:
        return {}
    page = _page_of(session, target)
    if page is not None and quote not in page.text:
        return {"quote": "Citatet skal stå ordret i sidens tekst."}
    return {}


@router.post("/targets/{target_id}/accept")
def accept(request: Request, target_id: StoredId, form: CheckedForm, user: CurrentReviewer) -> Response:
    return _decide(request, target_id, form, user, "accept")


@router.post("/targets/{target_id}/edit")
def edit(request: Request, target_id: StoredId, form: CheckedForm, user: CurrentReviewer) -> Response:
    return _decide(request, target_id, form, user, "edit")


@router.post("/targets/{target_id}/reject")
def reject(request: Request, target_id: StoredId, form: CheckedForm, user: CurrentReviewer) -> Response:
    return _decide(request, target_id, form, user, "reject")


@router.post("/targets/{target_id}/skip")
def skip(request: Request, target_id: StoredId, form: CheckedForm, user: CurrentReviewer) -> Response:
    return _decide(request, target_id, form, user, "skip")


@router.post("/targets/{target_id}/undo")
def undo(request: Request, target_id: StoredId, form: CheckedForm, user: CurrentReviewer) -> Response:
    """Undo on this target if its decision in force is the user's, else the user's last decision anywhere."""
    f = _form_filter(form)
    sessions = request.app.state.sessions
    try:
        with sessions.begin() as session:
            target = session.get(Target, target_id)
            if target is None:
                raise HTTPException(status_code=404, detail=f"Målet #{target_id} findes ikke.")
            top = reviews.undoable(target)
            if top is not None and top.reviewer == user.name:
                seen = _revision(form)
            else:
                target = reviews.last_undoable_by(session, user.name)
                if target is None:
                    raise ReviewError("nothing of this reviewer's to undo")
                seen = target.revision
            undone_id = target.id
            reviews.undo(session, undone_id, user.name, seen)
    except ConflictError as error:
        return _conflict_page(request, target_id, f, error, {}, "undo")
    except ReviewError:
        flash(request, "Der er ingen beslutning at fortryde.")
        return RedirectResponse(_url(f"/targets/{target_id}", f), status_code=303)
    flash(request, f"Beslutningen om mål #{undone_id} er fortrudt.")
    log.info("%s undo target %s", user.name, undone_id)
    return RedirectResponse(_url(f"/targets/{undone_id}", f), status_code=303)
