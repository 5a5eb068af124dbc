"""A wrong answer through htmx swaps only the message and leaves the answer form alone:
the player keeps what they typed, the message is scrolled into view where the no-JS page lands
(`#play`) and handed to the page's one live region (`data-announce`: no role of its own, so it is
said once). Every other htmx answer names what takes the focus (`data-focus`): the new hint, the
story's heading, the link onwards. The answer is stored and counted, and the same answer
without JavaScript still gets the full page."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from tests.web.conftest import World
from tests.web.playing import Resident
from web.store.tables.play import Attempt, RateCounter

ANNOUNCED = '<div class="feedback feedback-wrong" data-announce="{message}">'


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
    assert wrong.text.strip().startswith(ANNOUNCED.format(message=message))
    assert "role=" not in wrong.text and "aria-live" not in wrong.text
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


def test_the_step_page_has_one_message_slot_and_one_live_region_outside_play(
    world: World,
) -> None:
    campaign = world.campaign()
    page = Resident(world).get(f"/c/{campaign.slug}/{campaign.steps[0].id}")
    assert page.text.count('<div id="feedback">') == 1
    assert page.text.count('id="answer-form"') == 1
    assert "hx-swap-oob" not in page.text
    play = re.search(r"<section id=\"play\"[^>]*>", page.text)
    assert play and "aria-live" not in play.group(0)
    assert page.text.count("aria-live") == 1
    region = page.text.index('<div id="announcer"')
    assert 'role="status" aria-live="polite"' in page.text[region : region + 120]
    assert region < page.text.index('<section id="play"')
    assert re.search(r'<script src="/static/balises\.[0-9a-f]+\.js" defer></script>', page.text)
    assert "data-focus" not in page.text and "data-announce" not in page.text


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
    title = step.title if isinstance(step.title, str) else step.title["fr"]
    assert f'data-announce="Bravo, vous avez trouvé ! {title}"' in right.text
    # The story's heading takes the focus: the next Tab goes on into the story and onwards.
    assert '<h2 id="story-title" data-focus>L\'histoire</h2>' in right.text
    assert right.text.count("data-focus") == 1 and "role=" not in right.text


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("fr", "Voici un indice, et une vue plus large de la photo. Elle a perdu son abbaye"),
        ("en", "Here's a hint, and a larger view of the photo. It lost its abbey"),
    ],
)
def test_an_htmx_hint_is_said_with_its_text_and_takes_the_focus(
    world: World, lang: str, said: str
) -> None:
    campaign = world.campaign()
    step = campaign.steps[0]
    resident = Resident(world, lang=lang, htmx=True)
    url = f"/c/{campaign.slug}/{step.id}"
    resident.get(url)
    hint = resident.post(url + "/indice", {"asked": "0"})
    assert hint.status_code == 200
    assert f'data-announce="{said}' in hint.text.replace("&#39;", "'")
    assert re.search(r"<li data-focus>[^<]+</li></ol>", hint.text), hint.text
    assert hint.text.count("data-focus") == 1


NO_STORY = textwrap.dedent(
    """\
    version: 1
    campaigns:
      - slug: sans-histoire
        title: "Sans histoire"
        opens: 2026-01-01T09:00
        steps:
          - id: devinette
            type: riddle
            title: "Une devinette"
            photo: photos/enigme-1-pierre.jpg
            alt: "Une tour de pierre"
            text: "Quel est le fleuve de la ville ?"
            answers: ["Loir"]
          - id: suite
            type: riddle
            title: "La suite"
            photo: photos/enigme-1-pierre.jpg
            alt: "Une tour de pierre"
            text: "Et son affluent ?"
            answers: ["Braye"]
    """
)


def test_an_htmx_answer_without_story_focuses_the_link_to_the_next_step(
    make_world: Callable[..., World], campaign_dir: Path
) -> None:
    (campaign_dir / "campaigns.yaml").write_text(NO_STORY, encoding="utf-8")
    world = make_world()
    resident = Resident(world, htmx=True)
    resident.get("/c/sans-histoire/devinette")
    right = resident.post("/c/sans-histoire/devinette", {"answer": "loir"})
    assert '<a class="button" href="/c/sans-histoire/suite" data-focus>' in right.text
    assert 'data-announce="Bravo, vous avez trouvé ! Une devinette"' in right.text
    assert "story-title" not in right.text


def test_an_htmx_error_is_said_by_the_live_region_not_by_an_alert_in_a_polite_region(
    world: World,
) -> None:
    campaign = world.campaign()
    step = campaign.steps[0]
    resident = Resident(world, htmx=True)
    url = f"/c/{campaign.slug}/{step.id}"
    resident.get(url)
    resident.token = "forged"
    refused = resident.post(url, {"answer": "x"})
    assert refused.status_code == 403
    assert "aria-live" not in refused.text and 'role="alert"' not in refused.text
    assert 'data-announce="Cette action n&#39;a pas pu être vérifiée.' in refused.text
    assert "data-focus" in refused.text
