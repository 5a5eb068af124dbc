""" "This marker is damaged or missing": the report on every checkpoint page, and the CM's list.

A resident standing before a scratched, tagged or vanished trail marker taps one button (a plain
POST form with its CSRF token, so it works without JavaScript; htmx swaps the answer in place),
optionally with a photo and a comment. The photo goes through the photo library's checks
(`media.library.ingest`): a file that is not a photo is refused with its French message and
nothing is stored. Report photos live in their own media folder (`signalements/`), so the photo
library's start-up sweep, which only knows library rows, never takes them for orphans.

Reports are counted per session and per address (`web.ratelimit`, shared by every worker), and
keep nothing about who sent them. The community manager reads them at `/staff/signalements`
(staff accounts of the archives cannot: markers are the CM's business) and marks them resolved,
once: a second cm is told who resolved it first (`web.staff.decisions`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import update
from sqlmodel import col, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from campaigns.model import Campaign, Step, StepType
from media import library
from web import csrf, db, errors, i18n, players, ratelimit
from web.forms import checked_form, read_form, text_field
from web.htmx import is_htmx, vary
from web.i18n import gettext as _
from web.images import served_variant
from web.play import campaign_view, language
from web.report_tables import PHOTO_FOLDER, MarkerReport
from web.site import Site, site
from web.staff.auth import staff_language, staff_of, staff_page
from web.staff.decisions import already, already_decided, already_url
from web.staff.uploads import FORGED, read_upload
from web.steps import show
from web.templating import render

MAX_COMMENT = 1000
MAX_PHOTO_BYTES = 15 * 1024 * 1024
PER_SESSION = 5  # reports an hour from one phone
PER_ADDRESS = 30  # from one address (a whole club on the same phone network)
LISTED = 300
STATE_KEY = "balises.marker_report"
TOO_LONG = f"commentaire trop long : {MAX_COMMENT} caractères au plus"


def reports_dir(current: Site) -> Path:
    """The media folder of report photos (originals, variants and temp uploads)."""
    return current.settings.media_dir / PHOTO_FOLDER


def _checkpoint(current: Site, request: Request) -> tuple[Campaign, Step]:
    campaign, step = current.step_in(request)
    if step.type is not StepType.checkpoint:
        raise HTTPException(404)
    return campaign, step


def _limits(request: Request, current: Site) -> list[ratelimit.Limit]:
    ip = ratelimit.client_ip(request, current.settings.trusted_proxies)
    sid = request.session.get("sid")
    limits = [ratelimit.Limit(f"report-ip:{ip}", 3600, PER_ADDRESS)]
    if isinstance(sid, str):
        limits.append(ratelimit.Limit(f"report:{sid}", 3600, PER_SESSION))
    return limits


def _wait(current: Site, limits: list[ratelimit.Limit]) -> int:
    with db.reading(current.engine) as session:
        return ratelimit.retry_after(session, limits, current.now().timestamp())


def _save(current: Site, report: MarkerReport, limits: list[ratelimit.Limit]) -> int:
    """Store the report within the limits; seconds to wait (then nothing is stored)."""
    with db.writing(current.engine) as session:
        wait = ratelimit.take(session, limits, current.now().timestamp())
        if not wait:
            session.add(report)
    return wait


@dataclass
class Sent:
    """What the form sent, read whichever way it was encoded."""

    comment: str
    photo: Path | None = None


async def _read(request: Request, current: Site) -> Sent:
    """The form's comment and photo; `library.UploadRejected` (FORGED for a bad CSRF token)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "multipart/form-data":
        form = await read_form(request)
        if not csrf.valid(request, form, current.settings):
            raise library.UploadRejected(FORGED, 403)
        return Sent(text_field(form, "comment"))

    def token_ok(fields: dict[str, str]) -> bool:
        return csrf.valid(request, FormData(fields), current.settings)

    upload = await read_upload(
        request,
        max_bytes=min(MAX_PHOTO_BYTES, current.settings.max_upload_bytes),
        media_dir=reports_dir(current),
        media_root=current.settings.media_dir,
        check_csrf=token_ok,
    )
    if not token_ok(upload.fields):
        upload.discard()
        raise library.UploadRejected(FORGED, 403)
    files = [f for f in upload.files if f.size > 0]
    for extra in [f for f in upload.files if f not in files[:1]]:
        extra.path.unlink(missing_ok=True)
    return Sent(upload.fields.get("comment", ""), files[0].path if files else None)


def _answer(
    request: Request,
    current: Site,
    campaign: Campaign,
    step: Step,
    state: Mapping[str, object],
    status: int = 200,
) -> Response:
    """The report section (htmx) or the whole checkpoint page showing `state`."""
    request.scope[STATE_KEY] = state
    lang = language(request, campaign)
    if is_htmx(request):
        context = {"campaign": campaign, "sv": {"step": step}}
        return render(request, "_report_marker.html", context, lang=lang, status=status)
    with db.reading(current.engine) as session:
        view = campaign_view(current, session, request, campaign, lang)
    return show(request, view, step, status=status)


async def report_marker(request: Request) -> Response:
    """`POST /c/{campaign}/{step}/signaler`."""
    current = site(request)
    campaign, step = _checkpoint(current, request)
    limits = _limits(request, current)
    wait = await db.call(current.engine, _wait, current, limits)
    if wait:
        return errors.render_error(request, 429, campaign=campaign, retry_after=wait)
    try:
        sent = await _read(request, current)
    except library.UploadRejected as refused:
        if refused.message == FORGED:
            raise HTTPException(403) from None
        state = {"error": refused.message}
        return _answer(request, current, campaign, step, state, refused.status)
    comment = sent.comment.strip()
    if len(comment) > MAX_COMMENT:
        if sent.photo is not None:
            sent.photo.unlink(missing_ok=True)
        return _answer(
            request, current, campaign, step, {"error": TOO_LONG, "comment": comment}, 400
        )
    sha256 = None
    if sent.photo is not None:
        try:
            stored = await run_in_threadpool(
                library.ingest, sent.photo, media_dir=reports_dir(current)
            )
        except library.UploadRejected as refused:
            state = {"error": refused.message, "comment": comment}
            return _answer(request, current, campaign, step, state, refused.status)
        sha256 = stored.sha256
    report = MarkerReport(
        campaign=campaign.slug,
        step=step.id,
        comment=comment,
        photo_sha256=sha256,
        at=current.now(),
    )
    players.ensure_sid(request)
    wait = await db.call(current.engine, _save, current, report, limits)
    if wait:
        return errors.render_error(request, 429, campaign=campaign, retry_after=wait)
    if is_htmx(request):
        return _answer(request, current, campaign, step, {"sent": True})
    url = f"/c/{campaign.slug}/{step.id}?signalement=merci#signaler"
    return vary(RedirectResponse(url, status_code=303))


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
    from media.storage import cache_dir

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


def report_routes() -> list[Route]:
    return [
        Route(
            "/c/{campaign}/{step}/signaler", report_marker, methods=["POST"], name="report-marker"
        ),
        Route("/staff/signalements", report_list, name="staff-reports"),
        Route(
            "/staff/signalements/{report:id}/resolu",
            resolve,
            methods=["POST"],
            name="staff-resolve",
        ),
        Route(
            "/staff/signalements/{report:id}/photo.webp", report_photo, name="staff-report-photo"
        ),
    ]
