"""The reference for the step page: the same `step.html`, rendered with no database at all.

Balises' own app (so every route, template global and `url_for` of the page is there) with its
step handler swapped for one that builds the view of a new player without opening a session,
and only the session middleware kept (the page reads the session and puts a CSRF token in its
forms). What the real page costs on top of this is its own work: security headers, the player's
progress read, the flash. Served by `benchmarks/load.py` with the same uvicorn options.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from web import app as balises_app
from web.i18n import language
from web.play.steps import show
from web.play.views import campaign_view
from web.site import site
from web.store.progress import Progress


async def step_page(request: Request) -> Response:
    current = site(request)
    campaign, step = current.step_in(request)
    lang = language(request, campaign)
    view = campaign_view(current, None, request, campaign, lang, mine=Progress())
    return show(request, view, step)


def create_app() -> Starlette:
    app = balises_app.create_app()
    routes = app.router.routes
    for index, route in enumerate(routes):
        if getattr(route, "name", "") == "step":
            routes[index] = Route(route.path, step_page, methods=["GET"], name="step")  # type: ignore[attr-defined]
    app.user_middleware = [m for m in app.user_middleware if m.cls is SessionMiddleware]  # type: ignore[comparison-overlap]
    return app
