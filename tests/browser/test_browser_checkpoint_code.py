"""A resident without a camera opens a checkpoint by typing the code printed under its QR code,
with the keyboard alone: through htmx (the play area swapped in place) and without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from campaigns.checkpoints import short_code

from .axe import assert_accessible
from .conftest import Game, PhoneFactory, Shoot

pytestmark = pytest.mark.browser

TRAIL = "voie-verte"


def _code(game: Game, step: str) -> str:
    return short_code(game.site.settings.secret_key, TRAIL, step)


def test_the_typed_code_opens_the_checkpoint_through_htmx(
    page: Page, game: Game, shoot: Shoot
) -> None:
    page.goto(game.url(TRAIL, "borne-1"))
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("() => { window.__noReload = true; }")
    expect(page.locator(".directions")).to_contain_text("devant l'ancienne gare")
    field = page.get_by_label("Ou tapez le code de la balise")
    expect(field).to_have_accessible_description(
        "Il est écrit en gros sous le QR code, par exemple ABCD-23."
    )
    assert_accessible(page)
    shoot(page, "checkpoint-before-code")
    field.fill("ZZZZ-99")
    field.press("Enter")
    expect(page.locator("#play .feedback-wrong-code")).to_have_text(
        "Ce code n'ouvre pas cette balise. Vérifiez-le sur la plaque et réessayez."
    )
    expect(field).to_have_value("ZZZZ-99")  # only the message was swapped
    field.fill(_code(game, "borne-1").lower().replace("-", " "))
    field.press("Enter")
    expect(page.locator("#play .feedback-scanned")).to_have_text("Balise trouvée !")
    expect(page.locator("#play .story")).to_contain_text("14 mai 1881")
    assert page.evaluate("() => window.__noReload") is True
    shoot(page, "checkpoint-code")


def test_the_typed_code_opens_the_checkpoint_without_javascript(
    open_phone: PhoneFactory, game: Game
) -> None:
    page = open_phone(javascript=False)
    page.goto(game.url(TRAIL, "borne-1"))
    field = page.get_by_label("Ou tapez le code de la balise")
    field.fill(_code(game, "borne-1"))
    with page.expect_navigation():
        field.press("Enter")
    assert page.url.endswith("/c/voie-verte/borne-1#play")
    expect(page.locator("#play .feedback-scanned")).to_have_text("Balise trouvée !")
    expect(page.locator("#play .story")).to_contain_text("14 mai 1881")
