"""A wrong answer through htmx swaps only the message and leaves the answer form alone:
the player keeps what they typed, the message is scrolled into view where the no-JS page lands
(`#play`) and announced once (one role=alert, in no other live region). The answer is stored and
counted, and the same answer without JavaScript still gets the full page."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, func, select

from tests.web.conftest import World
from tests.web.playing import Resident
from web.store.tables.play import Attempt, RateCounter

ALERT = '<div class="feedback feedback-wrong" role="alert">'


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("fr", "Pas tout à fait… Essayez encore, ou demandez un indice."),
        ("en", "Not quite… Try again, or ask for a hint."),
    ],
)
def test_a_wrong_htmx_answer_swaps_only_the_message_into_view(
    world: World, lang: str, message: str
) -> None:
    campaign = world.campaign()
    step = campaign.steps[0]
    resident = Resident(world, lang=lang, htmx=True)
    url = f"/c/{campaign.slug}/{step.id}"
    resident.get(url)
    wrong = resident.post(url, {"answer": "Le château de Versailles"})
    assert wrong.status_code == 200
    assert wrong.headers["hx-retarget"] == "#feedback"
    assert wrong.headers["hx-reswap"] == "innerHTML show:#play:top"
    assert wrong.text.strip().startswith(ALERT)
    assert f"<p>{message}</p>" in wrong.text
    # No form comes back: the one on the page, with what the player typed, stays as it is.
    assert "<form" not in wrong.text and 'id="play"' not in wrong.text
    with Session(world.site.engine) as session:
        assert session.exec(select(func.count()).select_from(Attempt)).one() == 1
        assert session.exec(select(func.count()).select_from(RateCounter)).one() >= 4


def test_an_empty_htmx_answer_also_keeps_the_form(world: World) -> None:
    campaign = world.campaign()
    step = campaign.steps[0]
    resident = Resident(world, htmx=True)
    url = f"/c/{campaign.slug}/{step.id}"
    resident.get(url)
    empty = resident.post(url, {"answer": "   "})
    assert empty.status_code == 422
    assert empty.headers["hx-retarget"] == "#feedback"
    assert "<p>Saisissez une réponse.</p>" in empty.text and "<form" not in empty.text


def test_the_step_page_has_one_message_slot_and_no_live_region_around_it(world: World) -> None:
    campaign = world.campaign()
    page = Resident(world).get(f"/c/{campaign.slug}/{campaign.steps[0].id}")
    assert page.text.count('<div id="feedback">') == 1
    assert page.text.count('id="answer-form"') == 1
    assert "hx-swap-oob" not in page.text
    play = re.search(r"<section id=\"play\"[^>]*>", page.text)
    assert play and "aria-live" not in play.group(0)
    assert "aria-live" not in page.text


def test_a_right_htmx_answer_still_swaps_the_whole_play_area(world: World) -> None:
    campaign = world.campaign()
    step = campaign.steps[0]
    resident = Resident(world, htmx=True)
    url = f"/c/{campaign.slug}/{step.id}"
    resident.get(url)
    right = resident.post(url, {"answer": step.answers[0]})
    assert "hx-retarget" not in right.headers
    assert right.text.startswith('<section id="play"')
    assert "Bravo" in right.text
