"""Residents play campaigns.example.yaml to the finale: in French and English, with and without
htmx, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlmodel import Session, func, select

from campaigns.checkpoints import checkpoint_path
from campaigns.model import localise
from tests.web.conftest import World
from tests.web.playing import Resident
from web.store.tables.participation import Proposal, Submission
from web.store.tables.play import Attempt, Solve


@pytest.mark.parametrize("htmx", [False, True], ids=["full-page", "htmx"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_resident_plays_the_example_to_the_finale(world: World, lang: str, htmx: bool) -> None:
    campaign = world.campaign("ou-sommes-nous")
    resident = Resident(world, lang=lang, htmx=htmx)
    start = resident.get("/c/ou-sommes-nous")
    assert start.status_code == 200
    assert f'<html lang="{lang}">' in start.text
    assert localise(campaign.title, lang) in start.text.replace("&#39;", "'")

    for step in campaign.steps:
        resident.play_step(campaign.slug, step)

    finale = resident.get("/c/ou-sommes-nous/merci")
    assert finale.status_code == 200
    assert campaign.finale is not None
    text = finale.text.replace("&#39;", "'")
    assert localise(campaign.finale.title, lang) in text
    for contributor in campaign.contributors:
        assert localise(contributor.name, lang) in text
    with Session(world.site.engine) as session:
        solves = session.exec(select(func.count()).select_from(Solve)).one()
        contributions = session.exec(select(Submission)).all()  # their own tables
        proposals = session.exec(select(Proposal)).all()
    assert solves == len(campaign.steps)
    assert {c.step for c in [*contributions, *proposals]} == {
        s.id for s in campaign.steps if s.type.value in ("identify", "contribution")
    }


def test_the_checkpoint_trail_is_played_by_scanning_each_marker(world: World) -> None:
    campaign = world.campaign("voie-verte")
    resident = Resident(world)
    first = campaign.steps[0]
    locked = resident.get(f"/c/voie-verte/{first.id}")
    assert "scannez le QR code" in locked.text
    for step in campaign.steps:
        resident.play_step(campaign.slug, step)
    finale = resident.get("/c/voie-verte/merci")
    assert campaign.finale is not None
    assert localise(campaign.finale.title, "fr").replace("'", "&#39;") in finale.text


def test_a_solved_step_shows_its_story_full_photo_credit_and_hint_count(world: World) -> None:
    campaign = world.campaign()
    step = campaign.steps[0]
    resident = Resident(world)
    url = f"/c/{campaign.slug}/{step.id}"
    resident.get(url)
    resident.post(url + "/indice", {})
    resident.post(url, {"answer": step.answers[0]})
    page = resident.get(url).text
    assert "Trouvé avec 1 indice" in page
    assert f"/p/{campaign.slug}/{step.id}/full-960.jpg" in page
    assert "Photographe, habitante du quartier des Tanneurs : Lucie Perrin" in page
    assert 'name="answer"' not in page
    nxt = campaign.steps[1]
    assert f'href="/c/{campaign.slug}/{nxt.id}"' in page


def test_a_double_tap_on_the_right_answer_is_one_solve(world: World) -> None:
    campaign = world.campaign()
    step = campaign.steps[0]
    resident = Resident(world, htmx=True)
    url = f"/c/{campaign.slug}/{step.id}"
    resident.get(url)
    first = resident.post(url, {"answer": step.answers[0]})
    again = resident.post(url, {"answer": step.answers[0]})
    assert "Bravo" in first.text
    assert "Déjà trouvé" in again.text
    with Session(world.site.engine) as session:
        assert session.exec(select(func.count()).select_from(Solve)).one() == 1


def test_every_answer_is_stored_before_the_response(world: World) -> None:
    campaign = world.campaign()
    step = campaign.steps[0]
    resident = Resident(world)
    url = f"/c/{campaign.slug}/{step.id}"
    resident.get(url)
    resident.post(url, {"answer": "  La Tour Eiffel "})
    with Session(world.site.engine) as session:
        attempt = session.exec(select(Attempt)).one()
    assert (attempt.step, attempt.guess, attempt.correct) == (step.id, "tour eiffel", False)
    assert attempt.player_id is not None


def test_a_step_further_on_is_locked_until_the_earlier_ones_are_done(world: World) -> None:
    campaign = world.campaign()
    resident = Resident(world)
    url = f"/c/{campaign.slug}/{campaign.steps[1].id}"
    page = resident.get(url)
    assert "quand vous aurez fait" in page.text
    assert 'name="answer"' not in page.text
    resident.get(f"/c/{campaign.slug}/{campaign.steps[0].id}")
    refused = resident.post(url, {"answer": campaign.steps[1].answers[0]})
    assert refused.status_code == 403
    with Session(world.site.engine) as session:
        assert session.exec(select(func.count()).select_from(Solve)).one() == 0


def test_a_checkpoint_token_for_another_step_is_a_plain_404(world: World) -> None:
    campaign = world.campaign("voie-verte")
    secret = world.settings.secret_key
    one, two = campaign.steps[0].id, campaign.steps[1].id
    good = checkpoint_path(secret, "voie-verte", one)
    token = good.rsplit("/", 1)[1]
    resident = Resident(world)
    wrong = resident.get(f"/k/voie-verte/{two}/{token}")
    unknown = resident.get("/k/nope/nope/abc")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.text == unknown.text
