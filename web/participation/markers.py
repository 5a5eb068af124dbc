""" "This marker is damaged or missing": the report on every checkpoint page.

A resident standing before a scratched, tagged or vanished trail marker taps one button (a plain
POST form with its CSRF token, so it works without JavaScript; htmx swaps the answer in place),
optionally with a photo and a comment. The photo goes through the photo library's checks
(`media.library.ingest`): a file that is not a photo is refused with its French message and
nothing is stored. Report photos live in their own media folder (`signalements/`), so the photo
library's start-up sweep, which only knows library rows, never takes them for orphans.

Reports are counted per session and per address (`web.store.counters`, shared by every worker),
and keep nothing about who sent them. The community manager reads them on the staff side
(`web.staff.markers`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from campaigns.model import Campaign, Step
from media import library
from web import csrf, errors, offload, players
from web.forms import read_form, text_field
from web.htmx import is_htmx, vary
from web.i18n import language
from web.play.steps import show
from web.play.views import campaign_view
from web.site import Site, site
from web.store import counters, db
from web.store.tables.markers import PHOTO_FOLDER, MarkerReport
from web.templating import render
from web.uploads import FORGED, read_upload

MAX_COMMENT = 1000
MAX_PHOTO_BYTES = 15 * 1024 * 1024
PER_SESSION = 5  # reports an hour from one phone
PER_ADDRESS = 30  # from one address (a whole club on the same phone network)
STATE_KEY = "balises.marker_report"
TOO_LONG = f"commentaire trop long : {MAX_COMMENT} caractères au plus"


def reports_dir(current: Site) -> Path:
    """The media folder of report photos (originals, variants and temp uploads)."""
    return current.settings.media_dir / PHOTO_FOLDER


def _checkpoint(current: Site, request: Request) -> tuple[Campaign, Step]:
    campaign, step = current.step_in(request)
    if not step.kind.scanned:
        raise HTTPException(404)
    return campaign, step


def _limits(request: Request, current: Site) -> list[counters.Limit]:
    ip = counters.client_ip(request, current.settings.trusted_proxies)
    sid = request.session.get("sid")
    limits = [counters.Limit(f"report-ip:{ip}", 3600, PER_ADDRESS)]
    if isinstance(sid, str):
        limits.append(counters.Limit(f"report:{sid}", 3600, PER_SESSION))
    return limits


def _wait(current: Site, limits: list[counters.Limit]) -> int:
    with db.reading(current.engine) as session:
        return counters.retry_after(session, limits, current.now().timestamp())


def _save(current: Site, report: MarkerReport, limits: list[counters.Limit]) -> int:
    """Store the report within the limits; seconds to wait (then nothing is stored)."""
    with db.writing(current.engine) as session:
        wait = counters.take(session, limits, current.now().timestamp())
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
        context = {"campaign": campaign, "sv": {"step": step}, "announced": True}
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
            stored = await offload.run(library.ingest, sent.photo, media_dir=reports_dir(current))
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
