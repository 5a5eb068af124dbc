"""The pages around the steps: the list of campaigns, a campaign's start page, its finale and
credits, and the health check.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from campaigns.model import Campaign
from campaigns.unlocks import campaign_phase
from web import i18n
from web.i18n import language
from web.play import channels, preview, stories
from web.play.carnet import carnet_url
from web.play.together import figures
from web.play.views import campaign_view
from web.site import Site, site
from web.store import counters, db
from web.store.tables.play import ViaCount
from web.templating import render


def site_language(request: Request) -> str:
    return i18n.choose(request, i18n.SITE_LANGUAGES)


async def home(request: Request) -> Response:
    current = site(request)
    now = current.now()
    groups: dict[str, list[Campaign]] = {"open": [], "closed": []}
    for campaign in current.registry.campaigns():
        phase = campaign_phase(campaign, now)
        if phase in groups:  # an upcoming campaign is hidden until it opens
            groups[phase].append(campaign)
    groups["closed"].sort(key=lambda c: c.closes_at or now, reverse=True)
    return render(request, "home.html", {"groups": groups}, lang=site_language(request))


def _count_via(current: Site, request: Request, campaign: Campaign, name: str) -> None:
    """One more visit of `campaign` from channel `name`, unless this visitor already counted
    for it or their address sent too many (`web.play.channels`)."""
    if channels.already_counted(request.session.get(channels.SESSION_KEY), campaign.slug):
        return
    now = current.now()
    ip = counters.client_ip(request, current.settings.trusted_proxies)
    limits = channels.address_limits(ip, campaign.slug)
    day = now.astimezone(campaign.tz).date().isoformat()
    with db.writing(current.engine) as session:
        if counters.take(session, limits, now.timestamp()):
            return
        db.increment(
            session,
            ViaCount,
            ["campaign", "channel", "day"],
            campaign=campaign.slug,
            channel=name,
            day=day,
        )
    seen = request.session.get(channels.SESSION_KEY)
    request.session[channels.SESSION_KEY] = channels.remember(seen, campaign.slug)


def _start(current: Site, request: Request, campaign: Campaign) -> Response:
    lang = language(request, campaign)
    via = channels.counted(request.query_params.get("via", ""), campaign)
    if via is not None and preview.previewed(current, request) is None:  # a preview counts nothing
        _count_via(current, request, campaign, via)
    with db.reading(current.engine) as session:
        view = campaign_view(current, session, request, campaign, lang)
        together = figures(current, session, campaign)
    context = {
        "campaign": campaign,
        "view": view,
        "next_step": view.next(),
        "together": together,
        "has_places": any(step.where is not None for step in campaign.steps),
        "carnet_url": carnet_url(campaign, lang),
    }
    return render(request, "campaign.html", context, lang=lang)


async def campaign_start(request: Request) -> Response:
    current = site(request)
    campaign = current.campaign_in(request)
    return await db.call(current.engine, _start, current, request, campaign)


def _finale(current: Site, request: Request, campaign: Campaign) -> Response:
    lang = language(request, campaign)
    with db.reading(current.engine) as session:
        view = campaign_view(current, session, request, campaign, lang)
        together = figures(current, session, campaign)
    context: dict[str, Any] = {
        "campaign": campaign,
        "view": view,
        "next_step": view.next(),
        "together": together,
        "recording": (
            stories.recording(current, campaign, campaign.finale)
            if campaign.finale is not None and view.finished
            else None
        ),
    }
    for extra in current.finale_extras:
        context.update(extra(request, campaign))
    return render(request, "finale.html", context, lang=lang)


async def finale(request: Request) -> Response:
    current = site(request)
    campaign = current.campaign_in(request)
    return await db.call(current.engine, _finale, current, request, campaign)


async def healthz(request: Request) -> Response:
    current = site(request)
    ok = await db.call(current.engine, db.healthy, current.engine)
    if ok:
        return JSONResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})
    return JSONResponse({"status": "unavailable"}, status_code=503)
