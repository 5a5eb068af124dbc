"""Every page type a resident meets, in Chromium on a phone: accessible, readable, offline.

Each page type is reached as a player would (answers posted with the page's own cookie), then
checked with axe-core (no serious or critical violation), at 320 px wide (nothing wider than
the screen), and saved as a screenshot under test-artifacts/screenshots/ for review.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from campaigns.model import localise

from .axe import assert_accessible
from .conftest import Game, PhoneFactory, Shoot, Traffic

pytestmark = pytest.mark.browser

SLUG = "ou-sommes-nous"
TRAIL = "voie-verte"
RESUME_CODE = re.compile(r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")


def _home(page: Page, game: Game) -> None:
    page.goto(game.site("/"))
    title = localise(game.campaign(SLUG).title, "fr")
    expect(page.get_by_role("link", name=title)).to_be_visible()


def _campaign_start(page: Page, game: Game) -> None:
    page.goto(game.url(SLUG))
    expect(page.get_by_role("link", name="Commencer")).to_be_visible()


def _riddle(page: Page, game: Game) -> None:
    page.goto(game.url(SLUG, game.first_riddle().id))
    page.get_by_label("Votre réponse").fill("La mairie")
    page.get_by_role("button", name="Répondre").click()
    expect(page.locator(".feedback-wrong")).to_be_visible()
    page.get_by_role("button", name="Un indice ?").click()
    expect(page.locator(".hints li")).to_have_count(1)


def _riddle_english(page: Page, game: Game) -> None:
    riddle = game.first_riddle()
    page.goto(game.url(SLUG, riddle.id) + "?lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(localise(riddle.title, "en"))
    # The first crop, described as far as it shows (its stage's own alt).
    expect(page.locator("#play img")).to_have_attribute("alt", localise(riddle.stage_alt(0), "en"))


def _solved(page: Page, game: Game) -> None:
    riddle = game.first_riddle()
    game.complete(page, SLUG, riddle.id)
    page.goto(game.url(SLUG, riddle.id))
    expect(page.locator(".story")).to_be_visible()


def _question(page: Page, game: Game) -> None:
    question = next(s for s in game.campaign(SLUG).steps if s.choices)
    game.complete_until(page, SLUG, question.id)
    page.goto(game.url(SLUG, question.id))
    expect(page.get_by_role("radio")).to_have_count(len(question.choices))


def _identify(page: Page, game: Game) -> None:
    step = next(s for s in game.campaign(SLUG).steps if s.type.value == "identify")
    game.complete_until(page, SLUG, step.id)
    page.goto(game.url(SLUG, step.id))
    expect(page.locator("textarea")).to_be_visible()


def _checkpoint(page: Page, game: Game) -> None:
    first = game.campaign(TRAIL).steps[0]
    page.goto(game.checkpoint_url(TRAIL, first.id))
    expect(page.locator(".feedback-scanned")).to_be_visible()
    expect(page.locator(".story")).to_be_visible()


def _merci(page: Page, game: Game) -> None:
    game.complete_until(page, SLUG)
    page.goto(game.url(SLUG, "merci"))
    finale = game.campaign(SLUG).finale
    assert finale is not None
    expect(page.locator("h1")).to_have_text(localise(finale.title, "fr"))
    for contributor in game.campaign(SLUG).contributors:
        expect(page.locator(".credits")).to_contain_text(localise(contributor.name, "fr"))


def _not_found(page: Page, game: Game) -> None:
    response = page.goto(game.url(SLUG, "nulle-part"))
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Page introuvable")


def _progress(page: Page, game: Game) -> None:
    game.complete(page, SLUG, game.first_riddle().id)
    page.goto(game.site("/moi"))
    expect(page.locator(".code")).to_have_text(RESUME_CODE)


PAGE_TYPES: dict[str, Callable[[Page, Game], None]] = {
    "home": _home,
    "campaign-start": _campaign_start,
    "riddle-step": _riddle,
    "riddle-step-english": _riddle_english,
    "solved-step": _solved,
    "question-choices": _question,
    "identify-step": _identify,
    "checkpoint": _checkpoint,
    "merci-credits": _merci,
    "error-404": _not_found,
    "progress-resume": _progress,
}


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_page_type_is_accessible_and_fits_a_small_phone(
    name: str, open_phone: PhoneFactory, game: Game, shoot: Shoot, traffic: Traffic
) -> None:
    page = open_phone()
    PAGE_TYPES[name](page, game)
    shoot(page, name)

    assert_accessible(page)

    page.set_viewport_size({"width": 320, "height": 640})
    width = page.evaluate("() => document.documentElement.scrollWidth")
    shoot(page, f"{name}-320px")
    assert width <= 320, f"{page.url} scrolls sideways at 320 px: {width} px wide"
    assert traffic.offsite == [], f"third-party requests: {traffic.offsite}"
    assert traffic.console_errors == [], "\n".join(traffic.console_errors)


def test_htmx_comes_from_the_pinned_cdn_url_with_its_integrity(
    page: Page, game: Game, traffic: Traffic
) -> None:
    settings = game.site.settings
    page.goto(game.url(SLUG, game.first_riddle().id))
    # htmx, the site's own script, and offline.js (registers the service worker).
    expect(page.locator('script[src^="/static/balises."][src$=".js"]')).to_have_count(1)
    expect(page.locator('script[src^="/static/offline."][src$=".js"]')).to_have_count(1)
    script = page.locator("script[integrity]")
    expect(script).to_have_count(1)
    assert script.get_attribute("src") == settings.htmx_url
    assert script.get_attribute("integrity") == settings.htmx_sri
    assert script.get_attribute("crossorigin") == "anonymous"
    # The browser ran the file only because its hash matched the integrity attribute.
    page.wait_for_function("() => window.htmx !== undefined")
    assert page.evaluate("() => htmx.version") == settings.htmx_url.split("@")[1].split("/")[0]
    assert traffic.cdn == [settings.htmx_url]


def test_a_player_session_makes_no_third_party_request(
    page: Page, game: Game, traffic: Traffic
) -> None:
    for path in ("/", f"/c/{SLUG}", f"/c/{SLUG}/merci", f"/c/{TRAIL}", "/moi"):
        page.goto(game.site(path))
    for step in game.campaign(SLUG).steps[:3]:
        game.complete(page, SLUG, step.id)
        page.goto(game.url(SLUG, step.id))
        page.locator("figure.photo img").first.evaluate("img => img.decode()")
    game.complete(page, TRAIL, game.campaign(TRAIL).steps[0].id)
    assert traffic.offsite == []
    assert traffic.console_errors == [], "\n".join(traffic.console_errors)
    assert traffic.cdn, "htmx was never requested: the test saw no real page"
