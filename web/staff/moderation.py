"""The community manager's moderation queue: `/staff/moderation` (role `cm` only).

Every contribution waits here before anyone but its author sees it. The cm accepts or rejects
it with an optional message the contributor reads on the step page and on their own page; an
item hidden by residents' reports comes back here, to be published again or rejected. The first
cm to decide wins, whole; a second one is told who decided what (`web.staff.decisions`). Archives
staff (`staff`) get 403: deciding what the city publishes in residents' names is the cm's job.
Pending photos are previewed through a cm-only route, never through the public gallery's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, update
from sqlmodel import Session, col, select
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from campaigns.model import Campaign, Text
from web.forms import checked_form, text_field
from web.i18n import gettext as _
from web.participation.gallery import serve_photo
from web.site import Site, site
from web.staff.auth import forbidden, staff_language, staff_of, staff_page
from web.staff.decisions import already, already_decided, already_url
from web.store import db
from web.store.tables.participation import ACCEPTED, PENDING, REJECTED, Submission, SubmissionReport
from web.templating import render

MAX_MESSAGE = 1000
RECENT = 20
DECISIONS = {"accept": ACCEPTED, "reject": REJECTED, "restore": ACCEPTED}
# What a cm may decide on an item in the state the page showed it (the form's `state` field).
ACTIONS = {"pending": ("accept", "reject"), "hidden": ("restore", "reject")}


@dataclass(frozen=True)
class Entry:
    """A contribution as the cm reviews it."""

    row: Submission
    campaign_title: Text
    step_title: Text
    reports: int
    campaign: Campaign | None = None  # to mark its texts' language on the cm's page

    @property
    def id(self) -> int:
        assert self.row.id is not None
        return self.row.id


def _entries(current: Site, session: Session, rows: list[Submission]) -> list[Entry]:
    ids = [r.id for r in rows]
    counts = dict(
        session.exec(
            select(SubmissionReport.submission_id, func.count())
            .where(SubmissionReport.submission_id.in_(ids))  # type: ignore[attr-defined]
            .group_by(SubmissionReport.submission_id)  # type: ignore[arg-type]
        ).all()
    )
    entries = []
    for row in rows:
        campaign = current.registry.get(row.campaign)
        step = campaign.step(row.step) if campaign else None
        entries.append(
            Entry(
                row,
                campaign.title if campaign else row.campaign,
                step.title if step else row.step,
                int(counts.get(row.id or 0, 0)),
                campaign,
            )
        )
    return entries


def _queue(current: Site) -> dict[str, list[Entry]]:
    order = Submission.created_at
    with db.reading(current.engine) as session:
        pending = session.exec(
            select(Submission).where(Submission.status == PENDING).order_by(order)  # type: ignore[arg-type]
        ).all()
        hidden = session.exec(
            select(Submission)
            .where(Submission.status == ACCEPTED, Submission.hidden == True)  # noqa: E712
            .order_by(order)  # type: ignore[arg-type]
        ).all()
        recent = session.exec(
            select(Submission)
            .where(Submission.status != PENDING, Submission.hidden == False)  # noqa: E712
            .order_by(Submission.moderated_at.desc())  # type: ignore[union-attr]
            .limit(RECENT)
        ).all()
        return {
            "pending": _entries(current, session, list(pending)),
            "hidden": _entries(current, session, list(hidden)),
            "recent": _entries(current, session, list(recent)),
        }


@staff_page(role="cm")
async def queue(request: Request) -> Response:
    current = site(request)
    lost = already_decided(request)
    context = {
        "staff": staff_of(request),
        "queue": await db.call(current.engine, _queue, current),
        "done": request.query_params.get("fait", ""),
        "already": await db.call(current.engine, _already, current, lost) if lost else None,
    }
    return render(request, "staff/moderation.html", context, lang=staff_language(request))


def _state(state: str) -> Any:
    """The rows in the state a cm saw: still pending, or published and hidden by reports."""
    if state == "hidden":
        return (col(Submission.status) == ACCEPTED) & (col(Submission.hidden) == True)  # noqa: E712
    return col(Submission.status) == PENDING


def _decide(
    current: Site,
    item: int,
    decision: str,
    seen: str,
    message: str,
    user_id: int,
    now: datetime,
) -> str:
    """'done', 'already' (someone decided first: nothing changed) or 'missing'.

    One conditional UPDATE decides (`web.staff.decisions`): it changes the row only if it is
    still in the state the cm saw, so of two cms deciding together exactly one wins, whole.
    """
    states = [seen] if seen else [s for s, allowed in ACTIONS.items() if decision in allowed]
    values: dict[str, object] = {
        "status": DECISIONS[decision],
        "hidden": False,
        "moderated_at": now,
        "moderated_by": user_id,
    }
    if decision != "restore" or message:
        values["message"] = message
    with db.writing(current.engine) as session:
        decided = session.execute(
            update(Submission)
            .where(col(Submission.id) == item, or_(*(_state(s) for s in states)))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if decided.rowcount == 1:  # type: ignore[attr-defined]
            if decision == "restore":
                session.execute(
                    delete(SubmissionReport).where(col(SubmissionReport.submission_id) == item)
                )
            return "done"
        return "already" if session.get(Submission, item) is not None else "missing"


def _already(current: Site, item: int) -> str | None:
    """What was decided on `item` before this cm, said as `web.staff.decisions` says it."""
    with db.reading(current.engine) as session:
        row = session.get(Submission, item)
        if row is None or row.status == PENDING:
            return None
        if row.status == ACCEPTED:
            what = _("contribution publiée dans la galerie.")
        elif row.message:
            what = _("contribution refusée, avec ce message : « %(message)s ».") % {
                "message": row.message
            }
        else:
            what = _("contribution refusée.")
        return already(session, row.moderated_by, what)


@staff_page(role="cm")
async def decide(request: Request) -> Response:
    current = site(request)
    form = await checked_form(request)
    item: int = request.path_params["item"]
    decision = text_field(form, "decision")
    seen = text_field(form, "state")
    known = decision in ACTIONS[seen] if seen in ACTIONS else not seen and decision in DECISIONS
    if not known:
        return forbidden(request, _("Décision inconnue : rechargez la page."))
    message = text_field(form, "message").strip()[:MAX_MESSAGE]
    user = staff_of(request)
    outcome = await db.call(
        current.engine,
        db.retried,
        _decide,
        current,
        item,
        decision,
        seen,
        message,
        user.id,
        current.now(),
    )
    if outcome == "missing":
        raise HTTPException(404)
    if outcome == "already":
        return RedirectResponse(already_url("/staff/moderation", item), status_code=303)
    return RedirectResponse(f"/staff/moderation?fait={decision}", status_code=303)


def _sha256(current: Site, item: int) -> str | None:
    with db.reading(current.engine) as session:
        row = session.get(Submission, item)
        return row.photo_sha256 if row is not None else None


@staff_page(role="cm")
async def preview(request: Request) -> Response:
    """A contribution's photo for the cm, whatever its status."""
    current = site(request)
    sha256 = await db.call(current.engine, _sha256, current, request.path_params["item"])
    if sha256 is None:
        raise HTTPException(404)
    return await serve_photo(current, sha256, 480, "jpg", "private, no-store")
