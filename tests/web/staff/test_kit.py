"""The publication kit: for the campaign and each step, a post per channel within its limit,
with the hashtags, the opening date and the channel's `?via=` link, never an accepted answer;
the share cards, their alt texts and a calendar, all in one ZIP; for the cm only."""

from __future__ import annotations

import html
import io
import re
import zipfile

from starlette.testclient import TestClient

from campaigns.matching import contains_answer
from tests.web.conftest import World
from tests.web.staff.conftest import CM_PASSWORD, login
from web.staff.kit import entries
from web.staff.posts import CHANNELS, answers_of, campaign_posts

SLUG = "ou-sommes-nous"


def kit_texts(page: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r"<textarea[^>]*>(.*?)</textarea>", page, re.S)]


def cm(staff_world: World) -> TestClient:
    return login(staff_world.client(), "camille", CM_PASSWORD)


def test_every_post_fits_its_channel_and_gives_no_answer_away(staff_world: World) -> None:
    page = cm(staff_world).get(f"/staff/campagnes/{SLUG}/kit")
    assert page.status_code == 200
    campaign = staff_world.campaign(SLUG)
    texts = kit_texts(page.text)
    assert len(texts) == (1 + len(campaign.steps)) * len(CHANNELS)
    answers = answers_of(campaign)
    assert "Tour Saint-Aubin" in answers
    for entry in entries(staff_world.site, campaign, "fr"):
        for post in entry.posts:
            assert post.length <= post.channel.limit, (entry.name, post.channel.slug)
            assert f"?via={post.channel.slug}" in post.text
            assert contains_answer(post.text, answers) is None, (entry.name, post.text)
    twitter = [t for t in texts if "?via=twitter" in t]
    assert all(len(t) <= 280 for t in twitter)
    assert "#JEP2026" in texts[0] and "samedi 19 septembre 2026 à 09h00" in texts[0]
    assert f"http://localhost:8000/c/{SLUG}/tour?via=mastodon" in page.text


def test_a_text_that_would_name_an_answer_is_left_out_of_the_posts(
    staff_world: World,
) -> None:
    # The validator refuses such an intro in a campaign file (`campaigns.rules`); the kit
    # checks again, whatever text reaches it.
    loaded = staff_world.campaign(SLUG)
    spoiled = loaded.model_copy(update={"intro": "Reconnaissez la Tour Saint-Aubin, et plus."})
    for post in campaign_posts(spoiled, "https://jeu.example.fr", "fr"):
        assert "Saint-Aubin" not in post.text
        assert post.text.startswith("Où sommes-nous ? Journées du patrimoine — samedi")
        assert f"https://jeu.example.fr/c/{SLUG}?via={post.channel.slug}" in post.text


def test_the_zip_holds_cards_a_text_per_channel_alt_texts_and_the_calendar(
    staff_world: World,
) -> None:
    response = cm(staff_world).get(f"/staff/campagnes/{SLUG}/kit.zip")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == f'attachment; filename="kit-{SLUG}.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    campaign = staff_world.campaign(SLUG)
    assert {f"{c.slug}.txt" for c in CHANNELS} <= names
    assert {"cartes/campagne.png", *(f"cartes/{s.id}.png" for s in campaign.steps)} <= names
    assert archive.read("cartes/tour.png").startswith(b"\x89PNG")
    alts = archive.read("textes-alternatifs.txt").decode()
    # each card's alt names its step and holds every word the card shows, its crop described
    # by the first stage's alt (never the whole photo's)
    assert (
        "cartes/tour.png : Carte de partage de l'étape « Cette tour vous dit quelque chose ? » "
        "de « Où sommes-nous ? Journées du patrimoine ». Un détail de la photo : Un mur de pierre "
        "claire percé de quatre fenêtres jumelles en arc, étroites et sombres, sur deux rangs, "
        "sous le bord d'un toit gris. #JEP2026 #ValDeLoir Photo : Lucie Perrin. Balises\n"
    ) in alts
    assert (
        "cartes/crue.png : Carte de partage de l'étape « La grande crue » de « Où sommes-nous ? "
        "Journées du patrimoine ». #JEP2026 #ValDeLoir Balises\n"
    ) in alts
    calendar = archive.read("calendrier.ics").decode()
    assert calendar.count("BEGIN:VEVENT") == 1 + len(campaign.steps)
    assert "DTSTART:20260919T070000Z" in calendar
    for channel in CHANNELS:
        body = archive.read(f"{channel.slug}.txt").decode()
        assert contains_answer(body, answers_of(campaign)) is None


def test_the_kit_is_for_the_cm_only(staff_world: World) -> None:
    lea = login(staff_world.client())
    assert lea.get(f"/staff/campagnes/{SLUG}/kit").status_code == 403
    assert lea.get(f"/staff/campagnes/{SLUG}/kit.zip").status_code == 403
    assert staff_world.client().get(f"/staff/campagnes/{SLUG}/kit").status_code == 302
    camille = cm(staff_world)
    assert camille.get("/staff/campagnes/inconnue/kit").status_code == 404
    assert camille.get(f"/staff/campagnes/{SLUG}/kit/inconnue.png").status_code == 404
    card = camille.get(f"/staff/campagnes/{SLUG}/kit/campagne.png")
    assert card.status_code == 200 and card.headers["content-type"] == "image/png"
