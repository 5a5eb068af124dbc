"""What the public sees of residents' participation: the gallery, its photos, the report button,
the residents on the credits page, and the identifications under a mystery photo.

Only accepted contributions that reports have not hidden are ever shown (or served: a photo's
URL answers 404 while its contribution is pending, rejected or hidden). Everything a resident
typed is rendered by autoescaping templates, in text and in attributes alike. After
`REPORTS_TO_HIDE` reports from different residents (Decidim's rule) on as many different
addresses, an item is hidden until the community manager looks at it again in the moderation
queue: one address weighs once, so a phone clearing its cookies between reports, or one house,
cannot hide a resident's photo alone.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import distinct, func
from sqlmodel import Session, col, select
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from campaigns.model import Campaign, Step, Text
from campaigns.steptypes import StepType
from media.library import sweep
from media.storage import cache_dir, original_path, remove
from web import players
from web.forms import checked_form
from web.htmx import vary
from web.i18n import language
from web.images import served_variant
from web.participation.form import form_state, photo_dir
from web.participation.groups import Group, accepted_groups, own_proposals
from web.participation.sent import unused
from web.site import Site, site
from web.store import counters, db
from web.store.tables.participation import (
    ACCEPTED,
    PROPOSAL_DATE,
    PROPOSAL_PLACE,
    PROPOSAL_TEXT,
    Submission,
    SubmissionReport,
    shown_credit,
)
from web.templating import render

REPORTS_TO_HIDE = 3
WIDTHS = (480, 960, 1600)
FORMATS = {"webp": ("webp", "image/webp"), "jpg": ("jpeg", "image/jpeg")}


@dataclass(frozen=True)
class Item:
    """One published contribution as the gallery shows it."""

    id: int
    step_title: Text
    text: str
    caption: str
    credit: str  # '' for an anonymous contributor
    webp: str = ""
    jpeg: str = ""
    src: str = ""
    width: int | None = None
    height: int | None = None


@dataclass
class StepParticipation:
    """What `_contribute.html` and `_identify.html` show besides the form."""

    form: Any = None  # contributions.FormState of a refused form
    max_mb: int = 20  # the largest photo a contribution takes, said on its form
    mine: list[dict[str, Any]] = field(default_factory=list)
    identified: list[Group] = field(default_factory=list)
    # The lengths an identify form takes, said on the form (`_identify.html`).
    limits: dict[str, int] = field(
        default_factory=lambda: {
            "text": PROPOSAL_TEXT,
            "place": PROPOSAL_PLACE,
            "date": PROPOSAL_DATE,
        }
    )


@dataclass(frozen=True)
class ResidentCredits:
    names: list[str]
    anonymous: int


def published(session: Session, campaign: str) -> list[Submission]:
    return list(
        session.exec(
            select(Submission)
            .where(
                Submission.campaign == campaign,
                Submission.status == ACCEPTED,
                Submission.hidden == False,  # noqa: E712
            )
            .order_by(col(Submission.created_at).desc(), col(Submission.id).desc())
        )
    )


def _item(campaign: Campaign, row: Submission) -> Item:
    step = campaign.step(row.step)
    title: Text = step.title if step else row.step
    values: dict[str, Any] = {}
    if row.photo_sha256:
        base = f"/c/{campaign.slug}/galerie/{row.id}"
        values = {
            "webp": ", ".join(f"{base}-{w}.webp {w}w" for w in WIDTHS),
            "jpeg": ", ".join(f"{base}-{w}.jpg {w}w" for w in WIDTHS),
            "src": f"{base}-960.jpg",
            "width": row.photo_width,
            "height": row.photo_height,
        }
    credit = shown_credit(row.credit_kind, row.credit_name)
    assert row.id is not None
    return Item(row.id, title, row.text, row.caption, credit, **values)


def _gallery(current: Site, request: Request, campaign: Campaign) -> Response:
    with db.reading(current.engine) as session:
        items = [_item(campaign, row) for row in published(session, campaign.slug)]
    context = {
        "campaign": campaign,
        "items": items,
        "reported": request.query_params.get("signale") == "1",
    }
    return render(request, "gallery.html", context, lang=language(request, campaign))


async def gallery(request: Request) -> Response:
    current = site(request)
    return await db.call(current.engine, _gallery, current, request, current.campaign_in(request))


def _photo_of(current: Site, campaign: str, item: int) -> str | None:
    with db.reading(current.engine) as session:
        row = session.get(Submission, item)
    if row is None or row.campaign != campaign or row.status != ACCEPTED or row.hidden:
        return None
    return row.photo_sha256


async def serve_photo(current: Site, sha256: str, width: int, ext: str, cache: str) -> Response:
    """A variant of a contributor's photo (never the original, which may hold GPS tags)."""
    if width not in WIDTHS or ext not in FORMATS:
        raise HTTPException(404)
    fmt, media_type = FORMATS[ext]
    folder = photo_dir(current)
    return await served_variant(
        original_path(folder, sha256),
        box=None,
        width=width,
        fmt=fmt,  # type: ignore[arg-type]
        cache_dir=cache_dir(folder),
        media_type=media_type,
        cache=cache,
    )


