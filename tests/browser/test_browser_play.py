"""A resident plays the first riddle on a phone: wrong answer, hint, right answer, story.

Once through htmx (each answer and hint swaps the play area in place: a marker set on `window`
before the first answer survives to the end, which a page load would wipe), and once with
JavaScript off, where the same forms post a full page and come back through a 303.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Response, expect

from campaigns.model import Step, localise

from .conftest import Game, PhoneFactory, Shoot, Traffic

pytestmark = pytest.mark.browser

WRONG = "Le château de Versailles"


def crop_stage(page: Page) -> str:
    """The reveal stage of the photo shown in the play area (`0`, `1`, … or `full`)."""
    src = page.locator("#play figure.photo img").get_attribute("src") or ""
    match = re.search(r"/(\w+)-\d+\.\w+(?:\?v=[0-9a-f]{10})?$", src)  # ?v=: the crop's version
    assert match, f"unexpected photo URL {src!r}"
    return match[1]


def assert_no_accepted_answer(page: Page, step: Step) -> None:
    html = page.content().lower()
    for answer in step.answers:
        assert answer.lower() not in html, f"the page shows an accepted answer: {answer!r}"


def test_riddle_through_htmx_swaps_in_place(
    page: Page, game: Game, traffic: Traffic, shoot: Shoot
) -> None:
    riddle = game.first_riddle()
    page.goto(game.url("ou-sommes-nous", riddle.id))
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("() => { window.__noReload = true; }")
    assert crop_stage(page) == "0"
    expect(page.locator("#play .hints li")).to_have_count(0)

    page.get_by_label("Votre réponse").fill(WRONG)
    page.get_by_role("button", name="Répondre").click()
    feedback = page.locator("#play .feedback-wrong")
    expect(feedback).to_contain_text("Pas tout à fait")
    assert page.evaluate("() => window.__noReload") is True
    assert_no_accepted_answer(page, riddle)
    expect(page.get_by_label("Votre réponse")).to_have_value(WRONG)  # kept, to correct it
    shoot(page, "riddle-wrong-answer")

    page.get_by_role("button", name="Un indice ?").click()
    hints = page.locator("#play .hints li")
    expect(hints).to_have_count(1)
    expect(hints.first).to_have_text(localise(riddle.hints[0], "fr"))
    assert crop_stage(page) == "1"
    assert page.evaluate("() => window.__noReload") is True
    shoot(page, "riddle-hint")

    page.get_by_label("Votre réponse").fill("  tour st aubin ")
    page.get_by_role("button", name="Répondre").click()
    expect(page.locator("#play .feedback-solved")).to_contain_text("Bravo")
    story_start = localise(riddle.story, "fr").split("\n")[0].replace("**", "")[:30]
    expect(page.locator("#play .story")).to_contain_text(story_start)
    expect(page.locator("#play .found")).to_contain_text("Trouvé avec 1 indice")
    assert crop_stage(page) == "full"
    expect(page.locator("#play .step-credits")).to_contain_text("Lucie Perrin")
    assert page.evaluate("() => window.__noReload") is True
    assert traffic.cdn == [game.site.settings.htmx_url]
    shoot(page, "riddle-solved")


def test_riddle_without_javascript_posts_full_pages(
    open_phone: PhoneFactory, game: Game, shoot: Shoot
) -> None:
    page = open_phone(javascript=False)
    posts: list[Response] = []
    page.on("response", lambda r: posts.append(r) if r.request.method == "POST" else None)
    riddle = game.first_riddle()
    url = game.url("ou-sommes-nous", riddle.id)
    page.goto(url)

    page.get_by_label("Votre réponse").fill(WRONG)
    with page.expect_navigation():
        page.get_by_role("button", name="Répondre").click()
    expect(page.locator("#play .feedback-wrong")).to_contain_text("Pas tout à fait")
    assert page.url.split("#")[0] == url
    assert_no_accepted_answer(page, riddle)

    with page.expect_navigation():
        page.get_by_role("button", name="Un indice ?").click()
    expect(page.locator("#play .hints li")).to_have_count(1)
    assert crop_stage(page) == "1"

    page.get_by_label("Votre réponse").fill(riddle.answers[0].upper())
    with page.expect_navigation():
        page.get_by_role("button", name="Répondre").click()
    expect(page.locator("#play .feedback-solved")).to_contain_text("Bravo")
    expect(page.locator("#play .story")).to_be_visible()
    assert crop_stage(page) == "full"
    assert [r.status for r in posts] == [303, 303, 303]
    shoot(page, "riddle-solved-nojs")

    page.reload()  # the one-time feedback is gone, the solve stays
    expect(page.locator("#play .feedback")).to_have_count(0)
    expect(page.locator("#play .story")).to_be_visible()


def test_question_with_choices_through_htmx(page: Page, game: Game, shoot: Shoot) -> None:
    slug = "ou-sommes-nous"
    question = next(s for s in game.campaign(slug).steps if s.choices)
    game.complete_until(page, slug, question.id)
    page.goto(game.url(slug, question.id))
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("() => { window.__noReload = true; }")
    radios = page.get_by_role("radio")
    expect(radios).to_have_count(len(question.choices))
    wrong = next(c for c in question.choices if c != question.correct)
    page.get_by_role("radio", name=localise(wrong, "fr")).check()
    page.get_by_role("button", name="Répondre").click()
    expect(page.locator("#play .feedback-wrong")).to_be_visible()
    page.get_by_role("radio", name=localise(question.correct, "fr")).check()
    page.get_by_role("button", name="Répondre").click()
    expect(page.locator("#play .feedback-solved")).to_be_visible()
    expect(page.locator("#play .story")).to_be_visible()
    assert page.evaluate("() => window.__noReload") is True
