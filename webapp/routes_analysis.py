"""Pages for every logged-in user, analysts included: the comparison, its downloads, search, peer lists.

The comparison page shows the same report body as ``klimamaal compare``'s report.html (one template,
``analysis/templates/_report_body.html``), with cells linking to the stored page of their source.
Charts are inline SVG with presentation attributes only, so the Content-Security-Policy stays strict.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from analysis.peers import peer_groups, save_peer_group, saved_peer_codes
from analysis.records import Statement
from analysis.report import Report, build_report, resolve_municipalities
from analysis.sheets import report_sheets
from analysis.writers import report_context, report_html
from db.search import search as run_search
from db.sheets import DIALECTS, sheet_csv, sheets_xlsx
from extractors.target import SECTORS
from models import SOURCE_KINDS
from webapp.app import render
from webapp.security import CheckedForm, CurrentUser, flash

router = APIRouter()
#: Rows of each view shown on the page (the downloads hold all).
PAGE_ROW_LIMIT = 200


def page_href(statement: Statement) -> str:
    """A statement's passage in the app: the stored page of its document."""
    if statement.page:
        return f"/documents/{statement.document.id}/pages/{statement.page}"
    return f"/targets/{statement.target_id}"


def _filters(request: Request) -> dict[str, Any]:
    params = request.query_params
    return {
        "municipalities": [
            m.strip() for value in params.getlist("municipality") for m in value.split(",") if m.strip()
        ][:98],
        "sectors": [s for s in params.getlist("sector") if s in SECTORS],
        "reviewed_only": params.get("reviewed_only") == "1",
        "peer_of": params.get("peers_of", "").strip() or None,
        "peers": params.get("peers", "region").strip() or "region",
        # passages shared between plans are searched for on request: over a whole corpus it takes seconds
        "shared_language": params.get("shared", "0") == "1",
    }


def _report(request: Request, filters: dict[str, Any]) -> Report:
    with request.app.state.sessions() as session:
        saved: list[int] = []
        if filters["peer_of"] and filters["peers"] not in ("region", "population"):
            found = saved_peer_codes(session, filters["peers"])
            if found is None:
                raise HTTPException(
                    status_code=404, detail=f"Der er ingen gemt liste ved navn »{filters['peers']}«."
                )
            saved = found
        try:
            return build_report(session, saved_peers=saved, **filters)
        except ValueError as exc:
            raise HTTPException(status_code=404, detail=f"Kan ikke sammenligne: {exc}") from exc


@router.get("/compare")
def compare_page(request: Request, user: CurrentUser) -> Response:
    filters = _filters(request)
    report = _report(request, filters)
    sheets = report_sheets(report)
    with request.app.state.sessions() as session:
        groups = [(g.name, len(g.codes)) for g in peer_groups(session)]
    context = report_context(report, sheets) | {"row_limit": PAGE_ROW_LIMIT}
    return render(
        request,
        "compare.html",
        **context,
        source_href=page_href,
        filters=filters,
        all_sectors=SECTORS,
        peer_lists=groups,
        query=request.url.query,
        dialects=DIALECTS,
    )


@router.get("/compare/download")
def compare_download(
    request: Request, user: CurrentUser, format: str = "xlsx", dialect: str = "excel-da"
) -> Response:
    if format not in ("xlsx", "html", "csv") or dialect not in DIALECTS:
        raise HTTPException(status_code=404, detail="Ukendt format.")
    report = _report(request, _filters(request))
    sheets = report_sheets(report)
    if format == "xlsx":
        data, kind, name = (
            sheets_xlsx(sheets),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "report.xlsx",
        )
    elif format == "html":
        data, kind, name = (
            report_html(report, sheets).encode("utf-8"),
            "text/html; charset=utf-8",
            "report.html",
        )
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for sheet in sheets:
                archive.writestr(sheet.filename, sheet_csv(sheet, dialect))
        data, kind, name = buffer.getvalue(), "application/zip", f"report-csv-{dialect}.zip"
    return Response(data, media_type=kind, headers={"content-disposition": f'attachment; filename="{name}"'})


@router.post("/compare/peers")
def save_peers(request: Request, form: CheckedForm, user: CurrentUser) -> Response:
    name = str(form.get("name", ""))[:80]
    members = [
        m.strip() for m in str(form.get("municipalities", "")).replace(";", ",").split(",") if m.strip()
    ]
    try:
        with request.app.state.sessions.begin() as session:
            group = save_peer_group(session, name, resolve_municipalities(session, members[:98]), user.name)
            message = f"Listen »{group.name}« med {len(group.codes)} kommuner er gemt."
    except ValueError as exc:
        message = f"Listen er ikke gemt: {exc}"
    flash(request, message)
    return RedirectResponse("/compare", status_code=303)


@router.get("/search")
def search_page(
    request: Request, user: CurrentUser, q: str = "", municipality: str = "", kind: str = "", limit: int = 20
) -> Response:
    q = q[:200]
    hits = []
    if q.strip():
        with request.app.state.sessions() as session:
            hits = run_search(
                session,
                q,
                municipality=municipality.strip() or None,
                kind=kind if kind in SOURCE_KINDS else None,
                limit=max(1, min(limit, 100)),
            )
    return render(
        request, "search.html", q=q, municipality=municipality, kind=kind, kinds=SOURCE_KINDS, hits=hits
    )
