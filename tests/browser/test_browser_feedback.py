"""On a 360×740 phone: a wrong answer reaches a player who had scrolled down to the answer box
(the message comes into view, is said by the page's one live region, and what they typed
stays), and the identification form asks for a name only when the resident wants to be
credited by one."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .axe import assert_accessible
from .conftest import PHONE, Game, PhoneFactory

pytestmark = pytest.mark.browser

SLUG = "ou-sommes-nous"
WRONG = "Le château de Versailles"
WRONG_MESSAGE = "Pas tout à fait… Essayez encore, ou demandez un indice."


def in_viewport(page: Page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not displayed"
    return box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def live_regions_in_accessibility_tree(page: Page) -> list[tuple[str, str, str]]:
    """(role, live politeness, text) of every live region and alert in Chromium's own
    accessibility tree."""
    cdp = page.context.new_cdp_session(page)
    nodes: list[dict[str, Any]] = cdp.send("Accessibility.getFullAXTree")["nodes"]
    by_id = {node["nodeId"]: node for node in nodes}

    def text_under(node: dict[str, Any]) -> str:
        own = node.get("name", {}).get("value", "") if node["role"]["value"] == "StaticText" else ""
        return own + "".join(text_under(by_id[c]) for c in node.get("childIds", []) if c in by_id)

    found = []
    for node in nodes:
        role = node["role"]["value"]
        live = next(
            (p["value"]["value"] for p in node.get("properties", []) if p["name"] == "live"), ""
        )
        if node.get("ignored") or (role not in ("alert", "status") and not live):
            continue
        found.append((role, live, text_under(node)))
    return found


def test_a_wrong_answer_comes_into_view_and_is_announced(page: Page, game: Game) -> None:
    riddle = game.first_riddle(SLUG)
    page.goto(game.url(SLUG, riddle.id))
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("() => { window.__noReload = true; }")
    # The player scrolled down to the answer box: the top of the play area is off-screen.
    page.locator("#answer").evaluate("field => field.scrollIntoView({block: 'start'})")
    assert page.evaluate("() => document.getElementById('play').getBoundingClientRect().top") < 0

    answer = page.get_by_label("Votre réponse")
    answer.fill(WRONG)
    answer.press("Enter")
    message = page.locator("#feedback .feedback-wrong")
    expect(message).to_have_text(WRONG_MESSAGE)
    assert page.evaluate("() => window.__noReload") is True  # swapped in place, no page load
    expect(message).to_be_in_viewport()
    assert in_viewport(page, "#feedback .feedback-wrong")
    expect(answer).to_have_value(WRONG)

    # Said once, politely, by the page's one live region: no alert, no region inside `#play`.
    expect(page.locator("#announcer")).to_have_text(WRONG_MESSAGE)
    assert live_regions_in_accessibility_tree(page) == [("status", "polite", WRONG_MESSAGE)]
    assert_accessible(page)

    # A second wrong answer is said again (the region is emptied first), the field keeps the text.
    page.evaluate(
        """() => new Promise(done => {
            window.__said = [];
            const region = document.getElementById('announcer');
            new MutationObserver(() => window.__said.push(region.textContent))
                .observe(region, {childList: true, characterData: true, subtree: true});
            done();
        })"""
    )
    answer.fill(WRONG + " ?")
    page.get_by_role("button", name="Répondre").click()
    page.wait_for_function("message => window.__said.includes(message)", arg=WRONG_MESSAGE)
    assert page.evaluate("() => window.__said")[0] == ""
    expect(answer).to_have_value(WRONG + " ?")


@pytest.mark.parametrize("javascript", [True, False])
def test_the_name_field_shows_only_for_a_credit_by_name(
    open_phone: PhoneFactory, game: Game, javascript: bool
) -> None:
    page = open_phone(javascript=javascript)
    step = next(s for s in game.campaign(SLUG).steps if s.type.value == "identify")
    game.complete_until(page, SLUG, step.id)
    page.goto(game.url(SLUG, step.id))
    name = page.locator("#credit_name")
    expect(page.get_by_label("Anonymement")).to_be_checked()
    expect(name).to_be_hidden()
    page.get_by_label("Sous un pseudonyme").check()
    expect(name).to_be_visible()
    expect(page.get_by_label("Pseudonyme ou nom à afficher")).to_be_editable()
    if javascript:  # axe-core runs as a script in the page
        assert_accessible(page)
    page.get_by_label("Anonymement").check()
    expect(name).to_be_hidden()
    if javascript:
        assert_accessible(page)
