"""The URLs of a preview: a cm's link opened (`GET /apercu/{token}`), the preview begun again
or left (`POST /apercu/recommencer`, `/apercu/quitter`), and what a previewer "sends" on a
contribution or identify step, which is never kept.

A preview link's token is 128 random bits; the table keeps its SHA-256 only. An unknown,
expired or revoked token is the plain 404 page, the same as any unknown URL, and counts as a
miss against the address like a wrong checkpoint token: bursts of misses are answered 429.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from campaigns.model import Campaign, Step
from web import csrf, errors
from web.forms import read_form
from web.play import preview
from web.site import Site, site
from web.store import counters, db
from web.store.tables.staff import PreviewLink


def utc(value: datetime) -> datetime:
    """SQLite gives a stored time back naive (it was stored in UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def token_id(token: str) -> str:
    """What the table keeps of a link's token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _open(current: Site, request: Request, token: str) -> tuple[PreviewLink | None, int]:
    """The valid link `token` opens (None when none), and the seconds to wait when this
    address missed too often (then nothing is looked up)."""
    ip = counters.client_ip(request, current.settings.trusted_proxies)
    limits = counters.miss_limits(ip)
    now = current.now()
    with db.writing(current.engine) as session:
        # Every try is counted, a genuine one given back: the limit holds for tries sent at once.
        wait = counters.take(session, limits, now.timestamp())
        if wait:
            return None, wait
        row = session.get(PreviewLink, token_id(token)) if len(token) < 100 else None
        if row is None or row.revoked_at is not None or utc(row.expires_at) <= now:
            return None, 0
        if current.registry.get(row.campaign) is None:
            return None, 0
        counters.give_back(session, limits, now.timestamp())
        session.expunge(row)
        return row, 0


async def open_link(request: Request) -> Response:
    """`GET /apercu/{token}`: the campaign as it will be, for whoever holds the link."""
    current = site(request)
    token = request.path_params["token"]
    link, wait = await db.call(current.engine, _open, current, request, token)
    if wait:
        return errors.render_error(request, 429, retry_after=wait)
    if link is None:
        # Not HTTPException: its handler would say more than "nothing here".
        return errors.render_error(request, 404)
    preview.start(request, link.campaign, utc(link.expires_at), link=link.id)
    return RedirectResponse(f"/c/{link.campaign}", status_code=303)


async def _checked(request: Request) -> None:
    form = await read_form(request)
    if not csrf.valid(request, form, site(request).settings):
        raise HTTPException(403)


async def restart(request: Request) -> Response:
    """`POST /apercu/recommencer`: what was done in the preview is forgotten."""
    await _checked(request)
    slug = preview.restart(request)
    return RedirectResponse(f"/c/{slug}" if slug else "/", status_code=303)


async def leave(request: Request) -> Response:
    """`POST /apercu/quitter`: back to the site as residents see it."""
    await _checked(request)
    preview.stop(request)
    return RedirectResponse("/", status_code=303)


async def sent(request: Request, current: Site, campaign: Campaign, step: Step) -> Response:
    """A contribution or proposal sent in preview: read, never kept; the step counts as done
    in the preview only."""
    form = await request.form()  # a photo in it is spooled by Starlette, then dropped
    try:
        if not csrf.valid(request, form, current.settings):
            raise HTTPException(403)
    finally:
        await form.close()
    mine = preview.mine(current, request, campaign)
    if mine is not None:
        mine.done.add(step.id)
        preview.save(request, mine)
    request.session["flash"] = "contributed"
    return RedirectResponse(f"/c/{campaign.slug}/{step.id}", status_code=303)
