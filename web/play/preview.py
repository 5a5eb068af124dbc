"""Preview: a campaign played before it opens, any step outside its window, and nothing counted.

The élus, the director of communication and the archives try a campaign before the weekend it
opens; the CM tests it without polluting the figures. A preview starts from the staff area (a
logged-in cm or staff member) or from a cm's preview link (`/apercu/<token>`, for people
without an account), and lives in the visitor's signed session cookie only: progress, hints,
scans and typed codes, steps passed or whose answer was seen are kept there (`Progress` in
`SESSION_KEY`), never in the database, so nothing done in preview can reach the figures, the
credits, the ledger, the gallery or the retention counts, whatever any of them reads. While it
lasts, the campaign is served without its opening times (`windowless`), so every step can be
played, in order, whatever the clock.

A link's preview ends when the link expires or is revoked: its row is looked at again at most
every `RECHECK` per worker (the check runs where the campaign is looked up, on the event loop,
so it is kept short and rare).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request

from campaigns.model import Campaign
from web.site import PREVIEW_SCOPE, Site
from web.store import db, progress
from web.store.tables.staff import PreviewLink

SESSION_KEY = "apercu"
RECHECK = 10.0  # seconds a link's validity is trusted before its row is read again

_windowless: dict[int, tuple[Campaign, Campaign]] = {}
_links: dict[str, tuple[float, float]] = {}  # link id -> (checked at, valid until: unix time)


def windowless(campaign: Campaign) -> Campaign:
    """`campaign` without its or its steps' opening and closing times (one copy per object)."""
    known = _windowless.get(id(campaign))
    if known is not None and known[0] is campaign:
        return known[1]
    steps = [s.model_copy(update={"opens": None, "closes": None}) for s in campaign.steps]
    copy = campaign.model_copy(update={"opens": None, "closes": None, "steps": steps})
    if len(_windowless) > 64:
        _windowless.clear()
    _windowless[id(campaign)] = (campaign, copy)
    return copy


def start(request: Request, slug: str, until: datetime, link: str | None = None) -> None:
    """Begin (or begin again) a preview of `slug` for this browser, until `until`."""
    request.session[SESSION_KEY] = {"c": slug, "until": until.timestamp(), "link": link or ""}


def stop(request: Request) -> None:
    request.session.pop(SESSION_KEY, None)


def _state(request: Request) -> dict[str, Any] | None:
    value = request.session.get(SESSION_KEY)
    if isinstance(value, dict) and isinstance(value.get("c"), str):
        return value
    return None


def _link_valid_until(current: Site, link: str) -> float:
    now = time.monotonic()
    known = _links.get(link)
    if known is not None and now - known[0] < RECHECK:
        return known[1]
    with db.reading(current.engine) as session:
        row = session.get(PreviewLink, link)
        expires = row.expires_at if row is not None else None
        if expires is not None and expires.tzinfo is None:  # SQLite: stored in UTC, naive
            expires = expires.replace(tzinfo=UTC)
        revoked = row is None or row.revoked_at is not None
        until = 0.0 if revoked or expires is None else expires.timestamp()
    if len(_links) > 1024:
        _links.clear()
    _links[link] = (now, until)
    return until


def forget_link(link: str) -> None:
    """A link was revoked in this worker: its previews end at once here."""
    _links.pop(link, None)


def previewed(current: Site, request: Request) -> str | None:
    """The slug this browser previews, None when none (an ended preview is cleared)."""
    if PREVIEW_SCOPE in request.scope:
        found = request.scope[PREVIEW_SCOPE]
        return found if isinstance(found, str) else None
    state = _state(request)
    slug: str | None = None
    if state is not None:
        until = float(state.get("until", 0))
        link = str(state.get("link", ""))
        if link:
            until = min(until, _link_valid_until(current, link))
        if until > current.now().timestamp() and current.registry.get(state["c"]) is not None:
            slug = state["c"]
        else:
            stop(request)
    request.scope[PREVIEW_SCOPE] = slug
    return slug


def campaign_for(current: Site, request: Request, slug: str) -> Campaign | None:
    """The campaign a preview serves under `slug` (windowless), None when not previewing it."""
    if previewed(current, request) != slug:
        return None
    campaign = current.registry.get(slug)
    return windowless(campaign) if campaign is not None else None


def mine(current: Site, request: Request, campaign: Campaign) -> progress.Progress | None:
    """The preview's progress in `campaign`, None when this browser does not preview it."""
    if previewed(current, request) != campaign.slug:
        return None
    state = _state(request) or {}
    found = progress.Progress()
    found.done = {s for s in state.get("done", []) if isinstance(s, str)}
    found.checked_in = {s for s in state.get("in", []) if isinstance(s, str)}
    hints = state.get("hints", {})
    used = state.get("used", {})
    found.hints = {str(k): int(v) for k, v in hints.items()} if isinstance(hints, dict) else {}
    found.hints_used = {str(k): int(v) for k, v in used.items()} if isinstance(used, dict) else {}
    found.passed = {s for s in state.get("passed", []) if isinstance(s, str)}
    found.seen = {s for s in state.get("seen", []) if isinstance(s, str)}
    return found


def save(request: Request, kept: progress.Progress) -> None:
    """Keep the preview's progress in the session cookie (and nowhere else)."""
    state = _state(request)
    if state is None:
        return
    state = {
        **state,
        "done": sorted(kept.done),
        "in": sorted(kept.checked_in),
        "hints": dict(kept.hints),
        "used": dict(kept.hints_used),
        "passed": sorted(kept.passed),
        "seen": sorted(kept.seen),
    }
    request.session[SESSION_KEY] = state


def restart(request: Request) -> str | None:
    """Forget what was done in the preview, keep previewing; the slug previewed."""
    state = _state(request)
    if state is None:
        return None
    request.session[SESSION_KEY] = {k: state[k] for k in ("c", "until", "link") if k in state}
    return str(state["c"])


def install(site: Site) -> None:
    """Let the site serve previewed campaigns (`Site.campaign_in`, `Site.visible`)."""
    site.previewing = lambda request, slug: campaign_for(site, request, slug)
