"""Friendly error pages in the site's style, never a traceback (unless `debug` is on).

One `error.html` says what happened in plain words; 404, 410 and 429 have their own page
(`404.html`, `410.html`, `429.html`). A 404 says nothing about what exists: a wrong checkpoint
token gets exactly the page an unknown URL gets.
"""

from __future__ import annotations

import logging
import traceback

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from campaigns.model import Campaign
from web import i18n
from web.htmx import is_htmx
from web.i18n import language
from web.store import db
from web.store.tables.play import Player
from web.templating import render

log = logging.getLogger("balises.web")

OWN_PAGES = {404, 410, 429}


def _language(request: Request, campaign: Campaign | None) -> str:
    try:
        return language(request, campaign)
    except AssertionError:  # no session middleware (should not happen)
        return i18n.SOURCE


def render_error(
    request: Request,
    status: int,
    *,
    lang: str | None = None,
    campaign: Campaign | None = None,
    retry_after: int | None = None,
    detail: str | None = None,
) -> Response:
    lang = lang or _language(request, campaign)
    name = f"{status}.html" if status in OWN_PAGES else "error.html"
    if is_htmx(request):
        name = "_error.html"  # swapped into the play section in place of a whole page
    headers = {"Retry-After": str(retry_after)} if retry_after else {}
    if status >= 400:
        headers["Cache-Control"] = "no-store"
    context = {"status": status, "campaign": campaign, "retry_after": retry_after, "detail": detail}
    return render(request, name, context, lang=lang, status=status, headers=headers)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    campaign = None
    slug = request.path_params.get("campaign") if request.path_params else None
    if isinstance(slug, str):
        campaign = request.app.state.site.visible(slug)  # an upcoming one is not named
    response = render_error(request, exc.status_code, campaign=campaign)
    if exc.status_code == 405 and exc.headers:
        response.headers.update(exc.headers)
    return response


def _database_unavailable(exc: Exception) -> bool:
    """The database went away, is restarting or stayed locked: worth a retry, not a bug."""
    if isinstance(exc, OperationalError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def _foreign_key_violation(exc: Exception) -> bool:
    """A row refused because the row it points to is gone (PostgreSQL's 23503; SQLite names it)."""
    orig = getattr(exc, "orig", None)
    sqlite = "FOREIGN KEY constraint failed" in str(orig)
    return getattr(orig, "sqlstate", None) == "23503" or sqlite


def _retry_page(request: Request) -> Response:
    response = render_error(request, 503)
    response.headers["Retry-After"] = "5"
    return response


async def integrity_error(request: Request, exc: Exception) -> Response:
    """A row whose player (or item) was deleted while the request ran: 503 "réessayez".

    "forget me" pressed while the same phone's answers and hints were in flight made
    those fail their foreign key to the player. Nothing of them was stored; the phone forgets
    the player too (this handler runs inside the session middleware), so its retry comes as a
    new visitor's. Any other integrity error is a bug, answered 500 as before.
    """
    if not _foreign_key_violation(exc):
        raise exc
    log.warning("row refused on %s %s: %s", request.method, request.url.path, exc)
    pid = request.session.get("pid")
    engine = request.app.state.site.engine
    if isinstance(pid, str) and await db.call(engine, _gone, engine, pid):
        request.session.pop("pid", None)
    return _retry_page(request)


def _gone(engine: Engine, pid: str) -> bool:
    with db.reading(engine) as session:
        return session.get(Player, pid) is None


async def server_error(request: Request, exc: Exception) -> Response:
    # Fault tolerance: a database outage answers 503 "réessayez dans un instant" with
    # Retry-After; the pool reconnects by itself once the database is back (see `web.store.db`).
    if _database_unavailable(exc):
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
        return _retry_page(request)
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    detail = None
    if request.app.state.site.settings.debug:
        detail = "".join(traceback.format_exception(exc))
    return render_error(request, 500, detail=detail)
