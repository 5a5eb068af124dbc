"""Damaged or missing markers on the staff side: the CM's list of residents' reports.

The community manager reads them at `/staff/signalements` (staff accounts of the archives cannot:
markers are the CM's business) and marks them resolved, once: a second cm is told who resolved
it first (`web.staff.decisions`). The reports themselves come from `web.participation.markers`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import col, select
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from campaigns.model import Campaign, Step
from media import library
from media.storage import cache_dir
from web import i18n
from web.forms import checked_form
from web.i18n import gettext as _
from web.images import served_variant
from web.participation.markers import reports_dir
from web.site import Site, site
from web.staff.auth import staff_language, staff_of, staff_page
from web.staff.decisions import already, already_decided, already_url
from web.store import db
from web.store.tables.markers import MarkerReport
from web.templating import render

LISTED = 300


@dataclass(frozen=True)
class Listed:
    """One report as the CM's list shows it."""

    report: MarkerReport
    campaign: Campaign | None
    step: Step | None


def _list(current: Site) -> list[Listed]:
    with db.reading(current.engine) as session:
        rows = session.exec(
            select(MarkerReport)
            .order_by(col(MarkerReport.resolved_at).is_not(None), col(MarkerReport.at).desc())
            .limit(LISTED)
        ).all()
        keep = set(session.exec(select(MarkerReport.photo_sha256)).all()) - {None}
    library.sweep(reports_dir(current), {k for k in keep if k})  # what a crash left behind
    listed = []
    for row in rows:
        campaign = current.registry.get(row.campaign)
        listed.append(Listed(row, campaign, campaign.step(row.step) if campaign else None))
    return listed


@staff_page(role="cm")
async def report_list(request: Request) -> Response:
    current = site(request)
    listed = await db.call(current.engine, _list, current)
    lost = already_decided(request)
    context = {
        "staff": staff_of(request),
        "already": await db.call(current.engine, _already, current, lost) if lost else None,
        "reports": [r for r in listed if r.report.resolved_at is None],
        "resolved": [r for r in listed if r.report.resolved_at is not None],
    }
    return render(request, "staff/reports.html", context, lang=staff_language(request))


def _report_id(request: Request) -> int:
    report: int = request.path_params["report"]  # `{report:id}`: an int a column holds
    return report


def _resolve(current: Site, report_id: int, user_id: int) -> str:
    """'done', 'already' (another cm resolved it first: nothing changed) or 'missing'.

    First-wins (`web.staff.decisions`): `UPDATE … WHERE resolved_at IS NULL` resolves it once.
    """
    with db.writing(current.engine) as session:
        resolved = session.execute(
            update(MarkerReport)
            .where(col(MarkerReport.id) == report_id, col(MarkerReport.resolved_at).is_(None))
            .values(resolved_at=current.now(), resolved_by=user_id)
            .execution_options(synchronize_session=False)
        )
        if resolved.rowcount == 1:  # type: ignore[attr-defined]
            return "done"
        return "already" if session.get(MarkerReport, report_id) is not None else "missing"


def _already(current: Site, report_id: int) -> str | None:
    """Who resolved the report before this cm, and when."""
    with db.reading(current.engine) as session:
        report = session.get(MarkerReport, report_id)
        if report is None or report.resolved_at is None:
            return None
        campaign = current.registry.get(report.campaign)
        tz = campaign.tz if campaign is not None else "Europe/Paris"
        moment = i18n.format_when(report.resolved_at, tz, i18n.current())
        what = _("signalement marqué comme résolu le %(date)s.") % {"date": moment}
        return already(session, report.resolved_by, what)


@staff_page(role="cm")
async def resolve(request: Request) -> Response:
    current = site(request)
    report_id = _report_id(request)
    await checked_form(request)
    user = staff_of(request).id
    outcome = await db.call(current.engine, _resolve, current, report_id, user)
    if outcome == "missing":
        raise HTTPException(404)
    if outcome == "already":
        return RedirectResponse(already_url("/staff/signalements", report_id), 303)
    return RedirectResponse("/staff/signalements?resolu=1", 303)


def _photo_of(current: Site, report_id: int) -> str | None:
    with db.reading(current.engine) as session:
        report = session.get(MarkerReport, report_id)
        return report.photo_sha256 if report is not None else None


@staff_page(role="cm")
async def report_photo(request: Request) -> Response:
    current = site(request)
    sha256 = await db.call(current.engine, _photo_of, current, _report_id(request))
    if sha256 is None:
        raise HTTPException(404)
    folder = reports_dir(current)
    return await served_variant(
        library.original_path(folder, sha256),
        box=None,
        width=480,
        fmt="webp",
        cache_dir=cache_dir(folder),
        media_type="image/webp",
        cache="private, max-age=86400",
    )
