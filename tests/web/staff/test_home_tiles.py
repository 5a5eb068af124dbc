"""The staff home says why the map draws its plan when the city's tile archive is unusable."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from tests.web.conftest import World
from tests.web.staff.conftest import add_user, login


def test_the_staff_home_says_why_the_tiles_are_not_used(
    make_world: Callable[..., World], tmp_path: Path
) -> None:
    broken = tmp_path / "val-de-loir.pmtiles"
    broken.write_bytes(b"<html>not found</html>")
    world = make_world(map_tiles=broken)
    add_user(world, "lea", "staff")
    page = html.unescape(login(world.client()).get("/staff").text)
    assert "La carte des campagnes montre un plan dessiné au lieu des tuiles de la ville :" in page
    assert f"BALISES_MAP_TILES : {broken} n'est pas une archive PMTiles (version 3)" in page


def test_without_the_setting_the_staff_home_says_nothing_of_tiles(
    make_world: Callable[..., World],
) -> None:
    world = make_world()
    add_user(world, "lea", "staff")
    assert "BALISES_MAP_TILES" not in login(world.client()).get("/staff").text
