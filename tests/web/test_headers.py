"""The security headers every response carries, without overriding what a route set itself."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from web.headers import SecurityHeaders


def _client(*, https: bool = False) -> TestClient:
    def page(_request: Request) -> Response:
        return HTMLResponse("<p>Bonjour</p>")

    def photo(_request: Request) -> Response:
        headers = {"Cache-Control": "public, max-age=31536000", "X-Frame-Options": "SAMEORIGIN"}
        return HTMLResponse("<p>cached</p>", headers=headers)

    def text(_request: Request) -> Response:
        return PlainTextResponse("a,b")

    app = Starlette(routes=[Route("/", page), Route("/photo", photo), Route("/csv", text)])
    wrapped = SecurityHeaders(app, htmx_url="https://unpkg.com/htmx.org@2.0.11", https=https)
    return TestClient(wrapped)  # type: ignore[arg-type]


def test_a_page_gets_every_security_header_and_stays_out_of_shared_caches() -> None:
    response = _client().get("/")
    assert response.headers["content-security-policy"].startswith("default-src 'self'; ")
    assert (
        "script-src 'self' https://unpkg.com/htmx.org@2.0.11;"
        in (response.headers["content-security-policy"])
    )
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cross-origin-opener-policy"] == "same-origin"
    # The site may ask for the phone's position ("Je suis arrivé·e"); no embedded origin may.
    assert response.headers["permissions-policy"] == (
        "geolocation=(self), microphone=(), camera=(), interest-cohort=()"
    )
    assert response.headers["cache-control"] == "private, no-cache"
    assert "strict-transport-security" not in response.headers


def test_what_a_route_sets_itself_is_kept_and_not_repeated() -> None:
    response = _client().get("/photo")
    assert response.headers.get_list("cache-control") == ["public, max-age=31536000"]
    assert response.headers.get_list("x-frame-options") == ["SAMEORIGIN"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_only_html_is_marked_private() -> None:
    response = _client().get("/csv")
    assert "cache-control" not in response.headers
    assert response.headers["x-content-type-options"] == "nosniff"


def test_https_adds_strict_transport_security() -> None:
    response = _client(https=True).get("/")
    assert response.headers["strict-transport-security"] == "max-age=31536000"
