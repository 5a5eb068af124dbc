"""The step page as a participation form's answer: refused, thanked or closed.

Contribution and identify forms post to the step's own URL (`web.play.steps.answer` hands them
over). A refused form comes back on the step page with its values and the reason (the
`FormState` in the request scope); a stored one redirects to the step page, which thanks the
resident, or renders it directly for a phone that lost its cookies (a redirect would lose the
thanks with the session).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from campaigns.model import Campaign, Step
from campaigns.unlocks import campaign_phase
from web import players
from web.htmx import vary
from web.i18n import language
from web.participation.form import FORM, FORM_STATE, FormState
from web.participation.quota import over_quota
from web.play.steps import show
from web.play.views import campaign_view
from web.site import Site
from web.store import counters, db


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

    request.scope[FORM_STATE] = state
    with db.reading(current.engine) as session:
        view = campaign_view(current, session, request, campaign, language(request, campaign))
    not_kept = players.not_kept(request)
    return show(request, view, step, kind=kind, status=status, not_kept=not_kept, headers=headers)


async def refusal(
    request: Request,
    current: Site,
    campaign: Campaign,
    step: Step,
    draft: object,
    limits: list[counters.Limit],
    typed: dict[str, str] | None = None,
) -> Response | None:
    """Why a participation POST goes no further, as the page to send back, or None when it
    may be stored: the step not open for this player (403), the form refused (`draft` is then
    its `FormState`: the form again with its values and message, 422 or the upload's own
    status), or the player's daily quota used up (`limits`: 429, the form again with what was
    `typed`)."""
    engine = current.engine
    state = await db.call(engine, step_state, current, request, campaign, step)
    if state not in ("open", "done"):
        return await db.call(
            engine, page, current, request, campaign, step, status=403, kind="locked"
        )
    if isinstance(draft, FormState):
        return await db.call(
            engine, page, current, request, campaign, step, status=draft.status, state=draft
        )
    wait = await db.call(engine, over_quota, current, request, limits)
    return await too_many(request, current, campaign, step, wait, typed) if wait else None


async def too_many(
    request: Request,
    current: Site,
    campaign: Campaign,
    step: Step,
    wait: int,
    typed: dict[str, str] | None = None,
) -> Response:
    """The form again, saying the daily quota is used up and when to come back, with what
    was `typed` (to send tomorrow, or to copy elsewhere)."""
    headers = {"Retry-After": str(wait)}
    return await db.call(
        current.engine,
        page,
        current,
        request,
        campaign,
        step,
        status=429,
        state=FormState.one(FORM, "quota", values=typed, status=429),
        headers=headers,
    )


def done(current: Site, request: Request, campaign: Campaign, step: Step) -> Response:
    """After a stored contribution: back to the step page, which thanks the resident."""
    if not players.arrived_with_session(request):
        return page(current, request, campaign, step, status=200, kind="contributed")
    request.session["flash"] = "contributed"
    url = request.url_for("step", campaign=campaign.slug, step=step.id).path
    return vary(RedirectResponse(url + "#play", status_code=303))
