"""Every redirect stays on this site: a `Location` is relative, or on `BALISES_BASE_URL`.

The handlers redirect to paths, but Starlette builds some redirects itself from the request's
`Host` header: `/staff/` → `http://<Host>/staff` (its trailing-slash redirect). Behind a proxy
that forwards any Host, or on a server reached by its address, `Host: evil.example.com` made the
site send a resident or a staff member to another site. This plain ASGI middleware (no
per-request task) looks at the one header of each response start: an absolute `Location` on
another origin than the configured base URL becomes its path, query and fragment; a relative one
that a browser would read as another host (`//evil.example.com`, `/\\evil.example.com`) keeps
a single leading slash.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def on_site(location: str, base_url: str) -> str:
    """`location` if it stays on the site of `base_url`, else the same path on this site."""
    parts = urlsplit(location.strip())
    path = parts.path
    if parts.scheme or parts.netloc:
        if (parts.scheme.lower(), parts.netloc.lower()) == _origin(base_url):
            return location
        path = "/" + path.lstrip("/")  # the same path, on this site
    if path[:1] in ("/", "\\"):
        path = "/" + path.lstrip("/\\")  # "//host/x" and "/\\host/x" are other hosts
    return urlunsplit(("", "", path, parts.query, parts.fragment))


class SameSiteRedirects:
    def __init__(self, app: ASGIApp, *, base_url: str) -> None:
        self.app = app
        self.base_url = base_url

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_on_site(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    (name, self._checked(value) if name.lower() == b"location" else value)
                    for name, value in message.get("headers", ())
                ]
            await send(message)

        await self.app(scope, receive, send_on_site)

    def _checked(self, value: bytes) -> bytes:
        location = value.decode("latin-1")
        return on_site(location, self.base_url).encode("latin-1")
