"""No dead end, in a real browser: a resident stuck after the last hint passes the first riddle
through htmx and walks on to the next step; another, with JavaScript off, sees the answer of the
step whose campaign allows it (`after_hints: answer` on `moulin` in the example)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Response, expect

from campaigns.model import localise
from web.store.progress import max_hints

from .axe import assert_accessible
from .conftest import Game, PhoneFactory, Shoot

pytestmark = pytest.mark.browser

SLUG = "ou-sommes-nous"


def test_after_the_last_hint_the_player_passes_the_riddle_and_walks_on(
    page: Page, game: Game, shoot: Shoot
) -> None:
    riddle = game.first_riddle()
    after = game.campaign(SLUG).steps[1]
    page.goto(game.url(SLUG, riddle.id))
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("() => { window.__noReload = true; }")
    expect(page.get_by_role("button", name="Passer cette étape")).to_have_count(0)
    # The accessibility tree names the photo by what this crop shows (the stage's own alt).
    photo = page.locator("#play figure.photo img")
    expect(photo).to_have_accessible_name(localise(riddle.stage_alt(0), "fr"))
    for asked in range(1, max_hints(riddle) + 1):
        page.get_by_role("button", name="Un indice ?").click()
        expect(page.locator("#play .feedback-hint")).to_be_visible()
        expect(photo).to_have_accessible_name(localise(riddle.stage_alt(asked), "fr"))
    expect(page.get_by_role("button", name="Un indice ?")).to_have_count(0)
    expect(page.get_by_role("button", name="Voir la réponse")).to_have_count(0)

    page.get_by_label("Votre réponse").fill("Le château de Versailles")
    page.get_by_role("button", name="Répondre").click()
    expect(page.locator("#play .feedback-wrong")).to_have_text(
        "Pas tout à fait… Essayez encore, ou passez cette étape pour y revenir plus tard."
    )

    page.get_by_role("button", name="Passer cette étape").click()
    expect(page.locator("#play .feedback-passed")).to_have_text(
        "Étape passée : elle reste ouverte, revenez-y quand vous voulez."
    )
    expect(page.get_by_label("Votre réponse")).to_be_visible()  # still open, to come back to
    assert page.evaluate("() => window.__noReload") is True
    assert_accessible(page)
    shoot(page, "riddle-passed")

    next_link = page.get_by_role("link", name=f"Étape suivante : {localise(after.title, 'fr')}")
    with page.expect_navigation():
        next_link.click()
    expect(page.get_by_label("Votre réponse")).to_be_visible()  # the sequential trail opened it
    page.goto(game.url(SLUG))
    expect(page.locator("main")).to_contain_text("Passée, à reprendre")


def test_without_javascript_the_player_sees_the_answer_where_the_step_allows_it(
    open_phone: PhoneFactory, game: Game, shoot: Shoot
) -> None:
    page = open_phone(javascript=False)
    posts: list[Response] = []
    page.on("response", lambda r: posts.append(r) if r.request.method == "POST" else None)
    moulin = game.step(SLUG, "moulin")
    game.complete_until(page, SLUG, moulin.id)
    url = game.url(SLUG, moulin.id)
    page.goto(url)
    for _ in range(max_hints(moulin)):
        with page.expect_navigation():
            page.get_by_role("button", name="Un indice ?").click()
    html = page.content()
    assert moulin.answers[0] not in html
    with page.expect_navigation():
        page.get_by_role("button", name="Voir la réponse").click()
    assert page.url.split("#")[0] == url
    expect(page.locator("#play .feedback-answer-seen")).to_have_text(
        "Voici la réponse. L'étape est marquée « réponse vue »."
    )
    expect(page.locator("#play .found")).to_have_text("Réponse vue")
    expect(page.locator("#play .answer-shown")).to_have_text(f"La réponse : {moulin.answers[0]}")
    expect(page.locator("#play .story")).to_contain_text("acte de 1420")
    expect(page.locator("#play")).not_to_contain_text("Trouvé")
    assert [r.status for r in posts][-1] == 303
    shoot(page, "riddle-answer-seen-nojs")
