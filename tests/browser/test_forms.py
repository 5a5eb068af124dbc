"""What residents send, in a real browser: a contribution form states its rules, exposes nothing
as invalid before any input, and after a refusal opens on its error summary (focused, each link
taking the keyboard to its field), each field saying its error, what was typed kept; its file
input is a 44 px target."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .axe import assert_accessible
from .axtree import invalid_controls
from .conftest import Game, PhoneFactory

pytestmark = pytest.mark.browser

SLUG = "ou-sommes-nous"


def contribution_page(page: Page, game: Game) -> str:
    step = next(s for s in game.campaign(SLUG).steps if s.type.value == "contribution")
    game.complete_until(page, SLUG, step.id)
    url = game.url(SLUG, step.id)
    page.goto(url)
    return url


@pytest.mark.parametrize("javascript", [True, False])
def test_a_refused_contribution_opens_on_its_summary(
    open_phone: PhoneFactory, game: Game, javascript: bool
) -> None:
    page = open_phone(javascript=javascript)
    contribution_page(page, game)
    expect(page.get_by_text("Envoyez une photo, quelques mots, ou les deux.")).to_be_visible()
    assert invalid_controls(page) == []  # nothing is wrong before anything is sent
    box = page.locator("#photo").bounding_box()
    assert box is not None and box["height"] >= 44, box
    if javascript:
        assert_accessible(page)

    page.locator("#text").fill("La place du marché, un dimanche de 1962.")
    page.get_by_label("Sous un pseudonyme").check()
    # The pseudonym is left empty: the browser lets the form go, the server refuses it.
    page.get_by_role("checkbox").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer").click()

    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Rien n'a été envoyé : 1 point à revoir")
    name = page.get_by_label("Pseudonyme ou nom à afficher")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_accessible_description(
        "80 caractères au plus. Écrivez le nom ou le pseudonyme à afficher, ou choisissez"
        " « Anonymement »."
    )
    assert invalid_controls(page) == ["Pseudonyme ou nom à afficher"]
    expect(page.locator("#text")).to_have_value("La place du marché, un dimanche de 1962.")
    expect(page.get_by_label("Sous un pseudonyme")).to_be_checked()
    expect(page.get_by_role("checkbox")).to_be_checked()
    colour = page.locator(".field-error").evaluate("e => getComputedStyle(e).color")
    assert colour == "rgb(138, 59, 0)", colour  # the warning colour, not the success green
    if javascript:
        assert_accessible(page)

    page.keyboard.press("Tab")  # from the summary to its one link, which leads to the field
    expect(page.locator("#form-errors a")).to_be_focused()
    page.keyboard.press("Enter")
    assert page.url.endswith("#credit_name")
    expect(name).to_be_focused()  # a fragment link to a control focuses it: no script needed
    page.keyboard.type("Jeannot")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer").click()
    expect(page.locator("#play .feedback-contributed")).to_contain_text("Merci !")


def test_my_page_exposes_nothing_as_invalid_before_any_input(page: Page, game: Game) -> None:
    game.complete(page, SLUG, game.first_riddle(SLUG).id)
    page.goto(game.site("/moi"))
    expect(page.get_by_label("Je confirme : effacer toutes mes données")).to_be_visible()
    assert invalid_controls(page) == []
