"""The residents' URLs, all listed here (fixed by SPEC.md: they are printed on posters and QR
codes); the staff area's are in `web.staff.routes`.

A step's URL takes the POST of every step type: an answer or a story read (`web.play.steps`), a
contribution (`web.participation.contributions`) or an identification proposal
(`web.participation.proposals`). `post_step` hands it to the one that owns the type, so that
the play package knows nothing of what residents send.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from campaigns.model import Campaign, Step
from campaigns.steptypes import StepType
from web import routeids
from web.participation import contributions, gallery, markers, proposals
from web.play import pages, photos, scans, sharing, steps
from web.privacy import me, mydata
from web.routing import form, page
from web.site import Site, site
from web.templating import STATIC

# Where what residents send is received, by the type of step they send it on
# (`campaigns.steptypes`: the types whose kind `sends`).
SENT: dict[StepType, Callable[[Request, Site, Campaign, Step], Awaitable[Response]]] = {
    StepType.contribution: contributions.contribute,
    StepType.identify: proposals.propose,
}


async def post_step(request: Request) -> Response:
    """`POST /c/{campaign}/{step}`, handed to the package that owns the step's type."""
    current = site(request)
    campaign, step = current.step_in(request)
    sent = SENT.get(step.type)
    if sent is not None:
        return await sent(request, current, campaign, step)
    return await steps.answer(request)


def public() -> list[Route | Mount]:
    """The residents' routes, in the order the router tries them."""
    routeids.register()  # `{name:id}`, used by the gallery, moderation, ledger and reports
    return [
        page("/", pages.home, "home"),
        page("/healthz", pages.healthz, "healthz"),
        page("/moi", me.me, "me"),
        page("/moi/donnees.json", mydata.download, "my-data"),
        form("/moi/oubli", mydata.forget_me, "forget-me"),
        page("/reprendre", me.me, "resume-form"),
        form("/reprendre", me.resume, "resume"),
        page("/c/{campaign}", pages.campaign_start, "campaign"),
        page("/c/{campaign}/merci", pages.finale, "finale"),
        # before `/c/{campaign}/{step}`, which would take them
        page("/c/{campaign}/galerie", gallery.gallery, "gallery"),
        page("/c/{campaign}/galerie/{item:id}-{width:int}.{fmt}", gallery.photo, "gallery-photo"),
        form("/c/{campaign}/galerie/{item:id}/signaler", gallery.report, "gallery-report"),
        page("/c/{campaign}/partage.png", sharing.campaign_card, "share-campaign"),
        page("/c/{campaign}/merci/carte.png", sharing.thanks_card, "thanks-card"),
        page("/c/{campaign}/{step}/partage.png", sharing.step_card, "share-step"),
        page("/c/{campaign}/{step}", steps.step_page, "step"),
        form("/c/{campaign}/{step}", post_step, "answer"),
        form("/c/{campaign}/{step}/indice", steps.ask_hint, "hint"),
        form("/c/{campaign}/{step}/passer", steps.pass_step, "pass-step"),
        form("/c/{campaign}/{step}/reponse", steps.see_answer, "see-answer"),
        form("/c/{campaign}/{step}/signaler", markers.report_marker, "report-marker"),
        form("/c/{campaign}/{step}/code", scans.typed_code, "checkpoint-code"),
        page("/k/{campaign}/{step}/{token}", scans.scan, "checkpoint"),
        page("/p/{campaign}/{step}/{stage}-{width:int}.{fmt}", photos.photo, "photo"),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
