"""The two shapes of route the site uses: a page (GET, and HEAD with it) and a form's POST.

One line per URL in `web.routes` and `web.staff.routes`, where each table lists them all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

Endpoint = Callable[[Request], Awaitable[Response]]


def page(path: str, endpoint: Endpoint, name: str) -> Route:
    return Route(path, endpoint, methods=["GET"], name=name)


def form(path: str, endpoint: Endpoint, name: str) -> Route:
    return Route(path, endpoint, methods=["POST"], name=name)
