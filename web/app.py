"""The player site: `create_app(settings)` builds the Starlette application.

`balises serve` runs it through uvicorn's factory mode (`web.app:create_app`). Start-up does the
work that must be done before the first request: create the runtime folders, bring the database
schema to the latest migration (so an upgrade keeps every player's progress), and load the
campaigns: the version last published, kept in the var dir (`web.published`), or on a first
start the files that validate (each problem is logged, as `balises check` prints it).
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from balises.settings import Settings, load_settings, require_secret
from web import (  # purge, retro-crediting (issue 6)
    db,
    errors,
    pages,
    photos,
    retention,
    retrocredit,
    routeids,
    scans,
    steps,
    tombstones,  # deletion tombstones re-applied on start
)
from web import gallery as participation  # contributions, gallery (issue 6)
from web.asyncreads import AsyncReads
from web.headers import SecurityHeaders
from web.identifications import identification_routes  # photos mystères (issue 6)
from web.ledger import ledger_routes  # thank-you ledger (issue 6)
from web.moderation import moderation_routes  # moderation queue (issue 6)
from web.mydata import mydata_routes  # player data, forget me (issue 6)
from web.progress_counts import players_with_progress
from web.published import Store
from web.redirects import SameSiteRedirects
from web.registry import Registry
from web.reports import report_routes  # damaged marker reports (issue 5)
from web.sharing import install as install_sharing  # share cards (issue 5)
from web.sharing import sharing_routes  # share cards (issue 5)
from web.site import Site, utc_now
from web.staff.figures_routes import figures_routes  # cm figures (issue 6)
from web.staff.mediaresolver import media_checker, sweep_uploads
from web.staff.printing import printing_routes  # QR printing (issue 5)
from web.staff.routes import staff_routes  # staff area (issue 4)
from web.templating import make_environment

log = logging.getLogger("balises.web")

STATIC = Path(__file__).resolve().parent / "static"
SESSION_COOKIE = "balises"


def routes() -> list[Route | Mount]:
    """The public URLs (fixed by SPEC.md: they are printed on posters and QR codes)."""
    routeids.register()  # `{name:id}`, used by the gallery, moderation, ledger and reports
    return [
        Route("/", pages.home, name="home"),
        Route("/healthz", pages.healthz, name="healthz"),
        Route("/moi", pages.me, name="me"),
        *mydata_routes(),  # my data download, forget me (issue 6)
        Route("/reprendre", pages.me, methods=["GET"], name="resume-form"),
        Route("/reprendre", pages.resume, methods=["POST"], name="resume"),
        Route("/c/{campaign}", pages.campaign_start, name="campaign"),
        Route("/c/{campaign}/merci", pages.finale, name="finale"),
        *participation.gallery_routes(),  # gallery (issue 6): before {step}
        *sharing_routes(),  # share cards (issue 5): before {step}, which would take them
        Route("/c/{campaign}/{step}", steps.step_page, methods=["GET"], name="step"),
        Route("/c/{campaign}/{step}", steps.answer, methods=["POST"], name="answer"),
        Route("/c/{campaign}/{step}/indice", steps.ask_hint, methods=["POST"], name="hint"),
        Route("/k/{campaign}/{step}/{token}", scans.scan, name="checkpoint"),
        Route("/p/{campaign}/{step}/{stage}-{width:int}.{fmt}", photos.photo, name="photo"),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
        *staff_routes(),  # staff area (issue 4)
        *moderation_routes(),  # moderation queue (issue 6)
        *identification_routes(),  # photos mystères (issue 6)
        *figures_routes(),  # cm figures (issue 6)
        *ledger_routes(),  # thank-you ledger (issue 6)
        *report_routes(),  # damaged marker reports (issue 5)
        *printing_routes(),  # QR printing (issue 5)
    ]


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
    site = Site(settings, engine, registry, make_environment(), clock=clock or utc_now, reads=reads)
    # deletion tombstones: forget again whoever a restored backup brought back
    tombstones.reapply(engine, settings.var_dir, registry.campaigns(), settings.media_dir)
    participation.install(site.templates)  # contributions, credits (issue 6)
    install_sharing(site.templates)  # share cards (issue 5)
    retrocredit.install(site)  # credit answers a YAML edit now accepts (issue 6)
    retention.purge_on_start(site)  # player data past retention (issue 6)
    participation.sweep_photos(site)  # photos left by a crash or the purge (issue 6)
    https = settings.base_url.startswith("https://")
    middleware = [
        Middleware(SecurityHeaders, htmx_url=settings.htmx_url, https=https),
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
        # Issue 7: the ~120,000 objects of a started site (campaigns, templates, modules) made
        # every full garbage collection a 60-70 ms pause of the worker, felt by every request
        # in flight (the load test's p99). Frozen, later collections skip them.
        gc.collect()
        gc.freeze()
        await reads.open()
        try:
            yield
        finally:
            await reads.close()

    app = Starlette(
        debug=False,
        lifespan=lifespan,
        routes=routes(),
        middleware=middleware,
        exception_handlers={
            HTTPException: errors.http_error,
            IntegrityError: errors.integrity_error,  # inside the session middleware
            Exception: errors.server_error,
        },
    )
    app.state.site = site
    names = ", ".join(c.slug for c in site.registry.campaigns()) or "none"
    log.info("serving campaigns: %s", names)
    return app
