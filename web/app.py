"""The player site: `create_app(settings)` builds the Starlette application.

`balises serve` runs it through uvicorn's factory mode (`web.app:create_app`). Start-up does the
work that must be done before the first request: create the runtime folders, bring the database
schema to the latest migration (so an upgrade keeps every player's progress), and load the
campaigns: the version last published, kept in the var dir (`web.publication.published`), or on a
first
start the files that validate (each problem is logged, as `balises check` prints it). What grows
with the data (tombstones, the retention purge, the photo sweep) runs once the site answers
(`web.housekeeping`).
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response

from balises.settings import Settings, load_settings, require_secret
from campaigns.sitefile import site_file_for
from web import errors
from web.assets import Assets, htmx_src
from web.compression import Compression
from web.headers import SecurityHeaders
from web.housekeeping import Housekeeping
from web.library.resolver import media_checker, sweep_uploads
from web.maptiles import find_tiles
from web.participation import gallery as participation  # contributions, gallery
from web.play import preview, retrocredit
from web.play.sharing import install as install_sharing  # share cards
from web.publication.published import Store
from web.publication.registry import Registry
from web.redirects import SameSiteRedirects
from web.routes import public
from web.site import Site, utc_now
from web.sitewatch import SiteWatch
from web.staff import auth
from web.staff.routes import staff_routes  # staff area
from web.store import db
from web.store.asyncreads import AsyncReads
from web.store.progress_counts import players_with_progress
from web.templating import STATIC, make_environment

log = logging.getLogger("balises.web")

SESSION_COOKIE = "balises"


async def _http_error(request: Request, exc: Exception) -> Response:
    """`errors.http_error`, but the staff area refuses with its own page, in its language."""
    staff = request.url.path.startswith("/staff")
    if staff and isinstance(exc, HTTPException) and exc.status_code == 403:
        return auth.forbidden(request)
    return await errors.http_error(request, exc)


def create_app(
    settings: Settings | None = None, *, clock: Callable[[], datetime] | None = None
) -> Starlette:
    """The site for `settings` (read from the environment when None).

    `clock` replaces the wall clock (tests play a campaign before, during and after its dates).
    """
    settings = settings or load_settings()
    require_secret(settings)  # `balises serve` made it before starting the workers
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    try:
        (settings.media_dir / "cache").mkdir(parents=True, exist_ok=True)
    except OSError as error:  # read-only media folder: photos are still served (web.images)
        log.warning("media folder %s: %s", settings.media_dir, error.strerror or error)
    engine = db.make_engine(settings.database_url)
    db.migrate(engine, settings.var_dir)
    sweep_uploads(engine, settings)
    checker = media_checker(engine)
    registry = Registry(
        settings.campaigns_path,
        store=Store(settings.var_dir / "published"),
        media_exists=checker,
        progress=lambda removed: players_with_progress(engine, removed),
    )
    reads = AsyncReads(engine)
    assets = Assets(STATIC)
    sitefile = SiteWatch(site_file_for(settings.campaigns_path), assets)  # re-read on edits
    templates = make_environment()
    site = Site(
        settings,
        engine,
        registry,
        templates,
        assets,
        sitefile,
        clock=clock or utc_now,
        reads=reads,
        htmx_src=htmx_src(settings, assets),
    )
    preview.install(site)  # campaigns played before they open, nothing counted
    site.tiles = find_tiles(settings.map_tiles)
    for problem in site.tiles.problems:  # the site starts all the same; the map draws its plan
        log.warning("%s", problem)
    participation.install(site)  # contributions, credits
    install_sharing(site.templates)  # share cards
    retrocredit.install(site)  # credit answers a YAML edit now accepts
    # tombstones, retention purge, photo sweep: after the site answers (web.housekeeping)
    housekeeping = Housekeeping(site)
    https = settings.base_url.startswith("https://")
    middleware = [
        Middleware(Compression),  # outermost: what leaves is what the browser receives
        Middleware(SecurityHeaders, htmx_url=site.htmx_src, https=https),
        Middleware(SameSiteRedirects, base_url=settings.base_url),  # whatever the Host header
        Middleware(
            SessionMiddleware,
            secret_key=settings.secret_key,
            session_cookie=SESSION_COOKIE,
            max_age=settings.session_max_age,
            same_site="lax",
            https_only=https,
        ),
    ]

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        # The ~120,000 objects of a started site (campaigns, templates, modules) made
        # every full garbage collection a 60-70 ms pause of the worker, felt by every request
        # in flight (the load test's p99). Frozen, later collections skip them.
        gc.collect()
        gc.freeze()
        await reads.open()
        housekeeping.start()
        try:
            yield
        finally:
            await reads.close()

    app = Starlette(
        debug=False,
        lifespan=lifespan,
        routes=[*public(), *staff_routes()],
        middleware=middleware,
        exception_handlers={
            HTTPException: _http_error,
            IntegrityError: errors.integrity_error,  # inside the session middleware
            Exception: errors.server_error,
        },
    )
    app.state.site = site
    app.state.housekeeping = housekeeping
    names = ", ".join(c.slug for c in site.registry.campaigns()) or "none"
    log.info("serving campaigns: %s", names)
    return app
