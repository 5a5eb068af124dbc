"""Offline play: the installable site (`/manifest.webmanifest`, its icons), the service worker
at the root scope (`/sw.js`), the page shown when the network is gone (`/hors-ligne`), and what
"Emporter le parcours" stores (`/c/{campaign}/emporter`).

The service worker only keeps copies of what the phone already fetched, page by page (network
first, the copy when there is no network), so it can never hold more than the player was shown.
What a player sends offline is kept by `offline.js` in the page and sent again, in order, when
the network comes back; the server judges each as of its arrival. "Emporter le parcours" asks
this module for the addresses of what the player may see now (the campaign page, the steps
open or done, their photos at the crops reached): never a later crop, never an answer, since
the pages themselves hold none. "Oublier mes données" clears it all (`Clear-Site-Data`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from campaigns.model import Campaign
from media.icons import APP_ICON_SIZES, app_icon
from web import i18n
from web.i18n import language
from web.play.pages import site_language
from web.play.photos import OPEN_STATES
from web.play.views import CampaignView, campaign_view, step_view
from web.site import Site, site
from web.store import db
from web.templating import STATIC, render

OFFLINE_PAGE = "/hors-ligne"


def manifest(request: Request) -> Response:
    lang = site_language(request)
    i18n.use(lang)
    body = {
        "name": "Balises",
        "short_name": "Balises",
        "description": i18n.gettext("Jeux de piste de votre ville, sans compte ni application."),
        "lang": lang,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#fbfaf6",
        "theme_color": "#0b5d4b",
        "icons": [
            {"src": f"/icone-{size}.png", "sizes": f"{size}x{size}", "type": "image/png"}
            for size in APP_ICON_SIZES
        ]
        + [
            {
                "src": "/icone-512.png",
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            }
        ],
    }
    headers = {"Cache-Control": "public, max-age=3600"}
    return JSONResponse(body, media_type="application/manifest+json", headers=headers)


async def web_manifest(request: Request) -> Response:
    return manifest(request)


async def icon(request: Request) -> Response:
    size = request.path_params["size"]
    if size not in APP_ICON_SIZES:
        return Response(status_code=404)
    headers = {"Cache-Control": "public, max-age=86400"}
    return Response(app_icon(size), media_type="image/png", headers=headers)


@lru_cache(maxsize=1)
def _worker(path: Path = STATIC / "sw.js") -> bytes:
    return path.read_bytes()


async def service_worker(request: Request) -> Response:
    """`/sw.js`, from the root so that its scope is the whole site; never cached for long, so a
    new version reaches phones at their next visit."""
    body = _worker()
    headers = {"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"}
    return Response(body, media_type="text/javascript", headers=headers)


async def offline_page(request: Request) -> Response:
    return render(request, "offline.html", {}, lang=site_language(request))


def _srcset(value: str) -> list[str]:
    return [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]


def take_away(current: Site, view: CampaignView) -> list[str]:
    """The addresses of what the player may see now, for the phone to keep."""
    slug = view.campaign.slug
    assets = current.assets
    urls = [f"/c/{slug}", OFFLINE_PAGE, assets.url("balises.css"), assets.url("offline.js")]
    urls += [assets.url("balises.js"), assets.url("site/colours.css")]
    if any(step.where is not None for step in view.campaign.steps):
        urls.append(f"/c/{slug}/carte")
    if any(step.by_gps for step in view.campaign.steps):
        urls.append(assets.url("arrive.js"))
    for status in view.statuses:
        if status.state not in OPEN_STATES and not status.awaits_scan:
            continue
        urls.append(f"/c/{slug}/{status.step.id}")
        picture = step_view(current, view, status.step).picture
        if picture is not None:
            urls += [picture.src, *_srcset(picture.webp), *_srcset(picture.jpeg)]
    return list(dict.fromkeys(urls))


def _take(current: Site, request: Request, campaign: Campaign) -> Response:
    lang = language(request, campaign)
    with db.reading(current.engine) as session:
        view = campaign_view(current, session, request, campaign, lang)
    body = json.dumps({"urls": take_away(current, view)})
    return Response(body, media_type="application/json", headers={"Cache-Control": "no-store"})


async def take_trail(request: Request) -> Response:
    """`GET /c/{campaign}/emporter`: what "Emporter le parcours" stores on the phone."""
    current = site(request)
    campaign = current.campaign_in(request)
    return await db.call(current.engine, _take, current, request, campaign)
