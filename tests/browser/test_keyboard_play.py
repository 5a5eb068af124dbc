"""A resident who plays with the keyboard alone (Tab, Shift+Tab, Enter, Space), with a screen
reader: a riddle through a wrong answer, two hints, the right answer and on to the next step.

With htmx only a fragment of the page changes, so after each action the test asserts where the
focus is (the next Tab must go on from the new hint to the answer field, never fall back to the
page's top or its footer) and what the page's one live region says. Without JavaScript the
same forms post a page that lands on `#play`: the next Tab goes on from there the same way.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from campaigns.model import localise

from .axe import assert_accessible
from .axtree import invalid_controls
from .conftest import Game, PhoneFactory

pytestmark = pytest.mark.browser

SLUG = "ou-sommes-nous"
WRONG = "Le château de Versailles"


def focused(page: Page) -> str:
    """The focused element, as `tag#id.class` and its text: what a test can compare."""
    return str(
        page.evaluate(
            """() => {
              const e = document.activeElement;
              if (!e || e === document.body) return "body";
              const cls = e.className ? "." + String(e.className).split(" ").join(".") : "";
              return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + cls;
            }"""
        )
    )


def tab_to(page: Page, selector: str, *, most: int = 30) -> None:
    """Press Tab until `selector` has the focus, as a keyboard user would."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never got the focus; stopped on {focused(page)}")


def test_a_riddle_played_with_the_keyboard_through_htmx(page: Page, game: Game) -> None:
    riddle = game.first_riddle(SLUG)
    hints = [localise(h, "fr") for h in riddle.hints]
    page.goto(game.url(SLUG, riddle.id))
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("() => { window.__noReload = true; }")
    announcer = page.locator("#announcer")
    expect(announcer).to_have_attribute("aria-live", "polite")
    expect(announcer).to_have_text("")
    assert announcer.evaluate("e => e.closest('#play')") is None

    tab_to(page, "#answer")
    page.keyboard.type(WRONG)
    page.keyboard.press("Enter")
    expect(announcer).to_have_text("Pas tout à fait… Essayez encore, ou demandez un indice.")
    assert focused(page) == "input#answer"  # the field keeps the focus and what was typed
    expect(page.locator("#answer")).to_have_value(WRONG)
    # Said once: the message on the page is no alert of its own, and sits in no live region.
    roles = page.locator("#play [role=alert], #play [role=status], #play [aria-live]")
    expect(roles).to_have_count(0)

    for number, hint in enumerate(hints, start=1):
        tab_to(page, "form.hint button")
        page.keyboard.press("Space" if number == 1 else "Enter")
        new = page.locator("#play .hints li").nth(number - 1)
        expect(new).to_be_focused()
        expect(new).to_have_text(hint)
        expect(new).to_be_in_viewport()
        expect(announcer).to_contain_text(hint)
        expect(announcer).to_contain_text("Voici un indice")
        page.keyboard.press("Tab")  # on from the hint: the answer, not the footer
        assert focused(page) == "input#answer", focused(page)
        expect(page.locator("#answer")).to_have_value(WRONG)  # what was typed came along
    assert page.evaluate("() => window.__noReload") is True
    expect(page.locator("form.hint")).to_have_count(0)  # no hint left
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Répondre")).to_be_focused()
    page.keyboard.press("Shift+Tab")  # back to the field
    assert focused(page) == "input#answer", focused(page)

    page.keyboard.type(riddle.answers[0])
    page.keyboard.press("Enter")
    title = localise(riddle.title, "fr")
    expect(announcer).to_have_text(f"Bravo, vous avez trouvé ! {title}")
    heading = page.get_by_role("heading", name="L'histoire")
    expect(heading).to_be_focused()
    expect(heading).to_be_in_viewport()
    assert_accessible(page)
    following = game.campaign(SLUG).steps[1]
    tab_to(page, "a.button", most=5)
    onwards = page.get_by_role("link", name=f"Étape suivante : {localise(following.title, 'fr')}")
    expect(onwards).to_be_focused()
    assert page.evaluate("() => window.__noReload") is True
    page.keyboard.press("Enter")
    page.wait_for_url(game.url(SLUG, following.id))
    expect(page.locator("h1")).to_have_text(localise(following.title, "fr"))


def test_without_javascript_the_next_tab_after_a_hint_is_the_answer(
    open_phone: PhoneFactory, game: Game
) -> None:
    page = open_phone(javascript=False)
    riddle = game.first_riddle(SLUG)
    page.goto(game.url(SLUG, riddle.id))
    tab_to(page, "form.hint button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("#play")
    expect(page.locator("#play .hints li")).to_have_count(1)
    page.keyboard.press("Tab")
    assert focused(page) == "input#answer", focused(page)
    page.keyboard.type(riddle.answers[0])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#play .feedback-solved")).to_contain_text("Bravo")
    expect(page.get_by_role("heading", name="L'histoire")).to_be_visible()
    tab_to(page, "a.button", most=5)
    expect(page.locator("a.button")).to_contain_text("Étape suivante")


def test_a_marker_report_sent_with_the_keyboard_is_said_and_focused(page: Page, game: Game) -> None:
    slug = "voie-verte"
    checkpoint = next(s for s in game.campaign(slug).steps if s.type.value == "checkpoint")
    page.goto(game.url(slug, checkpoint.id))
    page.wait_for_function("() => window.htmx !== undefined")
    tab_to(page, ".report-marker button")
    page.keyboard.press("Enter")
    thanks = page.locator("#report-title")
    expect(thanks).to_be_focused()
    expect(page.locator("#announcer")).to_contain_text("Merci ! Votre signalement est transmis")


def test_the_step_page_in_the_accessibility_tree_before_and_after_answering(
    page: Page, game: Game
) -> None:
    riddle = game.first_riddle(SLUG)
    page.goto(game.url(SLUG, riddle.id))
    page.wait_for_function("() => window.htmx !== undefined")
    play = page.locator("#play")
    before = play.aria_snapshot()
    # the photo is named by what its first crop shows (the stage's own alt)
    assert f'- img "{localise(riddle.stage_alt(0), "fr")}"' in before, before
    assert '- textbox "Votre réponse"' in before
    assert '- button "Répondre"' in before and '- button "Un indice ?"' in before
    assert "[invalid]" not in before and invalid_controls(page) == []

    page.get_by_label("Votre réponse").fill(WRONG)
    page.get_by_label("Votre réponse").press("Enter")
    expect(page.locator("#announcer")).to_contain_text("Pas tout à fait")
    assert invalid_controls(page) == []  # a wrong answer is no invalid field
    page.get_by_label("Votre réponse").fill(riddle.answers[0])
    page.get_by_label("Votre réponse").press("Enter")
    expect(page.get_by_role("heading", name="L'histoire")).to_be_focused()
    after = play.aria_snapshot()
    assert '- heading "L\'histoire" [level=2]' in after, after
    assert "- textbox" not in after and f'- img "{localise(riddle.stage_alt(None), "fr")}"' in after


def test_a_question_s_required_choices_are_not_invalid_before_a_choice(
    page: Page, game: Game
) -> None:
    question = next(s for s in game.campaign(SLUG).steps if s.choices)
    game.complete_until(page, SLUG, question.id)
    page.goto(game.url(SLUG, question.id))
    expect(page.get_by_role("radio")).to_have_count(len(question.choices))
    assert invalid_controls(page) == []
