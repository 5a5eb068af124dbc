"""Too many answers at once, in a real browser on a site of its own (two wrong answers a minute):
the wait counts down second by second, the answer stays in its field, and the page's live region
says when answering is possible again. Without JavaScript the wait is the step's own page.

The browser's clock is Playwright's: the test moves it on instead of waiting a minute.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from campaigns.model import localise

from .conftest import Game, LiveSite, PhoneFactory, site_with

pytestmark = pytest.mark.browser

SLUG = "ou-sommes-nous"
WRONG = "Le château de Versailles"


@pytest.fixture(scope="module")
def strict_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    with site_with(tmp_path_factory.mktemp("strict-var"), BALISES_ANSWERS_PER_MINUTE="2") as site:
        yield site


def step_url(site: LiveSite, game: Game) -> str:
    return site(f"/c/{SLUG}/{game.first_riddle(SLUG).id}")


def answer_until_slowed(page: Page) -> None:
    field = page.get_by_label("Votre réponse")
    for n in range(2):
        field.fill(f"Zanzibar {n}")
        field.press("Enter")
        expect(page.locator("#feedback .feedback-wrong")).to_be_visible()
        page.locator("#feedback").evaluate("e => e.replaceChildren()")
    field.fill(WRONG)
    field.press("Enter")


def test_the_wait_counts_down_and_says_when_answering_is_possible_again(
    open_phone: PhoneFactory, strict_site: LiveSite, game: Game
) -> None:
    page = open_phone()
    page.clock.install()
    page.goto(step_url(strict_site, game))
    page.wait_for_function("() => window.htmx !== undefined")
    answer_until_slowed(page)
    wait = page.locator("#feedback .wait")
    expect(wait).to_contain_text("Beaucoup d'essais d'un coup ! Réessayez dans")
    announcer = page.locator("#announcer")
    expect(announcer).to_contain_text("Réessayez dans")
    expect(page.get_by_label("Votre réponse")).to_have_value(WRONG)
    seconds = int(wait.locator("[data-seconds]").inner_text())
    assert 1 <= seconds <= 61

    page.clock.run_for(2_000)
    expect(wait.locator("[data-seconds]")).to_have_text(str(seconds - 2))
    expect(announcer).to_contain_text("Réessayez dans")  # the seconds are not read one by one

    page.clock.run_for(seconds * 1000)
    expect(wait).to_have_text("Vous pouvez répondre de nouveau.")
    expect(announcer).to_have_text("Vous pouvez répondre de nouveau.")
    expect(page.get_by_label("Votre réponse")).to_have_value(WRONG)


def test_without_javascript_the_wait_stays_on_the_step(
    open_phone: PhoneFactory, strict_site: LiveSite, game: Game
) -> None:
    page = open_phone(javascript=False)
    url = step_url(strict_site, game)
    page.goto(url)
    field = page.get_by_label("Votre réponse")
    for n in range(2):
        field.fill(f"Zanzibar {n}")
        with page.expect_navigation():
            field.press("Enter")
    field.fill(WRONG)
    with page.expect_navigation() as navigation:
        field.press("Enter")
    response = navigation.value
    assert response is not None and response.status == 429
    expect(page.locator("h1")).to_have_text(localise(game.first_riddle(SLUG).title, "fr"))
    expect(page.get_by_role("alert")).to_contain_text("Réessayez dans")
    expect(page.get_by_label("Votre réponse")).to_have_value(WRONG)
    expect(page.get_by_role("link", name="Retour au jeu")).to_have_count(0)
