"""The map of a campaign: a list in trail order with `geo:` links and states, a plan drawn as
SVG, and, with the city's PMTiles archive (built here with the `pmtiles` package), a tiled map
whose archive Balises serves in byte ranges. The place of a riddle is on the map only once the
player has solved it. An unusable archive never stops the site: the map draws its plan."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from campaigns.checkpoints import checkpoint_path
from tests.web.conftest import World
from tests.web.maparchive import build_archive
from tests.web.playing import Resident
from web import mapassets

TRAIL = "/c/voie-verte/carte"


def places(page: str) -> list[str]:
    """The titles of the list's places, in order."""
    return [html.unescape(t) for t in re.findall(r'class="place-title">([^<]+)<', page)]


def test_the_markers_are_listed_in_trail_order_with_their_geo_links(world: World) -> None:
    resident = Resident(world)
    page = html.unescape(resident.get(TRAIL).text)
    assert places(page) == [
        "Borne 1 : l'ancienne gare",
        "Borne 2 : le pont de fer",
        "Borne 3 : la maison de la garde-barrière",
        "Borne 4 : la tranchée des orchidées",
    ]
    assert 'href="geo:47.39410,0.68480"' in page and 'href="geo:47.40350,0.71040"' in page
    assert page.count("ouvrir dans votre application de cartes") == 4
    assert "À trouver sur place" in page and "Après les étapes précédentes" in page
    assert "à 630 m du n° 1" in page  # borne 1 → borne 2
    # The plan: four numbered places joined by the route, no tiled map without tiles.
    assert page.count("<circle ") == 4 and "<polyline" in page
    assert 'id="map"' not in page and "leaflet" not in page


def test_a_scanned_marker_is_marked_done(world: World) -> None:
    resident = Resident(world)
    secret = world.settings.secret_key
    resident.get(checkpoint_path(secret, "voie-verte", "borne-1"))
    page = html.unescape(resident.get(TRAIL).text)
    assert 'class="place place-done"' in page and "Fait" in page
    assert 'class="spot spot-done spot-marker"' in page


def test_a_riddle_is_on_the_map_only_once_solved(world: World) -> None:
    resident = Resident(world)
    before = resident.get("/c/ou-sommes-nous/carte")
    assert before.status_code == 200
    assert "Aucun lieu à montrer pour l'instant" in html.unescape(before.text)
    assert "47.391" not in before.text
    campaign = world.campaign()
    tour = campaign.step("tour")
    assert tour is not None
    resident.play_step(campaign.slug, tour)
    after = html.unescape(resident.get("/c/ou-sommes-nous/carte").text)
    assert places(after) == ["Cette tour vous dit quelque chose ?"]
    assert 'href="geo:47.39120,0.68870"' in after


def test_the_campaign_page_links_to_its_map(world: World) -> None:
    page = html.unescape(Resident(world).get("/c/voie-verte").text)
    assert '<a href="/c/voie-verte/carte">Voir la carte du parcours</a>' in page


def test_the_map_in_english(world: World) -> None:
    page = html.unescape(Resident(world, lang="en").get(TRAIL).text)
    assert "Map of the trail" in page and "open in your maps app" in page
    assert "630 m from no. 1" in page


def tiled_world(make_world: Callable[..., World], tmp_path: Path) -> World:
    (tmp_path / "tiles").mkdir(exist_ok=True)
    build_archive(tmp_path / "tiles" / "val-de-loir.pmtiles")
    return make_world(map_tiles=tmp_path / "tiles")


def test_with_the_city_tiles_the_page_draws_a_map_from_self_hosted_files(
    make_world: Callable[..., World], tmp_path: Path
) -> None:
    world = tiled_world(make_world, tmp_path)
    page = html.unescape(Resident(world).get(TRAIL).text)
    if not mapassets.installed():
        missing = "the map library is not fetched (tools/fetch_map_assets.py, run by setup.sh)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(missing)
        pytest.skip(missing)
    assert 'data-tiles="/tuiles/val-de-loir.pmtiles"' in page
    for asset in mapassets.ASSETS:
        assert f'"{asset.url}" integrity="{asset.sri}"' in page
    assert "© les contributeurs d’OpenStreetMap" in page
    assert page.count("<circle ") == 4  # the plan stays for a browser the script fails in


def test_the_archive_is_served_in_byte_ranges(
    make_world: Callable[..., World], tmp_path: Path
) -> None:
    world = tiled_world(make_world, tmp_path)
    whole = (tmp_path / "tiles" / "val-de-loir.pmtiles").read_bytes()
    client = world.client()
    head = client.get("/tuiles/val-de-loir.pmtiles", headers={"Range": "bytes=0-126"})
    assert head.status_code == 206
    assert head.content == whole[:127] and head.content.startswith(b"PMTiles\x03")
    assert head.headers["content-range"] == f"bytes 0-126/{len(whole)}"
    assert head.headers["accept-ranges"] == "bytes"
    beyond = client.get(
        "/tuiles/val-de-loir.pmtiles", headers={"Range": f"bytes={len(whole) + 10}-"}
    )
    assert beyond.status_code == 416
    assert client.get("/tuiles/ailleurs.pmtiles").status_code == 404
    assert client.get("/tuiles/..%2Fbalises.db").status_code == 404


def test_tiles_that_do_not_cover_the_places_leave_the_plan(
    make_world: Callable[..., World], tmp_path: Path
) -> None:
    world = tiled_world(make_world, tmp_path)
    page = Resident(world).get("/c/ou-sommes-nous/carte").text
    assert 'id="map"' not in page  # nothing to place yet
    assert world.site.tiles.archive_for([(48.85, 2.35)]) is None  # Paris: not in the archive


@pytest.mark.parametrize("kind", ["missing", "not-pmtiles", "empty-folder", "wrong-name"])
def test_an_unusable_archive_leaves_the_site_up_and_the_map_to_its_plan(
    make_world: Callable[..., World], tmp_path: Path, kind: str
) -> None:
    setting = {
        "missing": tmp_path / "absent.pmtiles",
        "not-pmtiles": tmp_path / "faux.pmtiles",
        "empty-folder": tmp_path / "vide",
        "wrong-name": tmp_path / "carte.mbtiles",
    }[kind]
    if kind == "not-pmtiles":
        setting.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    elif kind == "empty-folder":
        setting.mkdir()
    elif kind == "wrong-name":
        setting.write_bytes(b"x")
    world = make_world(map_tiles=setting)
    page = Resident(world).get(TRAIL)
    assert page.status_code == 200
    assert 'id="map"' not in page.text and page.text.count("<circle ") == 4
    said = {
        "missing": f"BALISES_MAP_TILES : {setting} n'existe pas",
        "not-pmtiles": f"BALISES_MAP_TILES : {setting} n'est pas une archive PMTiles (version 3)",
        "empty-folder": f"BALISES_MAP_TILES : aucun fichier .pmtiles dans {setting}",
        "wrong-name": f"BALISES_MAP_TILES : {setting} doit être un fichier .pmtiles",
    }[kind]
    assert [str(p) for p in world.site.tiles.problems] == [said]
