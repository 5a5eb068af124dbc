"""What residents send from their phones on `contribution` and `identify` steps.

`POST /c/{campaign}/{step}` on those steps lands here (handed over by `web.steps.answer`). A
contribution may carry a photo, so its form is multipart and read as it streams
(`web.staff.uploads.read_upload`, temp files on the media disk, the CSRF token checked before
the first file byte is written); the photo then goes through `media.library.ingest`, which
refuses anything that is not a photo with a French message and leaves no file behind. The
resident chooses how to be credited and must agree to the publication licence; the
contribution waits for the community manager (`web.moderation`). Quotas per player and per
address, kept in the database like every other limit, stop a script sending 100 photos an hour.

Identify proposals share the form reading, the quotas and the responses (`web.identifications`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, SQLModel, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from campaigns.model import Campaign, Step
from campaigns.unlocks import campaign_phase
from media.library import UploadRejected, ingest
from media.storage import remove
from web import csrf, db, players, progress, ratelimit
from web.forms import read_form, text_field
from web.htmx import vary
from web.participation_tables import (
    ACCEPTED,
    CREDIT_KINDS,
    LICENCE,
    PENDING,
    Proposal,
    Submission,
    SubmissionReport,
)
from web.play import campaign_view, language
from web.site import Site
from web.staff.uploads import FORGED, read_upload

MAX_TEXT = 4000
MAX_CAPTION = 200
MAX_NAME = 80
PER_PLAYER_PER_DAY = 5  # contributions per player, per campaign and day
PER_ADDRESS_PER_DAY = 20  # contributions from one address per day, whatever the cookie
DAY = 24 * 3600
FORM_STATE = "balises_participation_form"
PHOTOS = "contributions"  # folder under the media dir


def photo_dir(current: Site) -> Path:
    """Where contributors' photos live: apart from the staff library and its sweep."""
    return current.settings.media_dir / PHOTOS


@dataclass
class FormState:
    """A refused form shown again: the error (a key the templates translate) and the values."""

    error: str
    detail: str = ""
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class Received:
    fields: dict[str, str]
    photo: Path | None = None


def clean(text: str, limit: int) -> str:
    """A one-line text as typed, without control characters; '' when over `limit`."""
    value = "".join(c for c in text if c.isprintable()).strip()
    return value if len(value) <= limit else ""


def read_credit(fields: dict[str, str]) -> tuple[str, str, str | None]:
    """(kind, name, error key) of the credit the resident chose; anonymous by default."""
    kind = fields.get("credit", "anonymous")
    if kind not in CREDIT_KINDS:
        kind = "anonymous"
    if kind == "anonymous":
        return kind, "", None
    raw = "".join(c for c in fields.get("credit_name", "") if c.isprintable()).strip()
    if not raw:
        return kind, "", "credit-name"
    if len(raw) > MAX_NAME:
        return kind, "", "credit-name-long"
    return kind, raw, None


def quota(kind: str, who: str, campaign: str, ip: str, per_player: int) -> list[ratelimit.Limit]:
    """Daily limits on what one player (or one address) may send to a campaign."""
    return [
        ratelimit.Limit(f"{kind}:{who}:{campaign}", DAY, per_player),
        ratelimit.Limit(f"{kind}-ip:{ip}", DAY, per_player * 4),
    ]


async def receive(request: Request, current: Site, *, photos: bool) -> Received:
    """The POSTed fields (and the photo, when `photos`); 403 when the CSRF checks fail."""
    settings = current.settings
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "multipart/form-data":
        form = await read_form(request)
        if not csrf.valid(request, form, settings):
            raise HTTPException(403)
        return Received({key: text_field(form, key) for key in form})

    def check(fields: dict[str, str]) -> bool:
        return csrf.valid(request, FormData(list(fields.items())), settings)

    try:
        upload = await read_upload(
            request,
            max_bytes=settings.max_upload_bytes + 64 * 1024,
            media_dir=photo_dir(current),
            check_csrf=check,
        )
    except UploadRejected as rejected:
        if rejected.message == FORGED:
            raise HTTPException(403) from None
        raise
    if not check(upload.fields):
        upload.discard()
        raise HTTPException(403)
    files = upload.files if photos else []
    for extra in upload.files[1:] if photos else upload.files:
        extra.path.unlink(missing_ok=True)
    return Received(upload.fields, files[0].path if files else None)


def step_state(current: Site, request: Request, campaign: Campaign, step: Step) -> str:
    """The step's state for this player: open and done steps take contributions."""
    if campaign_phase(campaign, current.now()) == "closed":
        raise HTTPException(410)
    with db.reading(current.engine) as session:
        view = campaign_view(current, session, request, campaign, language(request, campaign))
    state = view.by_id[step.id].state
    if state == "closed":
        raise HTTPException(410)
    return state


