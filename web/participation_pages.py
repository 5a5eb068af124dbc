"""The step page as a participation form's answer: refused, thanked or closed.

Contribution and identify forms post to the step's own URL (`web.steps.answer` hands them
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
from web import db, players
from web.htmx import vary
from web.participation_form import FORM_STATE, FormState
from web.play import campaign_view, language
from web.site import Site


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
