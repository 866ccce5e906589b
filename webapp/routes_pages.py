"""A whole page of a document, and adding a target the machine missed from a selection in it."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from db import reviews
from db.reviews import ReviewError
from extractors.target import SECTORS
from models import Document, Municipality, Page, Target
from webapp.app import render
from webapp.forms import UNITS, parse_fields
from webapp.params import StoredCount, StoredId, parse_count
from webapp.passage import Passage, build_passage, page_segments
from webapp.security import CheckedForm, CurrentReviewer, CurrentUser, flash

log = logging.getLogger("klimamaal.webapp")
router = APIRouter()


def _page(session: Session, document_id: int, number: int) -> tuple[Document, Page, Municipality | None]:
    document = session.get(Document, document_id)
    page = session.scalar(select(Page).where(Page.document_id == document_id, Page.number == number))
    if document is None or page is None:
        raise HTTPException(status_code=404, detail="Siden findes ikke.")
    municipality = (
        session.get(Municipality, document.municipality_code) if document.municipality_code else None
    )
    return document, page, municipality


@router.get("/documents/{document_id}/pages/{number}")
def whole_page(request: Request, document_id: StoredId, number: StoredCount, user: CurrentUser) -> Response:
    with request.app.state.sessions() as session:
        document, page, municipality = _page(session, document_id, number)
        targets = session.execute(
            select(Target.id, Target.quote, Target.status, Target.page_start, Target.page_end)
            .where(Target.document_id == document_id, Target.page_number == number)
            .order_by(Target.page_start)
        ).all()
    spans = [
        (t.page_start, t.page_end) for t in targets if t.page_start is not None and t.page_end is not None
    ]
    passage = Passage(0, page_segments(page.text, spans), [], [], False, False, [])
    return render(
        request,
        "page.html",
        document=document,
        page=page,
        municipality=municipality,
        passage=passage,
        targets=targets,
        add_url=f"/documents/{document_id}/pages/{number}/add?",
    )


def _span(params: Any, page: Page) -> tuple[int, int] | None:
    start, end = parse_count(params.get("start")), parse_count(params.get("end"))
    if start is None or end is None or not start < end <= len(page.text):
        return None
    return start, end


def _add_context(
    document: Document, page: Page, municipality: Municipality | None, start: int, end: int
) -> dict[str, Any]:
    quote = page.text[start:end]
    return {
        "document": document,
        "page": page,
        "municipality": municipality,
        "passage": build_passage(page.text, start, end, {}),
        "quote": quote,
        "start": start,
        "end": end,
        "units": UNITS,
        "sectors": SECTORS,
    }


@router.get("/documents/{document_id}/pages/{number}/add")
def add_form(request: Request, document_id: StoredId, number: StoredCount, user: CurrentReviewer) -> Response:
    with request.app.state.sessions() as session:
        document, page, municipality = _page(session, document_id, number)
    span = _span(request.query_params, page)
    if span is None:
        raise HTTPException(status_code=400, detail="Markeringen ligger ikke inden for siden.")
    context = _add_context(document, page, municipality, *span)
    values = {"quote": context["quote"], "target_year": "", "value": ""}
    return render(
        request,
        "add.html",
        values=values,
        errors={},
        came_from=parse_count(request.query_params.get("from"), minimum=1) or "",
        **context,
    )


@router.post("/documents/{document_id}/pages/{number}/add")
def add(
    request: Request,
    document_id: StoredId,
    number: StoredCount,
    form: CheckedForm,
    user: CurrentReviewer,
) -> Response:
    sessions = request.app.state.sessions
    with sessions() as session:
        document, page, municipality = _page(session, document_id, number)
    span = _span(form, page)
    quote = str(form.get("quote", ""))
    if span is None or page.text[span[0] : span[1]] != quote:
        raise HTTPException(status_code=400, detail="Citatet svarer ikke til sidens tekst ved markeringen.")
    fields, errors = parse_fields({k: v for k, v in form.items() if k != "quote"})
    if errors:
        values = {k: str(form.get(k, "")) for k in form}
        context = _add_context(document, page, municipality, *span)
        return render(
            request,
            "add.html",
            status_code=422,
            values=values,
            errors=errors,
            came_from=parse_count(form.get("from"), minimum=1) or "",
            **context,
        )
    try:
        with sessions.begin() as session:
            target = reviews.add_target(
                session,
                document_id=document_id,
                page_number=number,
                page_start=span[0],
                page_end=span[1],
                quote=quote,
                fields=fields,
                reviewer=user.name,
                note=str(form.get("note", ""))[:2000],
            )
            new_id = target.id
    except ReviewError as exc:
        raise HTTPException(status_code=400, detail="Målet kunne ikke tilføjes.") from exc
    log.info("%s added target %s", user.name, new_id)
    flash(request, f"Nyt mål #{new_id} tilføjet.")
    return RedirectResponse(f"/targets/{new_id}", status_code=303)
