"""A wrong answer through htmx swaps only the feedback and an emptied answer form (issue 7):
the rest of the play area is untouched, the answer is stored and counted, and the same answer
without JavaScript still gets the full page."""

from __future__ import annotations

import re

from sqlmodel import Session, func, select

from tests.web.conftest import World
from tests.web.playing import Resident
from web.tables import Attempt, RateCounter


def test_a_wrong_htmx_answer_swaps_only_the_feedback_and_an_empty_form(world: World) -> None:
    campaign = world.campaign()
    step = campaign.steps[0]
    resident = Resident(world, htmx=True)
    url = f"/c/{campaign.slug}/{step.id}"
    resident.get(url)
    wrong = resident.post(url, {"answer": "Le château de Versailles"})
    assert wrong.status_code == 200
    assert wrong.headers["hx-retarget"] == "#feedback"
    assert wrong.headers["hx-reswap"] == "outerHTML"
    assert wrong.text.startswith('<div id="feedback">')
    assert "Pas tout à fait" in wrong.text
    assert 'id="play"' not in wrong.text and "<figure" not in wrong.text
    form = re.search(r'<form [^>]*id="answer-form"[^>]*>', wrong.text)
    assert form and 'hx-swap-oob="true"' in form.group(0)
    assert 'name="answer"' in wrong.text and "Versailles" not in wrong.text
    with Session(world.site.engine) as session:
        assert session.exec(select(func.count()).select_from(Attempt)).one() == 1
        assert session.exec(select(func.count()).select_from(RateCounter)).one() >= 4


def test_the_step_page_has_the_places_the_fragment_swaps(world: World) -> None:
    campaign = world.campaign()
    page = Resident(world).get(f"/c/{campaign.slug}/{campaign.steps[0].id}")
    assert page.text.count('<div id="feedback">') == 1
    assert page.text.count('id="answer-form"') == 1
    assert "hx-swap-oob" not in page.text


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
