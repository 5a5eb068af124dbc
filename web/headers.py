"""Security headers on every response, as a plain ASGI middleware (no per-request task).

The Content-Security-Policy allows this site and the one htmx URL of the settings, nothing
else: no third-party request, no inline script, no analytics. Pages are private to the player
(they show their progress), so HTML is never stored by shared caches.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def content_security_policy(htmx_url: str) -> str:
    script = "'self'" if htmx_url.startswith("/") else f"'self' {htmx_url}"
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {script}",
            "style-src 'self'",
            "img-src 'self' data:",
            "media-src 'self'",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


MAX_HEADER_BYTES = 32 * 1024


async def send_too_large_headers(send: Send) -> None:
    body = "En-têtes de requête trop volumineux.".encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": 431, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, htmx_url: str, https: bool) -> None:
        self.app = app
        self.headers: list[tuple[str, str]] = [
            ("Content-Security-Policy", content_security_policy(htmx_url)),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"),
            ("X-Frame-Options", "DENY"),
            # Geolocation for this origin only: the "Je suis arrivé·e" button asks for it.
            (
                "Permissions-Policy",
                "geolocation=(self), microphone=(), camera=(), interest-cohort=()",
            ),
            ("Cross-Origin-Opener-Policy", "same-origin"),
        ]
        if https:
            self.headers.append(("Strict-Transport-Security", "max-age=31536000"))
        self.raw = [(name.lower().encode(), value.encode()) for name, value in self.headers]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # Abuse: uvicorn's httptools parser sets no header size limit; refuse oversized
        # headers (nginx's default is 8 KB a line) before any routing, session or database work.
        if sum(len(k) + len(v) for k, v in scope["headers"]) > MAX_HEADER_BYTES:
            await send_too_large_headers(send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = self._completed(message.get("headers", ()))
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _completed(self, headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        """The response's raw headers and every security header it does not set itself.

        Performance: on raw byte pairs, in one pass; Starlette's `MutableHeaders`
        scanned the whole list once per header looked up or set, on every response.
        """
        raw = list(headers)
        present = {name.lower() for name, _ in raw}
        raw += [pair for pair in self.raw if pair[0] not in present]
        if b"cache-control" not in present and any(
            name.lower() == b"content-type" and value.startswith(b"text/html")
            for name, value in raw
        ):
            raw.append((b"cache-control", b"private, no-cache"))
        return raw
