"""The campaign list and start pages, their dates, closed and upcoming campaigns, ?via counts,
the health check, the photos a player may see, and the resume code."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from tests.web.conftest import PARIS, World
from tests.web.playing import Resident
from web.store.tables.play import ViaCount


def test_home_lists_open_campaigns_with_their_closing_dates(world: World) -> None:
    world.clock.now = datetime(2027, 6, 1, 12, 0, tzinfo=PARIS)
    page = world.client().get("/").text
    assert "Jusqu'au vendredi 31 décembre 2027 à 19h00" in page  # in the campaign's time zone
    english = world.client().get("/?lang=en").text
    assert "Friday 31 December 2027 at 7:00" in english


def test_a_step_with_its_own_opening_says_when_it_opens(
    make_world: Callable[..., World], campaign_dir: Path
) -> None:
    """Inside an open campaign, a step of a later day says when it opens (the campaign itself
    is hidden before its own opening: tests/web/play/test_upcoming.py)."""
    source = campaign_dir / "campaigns.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace(
            "      - id: borne-1\n", "      - id: borne-1\n        opens: 2026-11-01T08:00\n", 1
        ),
        encoding="utf-8",
    )
    world = make_world()
    page = Resident(world).get("/c/voie-verte/borne-1").text
    assert "Cette étape ouvre le dimanche 1 novembre 2026" in page


def test_a_closed_campaign_is_read_only_and_refuses_answers_with_410(world: World) -> None:
    campaign = world.campaign()
    step = campaign.steps[0]
    url = f"/c/{campaign.slug}/{step.id}"
    resident = Resident(world)
    resident.get(url)  # the page was open before the campaign closed
    world.clock.now = datetime(2028, 1, 1, 12, 0, tzinfo=PARIS)
    refused = resident.post(url, {"answer": step.answers[0]})
    assert refused.status_code == 410
    assert "Cette campagne est terminée" in refused.text
    page = resident.get(url)
    assert page.status_code == 200
    assert 'name="answer"' not in page.text
    assert "terminé depuis le vendredi 31 décembre 2027" in resident.get(f"/c/{campaign.slug}").text
    assert resident.post(url + "/indice", {}, htmx=True).status_code == 410


def test_via_counts_channels_per_day_without_personal_data(world: World) -> None:
    world.client().get("/c/ou-sommes-nous?via=Facebook")
    world.client().get("/c/ou-sommes-nous?via=facebook")
    world.client().get("/c/ou-sommes-nous?via=<script>alert(1)</script>" + "x" * 50)
    world.client().get("/c/ou-sommes-nous?via=")
    with Session(world.site.engine) as session:
        rows = {(r.channel, r.day): r.count for r in session.exec(select(ViaCount))}
    assert rows == {("facebook", "2026-10-01"): 2}


def test_healthz_answers_when_the_database_does(world: World) -> None:
    response = world.client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_says_503_when_the_database_is_gone(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine

    broken = create_engine("sqlite:////nonexistent/dir/balises.db")
    monkeypatch.setattr(world.site, "engine", broken)
    assert world.client().get("/healthz").status_code == 503


def test_photos_are_served_only_up_to_the_crop_reached(world: World) -> None:
    campaign = world.campaign()
    step = campaign.steps[0]
    assert len(step.reveal) >= 2
    url = f"/c/{campaign.slug}/{step.id}"
    photo = f"/p/{campaign.slug}/{step.id}"
    resident = Resident(world)
    resident.get(url)
    first = resident.client.get(f"{photo}/0-480.webp")
    assert first.status_code == 200
    assert first.headers["content-type"] == "image/webp"
    assert first.content[:4] == b"RIFF"
    assert "public" in first.headers["cache-control"]
    assert resident.client.get(f"{photo}/1-480.jpg").status_code == 404
    assert resident.client.get(f"{photo}/full-480.jpg").status_code == 404
    assert resident.client.get(f"{photo}/0-123.jpg").status_code == 404
    resident.post(url + "/indice", {})
    second = resident.client.get(f"{photo}/1-480.jpg")
    assert second.status_code == 200 and second.content[:2] == b"\xff\xd8"
    assert "private" in second.headers["cache-control"]
    resident.post(url, {"answer": step.answers[0]})
    assert resident.client.get(f"{photo}/full-960.webp").status_code == 200


def test_the_resume_code_continues_on_another_phone(world: World) -> None:
    campaign = world.campaign()
    step = campaign.steps[0]
    url = f"/c/{campaign.slug}/{step.id}"
    phone = Resident(world)
    phone.get(url)
    phone.post(url, {"answer": step.answers[0]})
    mine = phone.get("/moi").text
    code = mine.split('class="code" translate="no">')[1].split("<")[0]
    assert len(code) == 9 and code[4] == "-"
    tablet = Resident(world)
    tablet.get("/moi")
    bad = tablet.post("/reprendre", {"code": "AAAA-AAAA"})
    assert bad.status_code == 422
    assert "aucun parcours" in bad.text
    adopted = tablet.post("/reprendre", {"code": code.lower().replace("-", " ")})
    assert adopted.status_code == 303
    assert "Parcours retrouvé" in tablet.get("/moi").text
    assert "Bravo" not in tablet.get(url).text
    assert 'name="answer"' not in tablet.get(url).text  # solved on the other phone


def test_languages_follow_the_browser_then_the_choice(world: World) -> None:
    client = world.client(headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in client.get("/c/ou-sommes-nous").text
    assert '<html lang="fr">' in client.get("/c/ou-sommes-nous?lang=fr").text
    assert '<html lang="fr">' in client.get("/c/ou-sommes-nous").text  # remembered
    german = world.client(headers={"Accept-Language": "de"})
    assert '<html lang="fr">' in german.get("/c/ou-sommes-nous?lang=de").text


def test_a_restart_on_the_same_database_keeps_progress(make_world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    world = make_world()
    campaign = world.campaign()
    step = campaign.steps[0]
    url = f"/c/{campaign.slug}/{step.id}"
    resident = Resident(world)
    resident.get(url)
    resident.post(url, {"answer": step.answers[0]})
    restarted = make_world()  # migrations run again on start: nothing to do, nothing lost
    resident.client.app = restarted.app
    assert "Trouvé sans indice</p>" in resident.get(url).text
