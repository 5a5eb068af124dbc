"""The map page on a phone, with the city's tiles: a real PMTiles archive that the tests build,
served by Balises in byte ranges and drawn by the self-hosted Leaflet and protomaps-leaflet.
Every request goes to 127.0.0.1; axe-core finds nothing serious on the page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, Response, expect

from tests.web.maparchive import build_archive
from web import mapassets

from .axe import assert_accessible
from .conftest import Game, LiveSite, Shoot, Traffic, free_socket, serving, site_settings

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    """The site with the city's tiles (this module's own)."""
    if not mapassets.installed():
        pytest.fail("the map library is missing: run tools/fetch_map_assets.py (setup.sh does)")
    folder = tmp_path_factory.mktemp("tiles")
    build_archive(folder / "val-de-loir.pmtiles")
    sock = free_socket()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    var = tmp_path_factory.mktemp("browser-map-var")
    with serving(sock, site_settings(var, base, BALISES_MAP_TILES=str(folder))) as live:
        yield live


@pytest.fixture(scope="module")
def game(live_site: LiveSite) -> Game:
    return Game(live_site)


def test_the_map_is_drawn_from_the_city_tiles_served_here(
    page: Page, game: Game, traffic: Traffic, shoot: Shoot
) -> None:
    tiles: list[Response] = []
    page.on("response", lambda r: tiles.append(r) if "/tuiles/" in r.url else None)
    game.complete(page, "voie-verte", "borne-1")
    page.goto(game.url("voie-verte") + "/carte")
    expect(page.locator("#map .leaflet-pane").first).to_be_attached()
    expect(page.locator("body.map-drawn")).to_be_attached()
    expect(page.locator("#map path.leaflet-interactive")).to_have_count(5)  # 4 markers, 1 route
    expect(page.locator("#map canvas").first).to_be_attached()
    page.wait_for_timeout(500)
    assert tiles and all(r.status == 206 for r in tiles), [(r.url, r.status) for r in tiles]
    expect(page.locator(".leaflet-control-attribution")).to_contain_text(
        "© les contributeurs d’OpenStreetMap"
    )
    expect(page.locator("#places li")).to_have_count(4)  # the list stays below the map
    assert_accessible(page)
    shoot(page, "map-tiles")
    assert traffic.offsite == [] and traffic.console_errors == []
