"""The residents' URLs, all listed here (fixed by SPEC.md: they are printed on posters and QR
codes); the staff area's are in `web.staff.routes`.

A step's URL takes the POST of every step type: an answer or a story read (`web.play.steps`), a
contribution (`web.participation.contributions`) or an identification proposal
(`web.participation.proposals`). `post_step` hands it to the one that owns the type, so that
the play package knows nothing of what residents send.

`/oai` is public too, for the archives' harvesters rather than residents: the staff area's
accepted identifications as an OAI-PMH repository (`web.staff.oai`), when the site opts in.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.types import Receive, Scope, Send

from campaigns.model import Campaign, Step
from campaigns.steptypes import StepType
from web import routeids
from web.legal import pages as legal
from web.participation import contributions, gallery, markers, proposals
from web.play import (
    arrivals,
    carnet,
    maps,
    offline,
    pages,
    photos,
    preview,
    preview_pages,
    scans,
    sharing,
    steps,
    stories,
    thankyou,
)
from web.privacy import me, mydata
from web.routing import Endpoint, form, page
from web.site import Site, site
from web.staff import oai

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
    if sent is not None and preview.previewed(current, request) == campaign.slug:
        return await preview_pages.sent(request, current, campaign, step)  # never kept
    if sent is not None:
        return await sent(request, current, campaign, step)
    return await steps.answer(request)


def unless_previewing(endpoint: Endpoint) -> Endpoint:
    """A report a previewer sends (a damaged marker, a gallery item) is not kept: back to the
    page it came from, nothing stored."""

    async def guarded(request: Request) -> Response:
        current = site(request)
        slug = request.path_params["campaign"]
        if preview.previewed(current, request) == slug:
            back = request.url.path.rsplit("/", 1)[0]
            return RedirectResponse(back if "/galerie" not in back else f"/c/{slug}/galerie", 303)
        return await endpoint(request)

    return guarded


async def favicon(request: Request) -> Response:
    """`/favicon.ico`, which browsers ask for whatever the page links: the site's icon."""
    current = site(request)
    current.sitefile.refresh()  # the icon of the city's latest logo (`web.sitewatch`)
    response = current.assets.response("site/favicon.ico")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


class StaticAssets:
    """`/static/…`: the site's table of fingerprinted files (`web.assets`), built at start; the
    city's own are added when `site.yaml` changes, so a worker that has served no page since
    looks at the file first: a page from another worker may link its new colours already."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        current = scope["app"].state.site
        current.sitefile.refresh()
        await current.assets(scope, receive, send)


def public() -> list[Route | Mount]:
    """The residents' routes, in the order the router tries them."""
    routeids.register()  # `{name:id}`, used by the gallery, moderation, ledger and reports
    return [
        page("/", pages.home, "home"),
        page("/healthz", pages.healthz, "healthz"),
        page("/manifest.webmanifest", offline.web_manifest, "manifest"),
        page("/sw.js", offline.service_worker, "service-worker"),
        page("/icone-{size:int}.png", offline.icon, "icon"),
        page("/hors-ligne", offline.offline_page, "offline"),
        page("/mentions-legales", legal.legal_notice, "legal-notice"),
        page("/donnees-personnelles", legal.privacy_notice, "privacy-notice"),
        page("/accessibilite", legal.accessibility, "accessibility"),
        page("/favicon.ico", favicon, "favicon"),
        page("/moi", me.me, "me"),
        page("/moi/donnees.json", mydata.download, "my-data"),
        form("/moi/oubli", mydata.forget_me, "forget-me"),
        page("/reprendre", me.me, "resume-form"),
        form("/reprendre", me.resume, "resume"),
        page("/c/{campaign}", pages.campaign_start, "campaign"),
        page("/c/{campaign}/merci", pages.finale, "finale"),
        page("/c/{campaign}/carte", maps.map_page, "map"),
        page("/c/{campaign}/emporter", offline.take_trail, "take-away"),
        page("/c/{campaign}/carnet.pdf", carnet.roadbook, "roadbook"),
        page("/tuiles/{archive}", maps.tile_archive, "tiles"),
        # before `/c/{campaign}/{step}`, which would take them
        page("/c/{campaign}/galerie", gallery.gallery, "gallery"),
        page("/c/{campaign}/galerie/{item:id}-{width:int}.{fmt}", gallery.photo, "gallery-photo"),
        form(
            "/c/{campaign}/galerie/{item:id}/signaler",
            unless_previewing(gallery.report),
            "gallery-report",
        ),
        page("/c/{campaign}/partage.png", sharing.campaign_card, "share-campaign"),
        page("/c/{campaign}/merci/carte.png", thankyou.thanks_card, "thanks-card"),
        page("/c/{campaign}/{step}/partage.png", sharing.step_card, "share-step"),
        page("/c/{campaign}/{step}", steps.step_page, "step"),
        form("/c/{campaign}/{step}", post_step, "answer"),
        form("/c/{campaign}/{step}/indice", steps.ask_hint, "hint"),
        # a preview keeps these in its session (`web.play.preview`), as it keeps hints
        form("/c/{campaign}/{step}/passer", steps.pass_step, "pass-step"),
        form("/c/{campaign}/{step}/reponse", steps.see_answer, "see-answer"),
        form("/c/{campaign}/{step}/ici", unless_previewing(arrivals.arrive), "arrive"),
        form(
            "/c/{campaign}/{step}/signaler",
            unless_previewing(markers.report_marker),
            "report-marker",
        ),
        form("/c/{campaign}/{step}/code", scans.typed_code, "checkpoint-code"),
        page("/k/{campaign}/{step}/{token}", scans.scan, "checkpoint"),
        page("/p/{campaign}/{step}/{stage}-{width:int}.{fmt}", photos.photo, "photo"),
        page("/m/{campaign}/{part}/{kind}.{ext}", stories.media_file, "story-media"),
        page("/apercu/{token}", preview_pages.open_link, "preview-link"),
        form("/apercu/recommencer", preview_pages.restart, "preview-restart"),
        form("/apercu/quitter", preview_pages.leave, "preview-leave"),
        page("/oai", oai.repository, "oai"),
        form("/oai", oai.repository, "oai-post"),
        Mount("/static", app=StaticAssets(), name="static"),
    ]
