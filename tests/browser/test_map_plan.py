"""The map page on a phone without the city's tiles, and without JavaScript: the plan drawn by
the server and the list with its `geo:` links; axe-core finds nothing serious."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible
from .conftest import Game, PhoneFactory, Shoot, Traffic

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False])
def test_without_tiles_the_map_is_a_plan_and_a_list(
    open_phone: PhoneFactory, game: Game, traffic: Traffic, shoot: Shoot, javascript: bool
) -> None:
    page = open_phone(javascript=javascript)
    page.goto(game.url("voie-verte") + "/carte")
    expect(page.locator("#plan svg circle")).to_have_count(4)
    expect(page.locator("#map")).to_have_count(0)
    first = page.locator("#places li").first
    expect(first).to_contain_text("Borne 1 : l'ancienne gare")
    expect(first.locator("a.geo")).to_have_attribute("href", "geo:47.39410,0.68480")
    if javascript:  # axe-core runs as a script in the page
        assert_accessible(page)
    shoot(page, f"map-plan-{'js' if javascript else 'nojs'}")
    assert traffic.offsite == [] and traffic.console_errors == []
