"""The reference app of `benchmarks/http_bench.py`: the smallest Starlette app answering.

Its requests per second are the ceiling for this server, loop and machine; the Balises pages are
reported as a fraction of it, so the figures mean something on any machine.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route


async def hello(request: Request) -> PlainTextResponse:
    return PlainTextResponse("hello")


app = Starlette(routes=[Route("/", hello)])
