"""The archives' "photos mystères" on the staff side: every group of residents' proposals, and
staff's decision on each.

`staff` and `cm` accept or decline a group on `/staff/identifications`, first-wins: two staff
members deciding together cannot both (`web.staff.decisions`). An accepted group credits every
proposer, the first one marked, under the photo and in the CSV the archive imports into its
catalogue (`web.staff.archive_export`).
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import col, select
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from campaigns.model import Campaign, Step
from campaigns.steptypes import StepType
from web.forms import checked_form, text_field
from web.i18n import gettext as _
from web.images import served_variant
from web.participation.groups import Group, groups, identify_steps, mark_consensus
from web.play.photos import source_path
from web.site import Site, site
from web.staff.auth import forbidden, staff_language, staff_of, staff_page
from web.staff.decisions import already, already_decided, already_url
from web.store import db
from web.store.tables.participation import (
    ACCEPTED,
    DECLINED,
    PENDING,
    Identification,
)
from web.templating import render


def _overview(current: Site) -> list[tuple[Campaign, Step, list[Group]]]:
    with db.reading(current.engine) as session:
        return [
            (
                campaign,
                step,
                mark_consensus(groups(session, campaign.slug, step.id), step.agreement),
            )
            for campaign, step in identify_steps(current)
        ]


@staff_page()
async def identifications_page(request: Request) -> Response:
    current = site(request)
    lost = already_decided(request)
    context = {
        "staff": staff_of(request),
        "steps": await db.call(current.engine, _overview, current),
        "decided": request.query_params.get("fait") == "1",
        "already": await db.call(current.engine, _already, current, lost) if lost else None,
    }
    return render(request, "staff/identifications.html", context, lang=staff_language(request))


def _decide(current: Site, user_id: int, fields: dict[str, str]) -> tuple[str, int | None]:
    """('done' | 'already' | 'missing', the group's `Identification` id).

    First-wins (`web.staff.decisions`): a pending group is decided by an INSERT the unique
    constraint lets happen once; a decided one is changed only if it still has the status the
    staff member saw. Whoever comes second changes nothing and is told.
    """
    campaign = current.registry.get(fields.get("campaign", ""))
    step = campaign.step(fields.get("step", "")) if campaign else None
    decision = {"accept": ACCEPTED, "decline": DECLINED}.get(fields.get("decision", ""))
    seen = fields.get("state", "") or PENDING
    if campaign is None or step is None or step.type is not StepType.identify or not decision:
        return "missing", None
    if seen not in (PENDING, ACCEPTED, DECLINED) or seen == decision:
        return "missing", None
    key = fields.get("key", "")
    where = (
        (col(Identification.campaign) == campaign.slug)
        & (col(Identification.step) == step.id)
        & (col(Identification.key) == key)
    )
    with db.writing(current.engine) as session:
        found = [g for g in groups(session, campaign.slug, step.id) if g.key == key]
        if not found:
            return "missing", None
        values = {
            "label": found[0].label,
            "status": decision,
            "decided_by": user_id,
            "decided_at": current.now(),
        }
        if seen == PENDING:
            statement = (
                db.insert(session, Identification)
                .values(campaign=campaign.slug, step=step.id, key=key, **values)
                .on_conflict_do_nothing(index_elements=["campaign", "step", "key"])
            )
        else:
            statement = (
                update(Identification)
                .where(where, col(Identification.status) == seen)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
        won = session.execute(statement.returning(col(Identification.id))).first()
        if won is not None:
            return "done", int(won[0])
        row = session.exec(select(Identification.id).where(where)).first()
        return "already", row


def _already(current: Site, row_id: int) -> str | None:
    """What was decided on a group before this staff member (`web.staff.decisions`)."""
    with db.reading(current.engine) as session:
        row = session.get(Identification, row_id)
        if row is None:
            return None
        if row.status == ACCEPTED:
            what = _("« %(label)s » retenue.") % {"label": row.label}
        else:
            what = _("« %(label)s » écartée.") % {"label": row.label}
        return already(session, row.decided_by, what)


@staff_page()
async def decide(request: Request) -> Response:

    current = site(request)
    form = await checked_form(request)
    fields = {k: text_field(form, k) for k in ("campaign", "step", "key", "decision", "state")}
    user = staff_of(request).id
    outcome, row = await db.call(current.engine, db.retried, _decide, current, user, fields)
    if outcome == "missing":
        return forbidden(request, _("Cette proposition n'existe pas (ou plus)."))
    if outcome == "already":
        return RedirectResponse(already_url("/staff/identifications", row), status_code=303)
    return RedirectResponse("/staff/identifications?fait=1", status_code=303)


@staff_page()
async def photo(request: Request) -> Response:
    """`/staff/identifications/{campaign}/{step}/photo.webp`: the photo being identified, whole,
    for the staff deciding (whatever any player has reached)."""
    current = site(request)
    campaign = current.campaign_in(request, upcoming=True)
    step = campaign.step(request.path_params["step"])
    if step is None or step.type is not StepType.identify:
        raise HTTPException(404)
    path = source_path(current, campaign, step)
    if path is None:
        raise HTTPException(404)
    return await served_variant(
        path,
        box=None,
        width=480,
        fmt="webp",
        cache_dir=current.settings.media_dir / "cache",
        media_type="image/webp",
        cache="private, max-age=86400",
    )
