"""Text responses compressed for a weak signal: brotli when the browser asks for it, else gzip.

Pages, stylesheets, scripts, JSON and SVG shrink two to five times; photos and PNG cards are
already compressed and are sent as they are, and so is a streamed response (a file download),
which the reverse proxy may compress itself. Brotli (Google's `brotli` binding) runs at quality
5, about as fast as gzip's level 6 and a fifth smaller; responses under 500 bytes are not worth
the CPU. Every compressible response says `Vary: Accept-Encoding` so a shared cache keeps one
copy per encoding.
"""

from __future__ import annotations

import gzip

import brotli
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.htmx import varied

MINIMUM_BYTES = 500
TEXT_TYPES: tuple[str, ...] = ("text/", "application/json", "application/javascript")
TEXT_TYPES += ("image/svg+xml", "application/manifest+json", "application/xml")


def chosen_encoding(accept_encoding: str) -> str | None:
    """`br`, `gzip` or None from an Accept-Encoding header (a `;q=0` refuses one)."""
    offered: dict[str, float] = {}
    for part in accept_encoding.lower().split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        offered[name.strip()] = quality
    for encoding in ("br", "gzip"):
        if offered.get(encoding, 0.0) > 0:
            return encoding
    return None


def compress(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return bytes(brotli.compress(body, quality=5))
    return gzip.compress(body, compresslevel=6, mtime=0)


class Compression:
    """The ASGI middleware: one whole text body compressed, anything else passed through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        encoding = chosen_encoding(Headers(scope=scope).get("accept-encoding", ""))
        start: Message | None = None
        passing = False

        async def send_compressed(message: Message) -> None:
            nonlocal start, passing
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                kind = headers.get("content-type", "")
                textual = kind.startswith(TEXT_TYPES) and "content-encoding" not in headers
                if textual:
                    raw = MutableHeaders(raw=message["headers"])
                    raw["Vary"] = varied(raw.get("vary", ""), "Accept-Encoding")
                if not textual or encoding is None:
                    passing = True
                    await send(message)
                    return
                start = message
                return
            if passing or start is None:
                await send(message)
                return
            body = message.get("body", b"")
            held, start = start, None
            if message.get("more_body", False) or len(body) < MINIMUM_BYTES:
                passing = True
                await send(held)
                await send(message)
                return
            assert encoding is not None
            packed = compress(body, encoding)
            headers = MutableHeaders(raw=held["headers"])
            headers["Content-Encoding"] = encoding
            headers["Content-Length"] = str(len(packed))
            await send(held)
            await send({"type": "http.response.body", "body": packed})

        await self.app(scope, receive, send_compressed)
