"""Every page type with the text spaced out and enlarged, at a desk (1280 px): WCAG 1.4.12 and
1.4.4 (RGAA 10.12 and 10.4).

The text-spacing override is the one the WCAG's understanding document gives as a bookmarklet
(line height 1.5, letters 0.12 em, words 0.16 em, 2 em after each paragraph); 200 % is a
text-only zoom, the root font size doubled, the page's width unchanged. With either, no page
scrolls sideways (a table may, in its own container), no text is cut by a box that hides what
overflows or spills out of the box that holds it, no two blocks overlap, and the figures'
charts keep every label inside the picture.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .accounts import PASSWORD, add_account
from .conftest import Game, LiveSite, PhoneFactory, Shoot

pytestmark = pytest.mark.browser

DESK = 1280
SLUG = "ou-sommes-nous"
TRAIL = "voie-verte"
OVERRIDES = {
    "text-spacing": (
        "* { line-height: 1.5 !important; letter-spacing: 0.12em !important;"
        " word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }"
    ),
    "text-200": "html { font-size: 200% !important; }",
}

ADOPT = """css => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}"""

# What a reader would see as broken, found in the laid-out page: text cut by a box that hides
# its overflow, text wider or taller than the box that holds it (it runs over what is next),
# two sibling blocks drawn over one another. Scroll containers (a wide table's) are allowed to
# be wider inside; what is visually hidden on purpose (the live region, the skip link until it
# is focused) is left out.
BROKEN = (Path(__file__).parent / "brokenlayout.js").read_text(encoding="utf-8")

# The labels and values of the figures' charts, each inside its chart's picture.
CHART_LABELS_OUT = """() => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
  const box = svg.viewBox.baseVal;
  return [...svg.querySelectorAll('text')].filter(text => {
    const b = text.getBBox();
    return b.x < box.x - 0.5 || b.y < box.y - 0.5 || b.x + b.width > box.x + box.width + 0.5
      || b.y + b.height > box.y + box.height + 0.5;
  }).map(text => text.textContent);
})"""


def _log_in(page: Page, site: LiveSite) -> None:
    page.goto(site("/staff/login"))
    page.get_by_label("Nom de compte").fill(add_account(site, "cm"))
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/staff")


def _played(page: Page, game: Game) -> None:
    game.complete(page, SLUG, game.first_riddle().id)


def _none(page: Page, game: Game) -> None:
    pass


def _staff(page: Page, game: Game) -> None:
    _played(page, game)
    _log_in(page, game.site)


def _contribution_open(page: Page, game: Game) -> None:
    game.complete_until(page, SLUG, "vos-souvenirs")


def _checkpoint(page: Page, game: Game) -> None:
    page.goto(game.checkpoint_url(TRAIL, game.campaign(TRAIL).steps[0].id))


# page type → (what puts the player there, the page's path)
PAGES: dict[str, tuple[Callable[[Page, Game], None], str]] = {
    "home": (_none, "/"),
    "campaign": (_none, f"/c/{SLUG}"),
    "step": (_none, f"/c/{SLUG}/tour"),
    "checkpoint": (_checkpoint, f"/c/{TRAIL}/borne-1"),
    "map": (_played, f"/c/{SLUG}/carte"),
    "my-page": (_played, "/moi"),
    "contribution-form": (_contribution_open, f"/c/{SLUG}/vos-souvenirs"),
    "legal-notice": (_none, "/mentions-legales"),
    "privacy": (_none, "/donnees-personnelles"),
    "accessibility": (_none, "/accessibilite"),
    "staff-home": (_staff, "/staff"),
    "staff-figures": (_staff, f"/staff/chiffres/{SLUG}"),
    "staff-queue": (_staff, "/staff/moderation"),
}


@pytest.mark.parametrize("override", list(OVERRIDES))
@pytest.mark.parametrize("kind", list(PAGES))
def test_the_page_holds_with_spaced_out_or_enlarged_text(
    kind: str, override: str, open_phone: PhoneFactory, game: Game, shoot: Shoot
) -> None:
    page = open_phone(width=DESK)
    before, path = PAGES[kind]
    before(page, game)
    page.goto(game.site(path))
    expect(page.locator("main h1").first).to_be_visible()
    # as a reader's own style sheet: the site's CSP (style-src 'self') refuses a <style> tag
    page.evaluate(ADOPT, OVERRIDES[override])
    page.evaluate("() => document.fonts.ready")
    shoot(page, f"{override}-{kind}")

    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= DESK, f"{path} scrolls sideways with {override}: {width} px wide"
    assert page.evaluate(BROKEN) == [], f"{path} with {override}"
    assert page.evaluate(CHART_LABELS_OUT) == [], f"{path}: chart labels cut with {override}"
    if kind == "staff-figures":
        assert page.locator("svg.chart").count() > 0  # the charts were there to be checked
        menu = page.locator("nav.staff-menu").bounding_box()
        main = page.locator("main").bounding_box()
        assert menu is not None and main is not None
        assert menu["x"] + menu["width"] <= main["x"], "the menu is no longer a sidebar"
