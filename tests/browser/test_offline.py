"""Offline play on a phone: the campaign opened online, the network cut
(`context.set_offline(True)`), the step read from the phone's copy and answered offline ("kept,
checked when the network is back"), the network back: the answer is sent, judged, and the page
shows the true outcome and the story. Every request stays on 127.0.0.1."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from campaigns.model import localise

from .conftest import Game, LiveSite, Traffic

pytestmark = pytest.mark.browser

SLUG = "ou-sommes-nous"


def controlled(page: Page) -> None:
    """Wait until the service worker controls the page (the first visit installs it)."""
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.ready")
    page.evaluate("() => navigator.serviceWorker.ready")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def test_an_answer_given_offline_is_judged_when_the_network_is_back(
    page: Page, game: Game, traffic: Traffic
) -> None:
    riddle = game.first_riddle()
    page.goto(game.url(SLUG))
    controlled(page)
    page.goto(game.url(SLUG, riddle.id))
    expect(page.get_by_label("Votre réponse")).to_be_visible()

    page.context.set_offline(True)
    page.reload()  # from the phone's copy
    expect(page.get_by_label("Votre réponse")).to_be_visible()
    page.get_by_label("Votre réponse").fill(riddle.answers[0])
    page.get_by_role("button", name="Répondre").click()
    expect(page.locator(".feedback-queued")).to_contain_text(
        "Enregistré, vérifié dès le retour du réseau."
    )
    story = localise(riddle.story, "fr").split("\n")[0].replace("**", "")[:30]
    expect(page.get_by_text(story)).to_have_count(0)

    page.context.set_offline(False)  # the browser says "online": the page sends what it kept
    expect(page.locator(".feedback-solved")).to_contain_text("Bravo, vous avez trouvé !")
    expect(page.locator(".feedback-queued")).to_contain_text(
        "Le réseau est revenu : ce que vous aviez envoyé hors ligne est vérifié."
    )
    expect(page.locator(".story")).to_be_visible()
    assert traffic.offsite == []


def test_a_page_never_opened_says_there_is_no_network(page: Page, game: Game) -> None:
    page.goto(game.url(SLUG))
    controlled(page)
    page.context.set_offline(True)
    page.goto(game.url("voie-verte"))
    expect(page.get_by_role("heading", name="Pas de réseau")).to_be_visible()
    page.context.set_offline(False)


def test_the_trail_taken_along_opens_offline(page: Page, game: Game) -> None:
    riddle = game.first_riddle()
    page.goto(game.url(SLUG))
    controlled(page)
    page.get_by_role("button", name="Emporter le parcours").click()
    expect(page.locator("#take-status")).to_contain_text("Parcours emporté")
    page.context.set_offline(True)
    page.goto(game.url(SLUG, riddle.id))  # never opened: taken along
    expect(page.get_by_label("Votre réponse")).to_be_visible()
    expect(page.locator("#play figure.photo img")).to_be_visible()
    page.context.set_offline(False)


def test_an_answer_lost_on_a_jammed_network_is_kept_too(
    page: Page, game: Game, live_site: LiveSite
) -> None:
    """The phone believes it is online, but the answer's request fails: it is kept all the same
    and sent again once a request goes through."""
    riddle = game.first_riddle()
    page.goto(game.url(SLUG, riddle.id))
    page.wait_for_function("() => window.htmx !== undefined")
    page.route(
        f"{live_site.url}/c/{SLUG}/{riddle.id}",
        lambda route: route.abort() if route.request.method == "POST" else route.fallback(),
    )
    page.get_by_label("Votre réponse").fill(riddle.answers[0])
    page.get_by_role("button", name="Répondre").click()
    expect(page.locator(".feedback-queued")).to_contain_text("Enregistré")
    page.unroute(f"{live_site.url}/c/{SLUG}/{riddle.id}")
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(page.locator(".feedback-solved")).to_contain_text("Bravo, vous avez trouvé !")
