"""The site's static files under fingerprinted URLs, cached for a year by every browser.

On a weak signal the second page must not wait for the stylesheet again: each file is served
at a URL carrying a digest of its content (`/static/balises.3f2a1b9c0d.css`), so it can be kept
`immutable` for a year, and a new release changes the URL instead of waiting for caches to
expire. The files are read once at start (a few kilobytes); the city's own files (its colours,
logo and icons, `web.identity`) are added to the same table. A URL without its digest is still
answered, with a short lifetime, for pages cached before a release.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from starlette.responses import PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

from balises.messages import _
from balises.settings import SELF, Settings, SettingsError

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=3600"
DIGEST_LENGTH = 10
TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
TYPES |= {".svg": "image/svg+xml", ".ico": "image/x-icon", ".webmanifest": "application/json"}


@dataclass(frozen=True)
class Asset:
    content: bytes
    media_type: str
    digest: str


def media_type_of(name: str) -> str:
    suffix = PurePosixPath(name).suffix
    return TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def fingerprinted(name: str, digest: str) -> str:
    """`balises.css` with digest `3f2a…` as `balises.3f2a….css`."""
    path = PurePosixPath(name)
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


class Assets:
    """Every static file by name (`balises.css`, `vendor/htmx.min.js`, `site/logo.svg`), and the
    ASGI app that serves them under `/static`."""

    def __init__(self, folder: Path) -> None:
        self._by_name: dict[str, Asset] = {}
        self._by_url: dict[str, tuple[Asset, str]] = {}
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                name = path.relative_to(folder).as_posix()
                self.add(name, path.read_bytes(), media_type_of(name))

    def add(self, name: str, content: bytes, media_type: str | None = None) -> str:
        """Serve `content` as `name`; its fingerprinted URL."""
        digest = hashlib.sha256(content).hexdigest()[:DIGEST_LENGTH]
        asset = Asset(content, media_type or media_type_of(name), digest)
        self._by_name[name] = asset
        self._by_url[fingerprinted(name, digest)] = (asset, IMMUTABLE)
        self._by_url[name] = (asset, SHORT)
        return self.url(name)

    def has(self, name: str) -> bool:
        return name in self._by_name

    def content(self, name: str) -> bytes:
        return self._by_name[name].content

    def url(self, name: str) -> str:
        """The URL a page links to: `/static/` and the name with its digest."""
        asset = self._by_name[name]
        return "/static/" + fingerprinted(name, asset.digest)

    def response(self, path: str) -> Response:
        found = self._by_url.get(path.lstrip("/"))
        if found is None:
            return PlainTextResponse("Introuvable.", status_code=404)
        asset, cache = found
        return Response(
            asset.content, media_type=asset.media_type, headers={"Cache-Control": cache}
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] not in ("GET", "HEAD"):
            response: Response = PlainTextResponse("Méthode non permise.", status_code=405)
        else:
            response = self.response(scope["path"].removeprefix(scope.get("root_path", "")))
        await response(scope, receive, send)


HTMX_FILE = "vendor/htmx.min.js"  # fetched at setup by scripts/fetch_htmx.py, checked there


def sri_of(data: bytes) -> str:
    """The Subresource Integrity value a browser computes for `data` (sha384, base64)."""
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def htmx_src(settings: Settings, assets: Assets) -> str:
    """Where pages load htmx from: its CDN, or with `BALISES_HTMX_URL=self` the pinned copy
    Balises ships, refused at start when it is missing or is not the pinned file."""
    if settings.htmx_url != SELF:
        return settings.htmx_url
    if not assets.has(HTMX_FILE):
        raise SettingsError(
            _(
                "BALISES_HTMX_URL=self : la copie de htmx manque (web/static/%(file)s) ; "
                "lancez scripts/setup.sh, qui la télécharge et vérifie son empreinte"
            )
            % {"file": HTMX_FILE}
        )
    if sri_of(assets.content(HTMX_FILE)) != settings.htmx_sri:
        raise SettingsError(
            _(
                "BALISES_HTMX_URL=self : web/static/%(file)s n'est pas le fichier attendu "
                "(empreinte différente de BALISES_HTMX_SRI) ; relancez scripts/setup.sh"
            )
            % {"file": HTMX_FILE}
        )
    return assets.url(HTMX_FILE)
