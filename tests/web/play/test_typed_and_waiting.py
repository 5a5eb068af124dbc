"""What a player typed stays in the field after a refused answer, a hint or a rate-limit wait,
with or without JavaScript; and a wait is said in seconds that count down (`data-countdown`),
on the step's own page: without JavaScript the 429 is the step page, not the campaign's.

Bad inputs: a script trying many answers on one riddle (429 with its countdown) and a spoofed
`X-Forwarded-For` from an untrusted client (the limit still applies, the page is the same).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import httpx
import pytest

from tests.web.conftest import World
from tests.web.playing import Resident

URL = "/c/ou-sommes-nous/tour"
WRONG = "Le château de Versailles"


def answer_field(page: str) -> str:
    found = re.search(r'<input id="answer"[^>]*>', page)
    assert found, "no answer field"
    return html.unescape(found.group(0))


def slowed(world: World, resident: Resident) -> httpx.Response:
    """Answer wrong until the per-player limit refuses: the refusing response."""
    resident.get(URL)
    for n in range(world.settings.answers_per_minute):
        assert resident.post(URL, {"answer": f"Zanzibar {n}"}).status_code in (200, 303)
    return resident.post(URL, {"answer": WRONG})


def test_without_javascript_a_wrong_answer_comes_back_in_the_field_once(world: World) -> None:
    resident = Resident(world)
    resident.get(URL)
    wrong = resident.post(URL, {"answer": WRONG})
    assert wrong.status_code == 303
    page = resident.get(wrong.headers["location"].split("#")[0]).text
    assert "Pas tout à fait" in page
    assert f'value="{WRONG}"' in answer_field(page)
    assert "value=" not in answer_field(resident.get(URL).text)  # once, like the message


def test_a_refused_answer_page_keeps_what_was_typed(world: World) -> None:
    resident = Resident(world)
    resident.get(URL)
    long = "tour " * 50
    refused = resident.post(URL, {"answer": long})
    assert refused.status_code == 422 and "Réponse trop longue" in refused.text
    assert f'value="{long}"' in answer_field(refused.text)


def test_a_right_answer_is_never_given_back(world: World) -> None:
    resident = Resident(world)
    resident.get(URL)
    resident.post(URL, {"answer": "Tour Saint-Aubin"})
    assert 'id="answer"' not in resident.get(URL).text


def test_an_htmx_hint_gives_the_typed_answer_back_to_the_new_field(world: World) -> None:
    resident = Resident(world, htmx=True)
    resident.get(URL)
    hint = resident.post(URL + "/indice", {"asked": "0", "answer": WRONG})
    assert hint.status_code == 200
    assert f'value="{WRONG}"' in answer_field(hint.text)
    page = Resident(world).get(URL).text
    assert 'hx-include="#answer-form [name=answer], #answer-form [name=choice]"' in page


@pytest.fixture
def strict(make_world: Callable[..., World]) -> World:
    return make_world(answers_per_minute=3)


def test_without_javascript_the_wait_is_the_step_page_with_the_answer_kept(strict: World) -> None:
    resident = Resident(strict)
    refused = slowed(strict, resident)
    assert refused.status_code == 429
    seconds = int(refused.headers["retry-after"])
    assert 1 <= seconds <= 61
    page = html.unescape(refused.text)
    assert "<h1>Cette tour vous dit quelque chose ?</h1>" in page  # the step, not the campaign
    assert "Retour au jeu" not in page
    assert f'value="{WRONG}"' in answer_field(refused.text)
    assert (
        f'<p class="wait" data-countdown="{seconds}" data-ready="Vous pouvez répondre de nouveau.">'
        f"Beaucoup d'essais d'un coup ! Réessayez dans <span data-seconds>{seconds}</span> s.</p>"
    ) in page
    assert 'role="alert"' in refused.text  # a whole page: the message keeps its role


def test_through_htmx_the_wait_counts_down_and_is_said(strict: World) -> None:
    resident = Resident(strict, htmx=True)
    refused = slowed(strict, resident)
    assert refused.status_code == 429
    assert refused.headers["hx-retarget"] == "#feedback"
    seconds = refused.headers["retry-after"]
    text = html.unescape(refused.text)
    assert f"data-announce=\"Beaucoup d'essais d'un coup ! Réessayez dans {seconds} s.\"" in text
    assert f'data-countdown="{seconds}"' in text and "<form" not in text


def test_a_spoofed_forwarded_for_still_meets_the_wait_on_the_step_page(strict: World) -> None:
    resident = Resident(strict)
    resident.client.headers["X-Forwarded-For"] = "203.0.113.7"
    refused = slowed(strict, resident)
    assert refused.status_code == 429
    assert f'value="{WRONG}"' in answer_field(refused.text)
    resident.client.headers["X-Forwarded-For"] = "203.0.113.8"  # a new invented address
    again = resident.post(URL, {"answer": WRONG + " ?"})
    assert again.status_code == 429 and "data-countdown" in again.text
