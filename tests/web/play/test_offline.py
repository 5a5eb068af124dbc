"""Offline play, the server's half: the installable site (manifest, icons), the service worker
at the root scope, the page shown without network, what "Emporter le parcours" stores (never a
later crop, never a locked step), and "Oublier mes données" clearing what the phone kept."""

from __future__ import annotations

import html
import io
import json
import re

from PIL import Image

from tests.web.conftest import World
from tests.web.playing import Resident


def test_the_site_is_installable(world: World) -> None:
    client = world.client()
    manifest = client.get("/manifest.webmanifest")
    assert manifest.status_code == 200
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    body = json.loads(manifest.text)
    assert (body["name"], body["start_url"], body["scope"], body["display"]) == (
        "Balises",
        "/",
        "/",
        "standalone",
    )
    for icon in body["icons"]:
        png = client.get(icon["src"])
        assert png.status_code == 200 and png.headers["content-type"] == "image/png"
        size = int(icon["sizes"].split("x")[0])
        assert Image.open(io.BytesIO(png.content)).size == (size, size)
    assert client.get("/icone-100.png").status_code == 404
    page = client.get("/").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert re.search(r'<script src="/static/offline\.[0-9a-f]+\.js" defer></script>', page)


def test_the_service_worker_is_served_from_the_root(world: World) -> None:
    worker = world.client().get("/sw.js")
    assert worker.status_code == 200
    assert worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["service-worker-allowed"] == "/"
    assert worker.headers["cache-control"] == "no-cache"
    assert world.settings.htmx_url not in worker.text  # another site's file is never kept


def test_the_offline_page(world: World) -> None:
    page = html.unescape(world.client().get("/hors-ligne").text)
    assert "<h1>Pas de réseau</h1>" in page and "data-offline-page" in page
    english = world.client(headers={"Accept-Language": "en"}).get("/hors-ligne").text
    assert "<h1>No network</h1>" in english


def test_taking_the_trail_along_stores_only_what_the_player_may_see(world: World) -> None:
    resident = Resident(world)
    page = html.unescape(resident.get("/c/ou-sommes-nous").text)
    assert 'data-take="/c/ou-sommes-nous/emporter" hidden>Emporter le parcours</button>' in page
    taken = resident.get("/c/ou-sommes-nous/emporter")
    assert taken.headers["cache-control"] == "no-store"
    urls = json.loads(taken.text)["urls"]
    assert "/c/ou-sommes-nous" in urls and "/hors-ligne" in urls
    assert "/c/ou-sommes-nous/tour" in urls
    assert "/c/ou-sommes-nous/pont" not in urls  # locked until the tower is found
    photos = [u for u in urls if u.startswith("/p/")]
    assert photos and all(u.startswith("/p/ou-sommes-nous/tour/0-") for u in photos)
    for url in photos:
        assert resident.get(url).status_code == 200
    campaign = world.campaign()
    tour = campaign.step("tour")
    assert tour is not None
    resident.play_step(campaign.slug, tour)
    urls = json.loads(resident.get("/c/ou-sommes-nous/emporter").text)["urls"]
    assert "/c/ou-sommes-nous/pont" in urls
    assert any(u.startswith("/p/ou-sommes-nous/tour/full-") for u in urls)  # solved: whole
    assert not any(u.startswith("/p/ou-sommes-nous/pont/1-") for u in urls)  # not yet asked


def test_forgetting_clears_what_the_phone_kept(world: World) -> None:
    resident = Resident(world)
    resident.get("/c/ou-sommes-nous")
    resident.get("/moi")
    done = resident.post("/moi/oubli", {"confirm": "oui"})
    assert done.status_code == 303
    assert done.headers["clear-site-data"] == '"cache", "storage"'
    after = resident.get(done.headers["location"])
    assert after.headers["clear-site-data"] == '"cache", "storage"'
    assert "clear-site-data" not in resident.get("/moi").headers