def page(
    current: Site,
    request: Request,
    campaign: Campaign,
    step: Step,
    *,
    status: int,
    state: FormState | None = None,
    kind: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The step page again, with the refused form (values kept) or a feedback message."""
    from web.steps import show

    request.scope[FORM_STATE] = state
    with db.reading(current.engine) as session:
        view = campaign_view(current, session, request, campaign, language(request, campaign))
    cookies_lost = not players.arrived_with_session(request)
    return show(
        request, view, step, kind=kind, status=status, cookies_lost=cookies_lost, headers=headers
    )


def done(current: Site, request: Request, campaign: Campaign, step: Step) -> Response:
    """After a stored contribution: back to the step page, which thanks the resident."""
    if not players.arrived_with_session(request):
        return page(current, request, campaign, step, status=200, kind="contributed")
    request.session["flash"] = "contributed"
    url = request.url_for("step", campaign=campaign.slug, step=step.id).path
    return vary(RedirectResponse(url + "#play", status_code=303))


def store(
    current: Site,
    request: Request,
    campaign: Campaign,
    step: Step,
    limits: Callable[[str], list[ratelimit.Limit]],
    row: Callable[[str | None], SQLModel],
) -> int:
    """Store one contribution or proposal for this request's player; seconds to wait if over
    quota (then nothing is stored). The step counts as done for the player."""
    now = current.now().timestamp()
    ip = ratelimit.client_ip(request, current.settings.trusted_proxies)
    with db.writing(current.engine) as session:
        player = players.ensure_player(session, request)
        pid = player.id if player else None
        wanted = limits(pid or f"ip:{ip}")
        wait = ratelimit.retry_after(session, wanted, now)
        if wait:
            return wait
        session.add(row(pid))
        ratelimit.hit(session, wanted, now)
        if pid is not None:
            progress.record_solve(session, pid, campaign.slug, step.id, 0)
    return 0


def over_quota(current: Site, request: Request, limits: list[ratelimit.Limit]) -> int:
    with db.reading(current.engine) as session:
        return ratelimit.retry_after(session, limits, current.now().timestamp())


def who(request: Request, current: Site) -> str:
    pid = players.player_id(request)
    return pid or f"ip:{ratelimit.client_ip(request, current.settings.trusted_proxies)}"


def _check(step: Step, fields: dict[str, str], has_photo: bool) -> FormState | dict[str, object]:
    values = {k: fields.get(k, "") for k in ("text", "caption", "credit", "credit_name")}
    text = fields.get("text", "").strip() if "text" in step.accept else ""
    if len(text) > MAX_TEXT:
        return FormState("too-long", values=values)
    if not text and not has_photo:
        only = (
            "photo" if "text" not in step.accept else "text" if "photo" not in step.accept else ""
        )
        return FormState(f"empty-{only}" if only else "empty", values=values)
    caption = clean(fields.get("caption", ""), MAX_CAPTION) if has_photo else ""
    kind, name, error = read_credit(fields)
    if error:
        return FormState(error, values=values)
    if fields.get("licence", "").strip().lower() not in (LICENCE.lower(), "on"):
        return FormState("licence", values=values)
    return {"text": text, "caption": caption, "credit_kind": kind, "credit_name": name}


async def contribute(request: Request, current: Site, campaign: Campaign, step: Step) -> Response:
    """Receive a contribution (photo and/or text) from a resident's phone."""
    received = await receive(request, current, photos="photo" in step.accept)
    try:
        return await _contribute(request, current, campaign, step, received)
    finally:
        if received.photo is not None:
            received.photo.unlink(missing_ok=True)


async def _contribute(
    request: Request, current: Site, campaign: Campaign, step: Step, received: Received
) -> Response:
    engine = current.engine
    state = await db.call(engine, step_state, current, request, campaign, step)
    if state not in ("open", "done"):
        return await db.call(
            engine, page, current, request, campaign, step, status=403, kind="locked"
        )
    draft = _check(step, received.fields, received.photo is not None)
    if isinstance(draft, FormState):
        return await db.call(
            engine, page, current, request, campaign, step, status=422, state=draft
        )
    ip = ratelimit.client_ip(request, current.settings.trusted_proxies)

    def limits(player: str) -> list[ratelimit.Limit]:
        return quota("contribute", player, campaign.slug, ip, PER_PLAYER_PER_DAY)

    wait = await db.call(engine, over_quota, current, request, limits(who(request, current)))
    if wait:
        return await _too_many(request, current, campaign, step, wait)
    if received.photo is not None:
        try:
            stored = await run_in_threadpool(ingest, received.photo, media_dir=photo_dir(current))
        except UploadRejected as rejected:
            refused = FormState("photo", rejected.message, values=received.fields)
            return await db.call(
                engine,
                page,
                current,
                request,
                campaign,
                step,
                status=rejected.status,
                state=refused,
            )
        draft.update(photo_sha256=stored.sha256, photo_width=stored.width)
        draft["photo_height"] = stored.height

    def row(pid: str | None) -> SQLModel:
        return Submission(player_id=pid, campaign=campaign.slug, step=step.id, **draft)  # type: ignore[arg-type]

    wait = await db.call(engine, store, current, request, campaign, step, limits, row)
    if wait:
        sha256 = draft.get("photo_sha256")
        if isinstance(sha256, str):
            from web.gallery import drop_unused_photo

            await db.call(engine, drop_unused_photo, current, sha256)
        return await _too_many(request, current, campaign, step, wait)
    return await db.call(engine, done, current, request, campaign, step)


async def _too_many(
    request: Request, current: Site, campaign: Campaign, step: Step, wait: int
) -> Response:
    state = FormState("quota")
    headers = {"Retry-After": str(wait)}
    return await db.call(
        current.engine,
        page,
        current,
        request,
        campaign,
        step,
        status=429,
        state=state,
        headers=headers,
    )


def form_state(request: Request) -> FormState | None:
    value = request.scope.get(FORM_STATE)
    return value if isinstance(value, FormState) else None


def unused(session: Session, sha256: str) -> bool:
    """Whether no contribution points to this photo any more (the same photo sent twice is
    one file)."""
    return (
        session.exec(select(Submission.id).where(Submission.photo_sha256 == sha256)).first() is None
    )


def player_contributions(session: Session, player_id: str) -> list[dict[str, Any]]:
    """Everything a player sent, for their own page and their data export (`/moi`).

    One dict per contribution or identification proposal: `kind` ('contribution' or
    'identification'), `id`, `campaign` and `step` (ids: titles come from the registry),
    `status` ('pending', 'accepted', 'rejected' or, for a proposal, 'declined'), `message` (the
    cm's word, '' if none), `created_at` (aware UTC datetime), `text`, `caption`, `photo`
    (whether a photo was sent), `place`, `date`, `credit_kind`, `credit_name`, `hidden`.
    """
    from web.identifications import groups

    found: list[dict[str, Any]] = []
    for row in session.exec(
        select(Submission).where(Submission.player_id == player_id).order_by(Submission.id)  # type: ignore[arg-type]
    ):
        found.append(
            {
                "kind": "contribution",
                "id": row.id,
                "campaign": row.campaign,
                "step": row.step,
                "status": row.status,
                "message": row.message,
                "created_at": row.created_at,
                "text": row.text,
                "caption": row.caption,
                "photo": bool(row.photo_sha256),
                "place": "",
                "date": "",
                "credit_kind": row.credit_kind,
                "credit_name": row.credit_name,
                "hidden": row.hidden,
            }
        )
    proposals = list(
        session.exec(
            select(Proposal).where(Proposal.player_id == player_id).order_by(Proposal.id)  # type: ignore[arg-type]
        )
    )
    status: dict[tuple[str, str, str], str] = {}
    for campaign in {p.campaign for p in proposals}:
        status.update({(campaign, g.step, g.key): g.status for g in groups(session, campaign)})
    for p in proposals:
        found.append(
            {
                "kind": "identification",
                "id": p.id,
                "campaign": p.campaign,
                "step": p.step,
                "status": status.get((p.campaign, p.step, p.key), PENDING),
                "message": "",
                "created_at": p.created_at,
                "text": p.text,
                "caption": "",
                "photo": False,
                "place": p.place,
                "date": p.date_text,
                "credit_kind": p.credit_kind,
                "credit_name": p.credit_name,
                "hidden": False,
            }
        )
    return found


def forget_player(session: Session, player_id: str, media_dir: Path | None = None) -> None:
    """Delete a player's unpublished contributions and proposals, anonymise the published ones.

    Pending and rejected contributions go (with their photo file once no row points to it);
    accepted ones stay in the gallery, credited "anonymous" and tied to no one. Proposals of an
    accepted identification stay the same way; the others go. The player's reports go too. Run
    it in the write transaction that deletes the player (before the `player` row: the foreign
    keys point to it). `media_dir` is the settings' media folder; without it photo files are
    left to the start-up sweep (`web.gallery.sweep_photos`).
    """
    from web.identifications import groups

    anonymous = {"player_id": None, "credit_kind": "anonymous", "credit_name": ""}
    photos: set[str] = set()
    for row in session.exec(select(Submission).where(Submission.player_id == player_id)):
        if row.status == ACCEPTED:
            row.sqlmodel_update(anonymous)
            session.add(row)
            continue
        if row.photo_sha256:
            photos.add(row.photo_sha256)
        session.execute(delete(SubmissionReport).where(SubmissionReport.submission_id == row.id))  # type: ignore[arg-type]
        session.delete(row)
    proposals = list(session.exec(select(Proposal).where(Proposal.player_id == player_id)))
    accepted: set[tuple[str, str, str]] = set()
    for campaign in {p.campaign for p in proposals}:
        accepted |= {
            (campaign, g.step, g.key) for g in groups(session, campaign) if g.status == ACCEPTED
        }
    for p in proposals:
        if (p.campaign, p.step, p.key) in accepted:
            p.sqlmodel_update(anonymous)
            session.add(p)
        else:
            session.delete(p)
    session.execute(delete(SubmissionReport).where(SubmissionReport.reporter == player_id))  # type: ignore[arg-type]
    session.flush()
    if media_dir is not None:
        folder = media_dir / PHOTOS
        for sha256 in photos:
            if unused(session, sha256):
                remove(folder, sha256)
