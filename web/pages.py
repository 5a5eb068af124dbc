"""The pages around the steps: the list of campaigns, a campaign's start page, its finale and
credits, the player's own page with the resume code, and the health check.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from campaigns.model import Campaign
from campaigns.unlocks import campaign_phase
from web import channels, db, i18n, players, ratelimit
from web.forms import checked_form, text_field
from web.htmx import vary
from web.play import campaign_view, language
from web.site import Site, site
from web.tables import ViaCount
from web.templating import render


def _site_language(request: Request) -> str:
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
    return render(request, "home.html", {"groups": groups}, lang=_site_language(request))


def _count_via(current: Site, request: Request, campaign: Campaign, name: str) -> None:
    """One more visit of `campaign` from channel `name`, unless this visitor already counted
    for it or their address sent too many (`web.channels`)."""
    if channels.already_counted(request.session.get(channels.SESSION_KEY), campaign.slug):
        return
    now = current.now()
    ip = ratelimit.client_ip(request, current.settings.trusted_proxies)
    limits = channels.address_limits(ip, campaign.slug)
    day = now.astimezone(campaign.tz).date().isoformat()
    with db.writing(current.engine) as session:
        if ratelimit.take(session, limits, now.timestamp()):
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
    if via is not None:
        _count_via(current, request, campaign, via)
    with db.reading(current.engine) as session:
        view = campaign_view(current, session, request, campaign, lang)
    context = {"campaign": campaign, "view": view, "next_step": view.next()}
    return render(request, "campaign.html", context, lang=lang)


async def campaign_start(request: Request) -> Response:
    current = site(request)
    campaign = current.campaign_in(request)
    return await db.call(current.engine, _start, current, request, campaign)


def _finale(current: Site, request: Request, campaign: Campaign) -> Response:
    lang = language(request, campaign)
    with db.reading(current.engine) as session:
        view = campaign_view(current, session, request, campaign, lang)
    context = {"campaign": campaign, "view": view, "next_step": view.next()}
    return render(request, "finale.html", context, lang=lang)


async def finale(request: Request) -> Response:
    current = site(request)
    campaign = current.campaign_in(request)
    return await db.call(current.engine, _finale, current, request, campaign)


def _me(current: Site, request: Request, kind: str | None, status: int = 200) -> Response:
    from web import mydata  # the player's data, thanks and "forget me" (issue 6)

    with db.reading(current.engine) as session:
        player = players.current_player(session, request)
        # issue 6: progress, contributions and thanks of this player only
        pid = player.id if player else None
        mine = mydata.page_context(session, pid, current.registry.campaigns())
    code = players.format_code(player.resume_code) if player else None
    forgotten = request.query_params.get("oubli") == "fait"  # issue 6
    context = {"code": code, "kind": kind, **mine, "forgotten": forgotten}
    return render(request, "me.html", context, lang=_site_language(request), status=status)


async def me(request: Request) -> Response:
    current = site(request)
    flash = request.session.pop("flash", None) if "flash" in request.session else None
    return await db.call(current.engine, _me, current, request, flash)


def _resume(current: Site, request: Request, typed: str) -> Response:
    ip = ratelimit.client_ip(request, current.settings.trusted_proxies)
    limits = ratelimit.miss_limits(ip)
    code = players.parse_code(typed)
    with db.writing(current.engine) as session:
        # Every try is counted, a right code given back: the limit holds for tries sent at once.
        wait = ratelimit.take(session, limits, _seconds(current))
        if wait:
            from web.errors import render_error

            return render_error(request, 429, retry_after=wait)
        player = players.adopt(session, request, code) if code else None
        if player is not None:
            ratelimit.give_back(session, limits, _seconds(current))
    if player is None:
        context = {"code": None, "kind": "unknown-code"}
        return render(request, "me.html", context, lang=_site_language(request), status=422)
    request.session["flash"] = "resumed"
    return vary(RedirectResponse("/moi", status_code=303))


def _seconds(current: Site) -> float:
    return current.now().timestamp()


async def resume(request: Request) -> Response:
    current = site(request)
    form = await checked_form(request)
    return await db.call(current.engine, _resume, current, request, text_field(form, "code"))


async def healthz(request: Request) -> Response:
    current = site(request)
    ok = await db.call(current.engine, db.healthy, current.engine)
    if ok:
        return JSONResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})
    return JSONResponse({"status": "unavailable"}, status_code=503)