async def photo(request: Request) -> Response:
    current = site(request)
    campaign = current.campaign_in(request)
    item: int = request.path_params["item"]
    sha256 = await db.call(current.engine, _photo_of, current, campaign.slug, item)
    if sha256 is None:
        raise HTTPException(404)
    width, ext = request.path_params["width"], request.path_params["fmt"]
    return await serve_photo(current, sha256, width, ext, "public, max-age=600")


def address_key(secret_key: str, ip: str) -> str:
    """What a report keeps of the address it came from: an HMAC under the server secret, the
    same for every report from that address, that names no one without the secret."""
    digest = hmac.new(secret_key.encode(), f"report-address:{ip}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def _report(current: Site, request: Request, campaign: Campaign, item: int) -> None:
    """Store one resident's report, and hide the item once enough residents AND addresses
    reported it.

    The item's row is locked first (FOR UPDATE on PostgreSQL; SQLite's write transaction
    already runs alone), so reports arriving together are counted one after the other: the
    one that makes the count is the one that hides, whichever worker runs it.
    """
    ip = counters.client_ip(request, current.settings.trusted_proxies)
    address = address_key(current.settings.secret_key, ip)
    limits = [counters.Limit(f"report-ip:{ip}", 24 * 3600, 50)]
    now = current.now().timestamp()
    with db.writing(current.engine) as session:
        row = session.exec(
            select(Submission).where(Submission.id == item).with_for_update()
        ).first()
        if row is None or row.campaign != campaign.slug or row.status != ACCEPTED or row.hidden:
            raise HTTPException(404)
        if counters.take(session, limits, now):
            return
        reporter = players.ensure_player_id(session, request) or f"ip:{address}"
        db.insert_once(
            session,
            SubmissionReport,
            ["submission_id", "reporter"],
            submission_id=item,
            reporter=reporter,
            address=address,
            at=current.now(),
        )
        residents, addresses = session.exec(
            select(func.count(), func.count(distinct(col(SubmissionReport.address)))).where(
                SubmissionReport.submission_id == item
            )
        ).one()
        if min(residents, addresses) >= REPORTS_TO_HIDE:
            row.hidden = True
            session.add(row)


async def report(request: Request) -> Response:
    current = site(request)
    campaign = current.campaign_in(request)
    await checked_form(request)
    item: int = request.path_params["item"]
    await db.call(current.engine, _report, current, request, campaign, item)
    return vary(RedirectResponse(f"/c/{campaign.slug}/galerie?signale=1", status_code=303))


def drop_unused_photo(current: Site, sha256: str) -> None:
    """Delete a contributor's photo file once no contribution points to it."""
    with db.reading(current.engine) as session:
        gone = unused(session, sha256)
    if gone:
        remove(photo_dir(current), sha256)


def sweep_photos(current: Site) -> int:
    """Start-up: remove temp files and photos without a contribution (a crash between the
    file and the row), like `web.library.resolver.sweep_uploads` does for the library."""

    with db.reading(current.engine) as session:
        keep = {sha for sha in session.exec(select(Submission.photo_sha256)) if sha}
    return sweep(photo_dir(current), keep)


def step_participation(request: Request, campaign: Campaign, step: Step) -> StepParticipation:
    """The resident's own items on this step and the accepted identifications."""
    current = site(request)
    largest = max(1, current.settings.max_upload_bytes // (1024 * 1024))
    result = StepParticipation(form=form_state(request), max_mb=largest)
    pid = players.player_id(request)
    with db.reading(current.engine) as session:
        if step.type is StepType.identify:
            result.identified = accepted_groups(session, campaign.slug, step.id)
            result.mine = own_proposals(session, pid, campaign.slug, step.id) if pid else []
        elif pid is not None:
            rows = session.exec(
                select(Submission)
                .where(
                    Submission.player_id == pid,
                    Submission.campaign == campaign.slug,
                    Submission.step == step.id,
                )
                .order_by(Submission.id)  # type: ignore[arg-type]
            )
            result.mine = [
                {
                    "text": r.text,
                    "caption": r.caption,
                    "photo": bool(r.photo_sha256),
                    "status": r.status,
                    "message": r.message,
                    "created_at": r.created_at,
                }
                for r in rows
            ]
    return result


def resident_credits(request: Request, campaign: Campaign) -> ResidentCredits:
    """Residents credited on the campaign's credits page, as they chose."""
    current = site(request)
    names: list[str] = []
    anonymous = 0
    with db.reading(current.engine) as session:
        credits = [(r.credit_kind, r.credit_name) for r in published(session, campaign.slug)]
        for group in accepted_groups(session, campaign.slug, None):
            credits += [(p.credit_kind, p.credit_name) for p in group.proposals]
    for kind, name in credits:
        shown = shown_credit(kind, name)
        if not shown:
            anonymous += 1
        elif shown not in names:
            names.append(shown)
    return ResidentCredits(names, anonymous)


def install(current: Site) -> None:
    """Add what residents sent to the pages of the steps they send on, and the residents
    credited to a campaign's credits page (`Site.step_extras`, `Site.finale_extras`)."""
    current.step_extras.append(_step_extra)
    current.finale_extras.append(_finale_extra)


def _step_extra(request: Request, campaign: Campaign, step: Step) -> dict[str, Any]:
    return {"participation": step_participation(request, campaign, step)} if step.kind.sends else {}


def _finale_extra(request: Request, campaign: Campaign) -> dict[str, Any]:
    return {"residents": resident_credits(request, campaign)}
