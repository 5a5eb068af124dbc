"""Arrival by GPS in a real phone browser: borne 4 of the greenway, the position granted to
the page (Playwright's `geolocation`), from the marker and from 320 m away; axe-core on the
page with the button. Every request stays on 127.0.0.1."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .axe import assert_accessible
from .conftest import Game, LiveSite, Shoot, Traffic

pytestmark = pytest.mark.browser

SLUG = "voie-verte"
BORNE_4 = (47.4035, 0.7104)
METRE = 1 / 111_195


def at_the_last_borne(page: Page, game: Game, live_site: LiveSite, metres_north: float) -> None:
    game.complete_until(page, SLUG, "borne-4")
    page.context.grant_permissions(["geolocation"], origin=live_site.url)
    page.context.set_geolocation(
        {"latitude": BORNE_4[0] + metres_north * METRE, "longitude": BORNE_4[1], "accuracy": 8}
    )
    page.goto(game.url(SLUG, "borne-4"))


def test_arriving_at_the_marker_opens_its_story(
    page: Page, game: Game, live_site: LiveSite, traffic: Traffic, shoot: Shoot
) -> None:
    at_the_last_borne(page, game, live_site, metres_north=15)
    expect(page.get_by_text("Votre navigateur va vous demander votre position")).to_be_visible()
    assert_accessible(page)
    shoot(page, "gps-checkpoint")
    page.get_by_role("button", name="Je suis arrivé·e").click()
    expect(page.locator(".feedback-arrived")).to_contain_text("Vous y êtes : balise trouvée !")
    expect(page.locator(".story")).to_contain_text("Le dernier train passa ici en 1969")
    assert traffic.offsite == [] and traffic.console_errors == []


def test_from_320_m_away_the_page_says_how_far(
    page: Page, game: Game, live_site: LiveSite, traffic: Traffic
) -> None:
    at_the_last_borne(page, game, live_site, metres_north=318)
    page.get_by_role("button", name="Je suis arrivé·e").click()
    expect(page.locator(".feedback-too-far")).to_contain_text(
        "Vous êtes à environ 320 m de la balise"
    )
    expect(page.locator(".story")).to_have_count(0)
    assert_accessible(page)
    assert traffic.offsite == [] and traffic.console_errors == []


def test_without_network_the_arrival_is_not_kept_for_later(
    page: Page, game: Game, live_site: LiveSite
) -> None:
    at_the_last_borne(page, game, live_site, metres_north=5)
    page.context.set_offline(True)
    page.get_by_role("button", name="Je suis arrivé·e").click()
    expect(page.locator(".feedback-late")).to_contain_text(
        "Sans réseau, votre arrivée ne peut pas être vérifiée"
    )
    assert page.evaluate("() => localStorage.getItem('balises-queue')") is None
    page.context.set_offline(False)
