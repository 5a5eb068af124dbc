"""The player's own page, `/moi`: the resume code, progress in every campaign, what they sent and
the thanks they received, the links to download their data and to be forgotten; and `/reprendre`,
continuing as the player a resume code names.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from web import players
from web.forms import checked_form, text_field
from web.htmx import vary
from web.play.pages import site_language
from web.privacy import mydata
from web.site import Site, site
from web.store import counters, db
from web.templating import render


def _me(
    current: Site,
    request: Request,
    kind: str | None,
    status: int = 200,
    *,
    typed: str = "",
    retry_after: int | None = None,
) -> Response:
    """The page; after a refused resume code, with the code as `typed` (to correct one
    character, not type all eight again) and, over the limit, the seconds to wait."""
    with db.reading(current.engine) as session:
        player = players.current_player(session, request)
        # Progress, contributions and thanks of this player only
        pid = player.id if player else None
        mine = mydata.page_context(session, pid, current.registry.campaigns())
    code = players.format_code(player.resume_code) if player else None
    forgotten = request.query_params.get("oubli") == "fait"
    context = {"code": code, "kind": kind, **mine, "forgotten": forgotten, "typed": typed}
    context["retry_after"] = retry_after
    headers = {"Retry-After": str(retry_after)} if retry_after else {}
    # Once forgotten, nothing stays on the phone either: the copies kept for offline play, the
    # queue of what was sent offline, the service worker (offline.js clears them too).
    if forgotten:
        headers["Clear-Site-Data"] = '"cache", "storage"'
    lang = site_language(request)
    return render(request, "me.html", context, lang=lang, status=status, headers=headers)


async def me(request: Request) -> Response:
    current = site(request)
    flash = request.session.pop("flash", None) if "flash" in request.session else None
    return await db.call(current.engine, _me, current, request, flash)


def _resume(current: Site, request: Request, typed: str) -> Response:
    ip = counters.client_ip(request, current.settings.trusted_proxies)
    limits = counters.miss_limits(ip)
    code = players.parse_code(typed)
    with db.writing(current.engine) as session:
        # Every try is counted, a right code given back: the limit holds for tries sent at once.
        wait = counters.take(session, limits, _seconds(current))
        player = players.adopt(session, request, code) if code and not wait else None
        if player is not None:
            counters.give_back(session, limits, _seconds(current))
    typed = typed[:MAX_TYPED]
    if wait:
        return _me(current, request, "slow", 429, typed=typed, retry_after=wait)
    if player is None:
        return _me(current, request, "unknown-code", 422, typed=typed)
    request.session["flash"] = "resumed"
    return vary(RedirectResponse("/moi", status_code=303))


async def resume(request: Request) -> Response:
    current = site(request)
    form = await checked_form(request)
    return await db.call(current.engine, _resume, current, request, text_field(form, "code"))


MAX_TYPED = 40  # a resume code is 8 characters and a dash; what came back is only shown


def _seconds(current: Site) -> float:
    return current.now().timestamp()
