"""The staff area speaks French unless the staff member asks for English (`?lang=en`, remembered,
or the browser's Accept-Language), pages and the messages handlers write alike."""

from __future__ import annotations

import html
import re

import pytest
from starlette.testclient import TestClient

from media import library
from tests.web.conftest import World, csrf_of
from tests.web.staff.conftest import CM_PASSWORD, PASSWORD, login, upload
from web import i18n, uploads
from web.staff import refusals

ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}


def _lang_of(html: str) -> str:
    found = re.search(r'<html lang="(\w+)">', html)
    assert found is not None
    return found[1]


def test_the_staff_area_is_french_by_default(staff_client: TestClient) -> None:
    home = staff_client.get("/staff")
    assert _lang_of(home.text) == "fr"
    assert "<h1>Espace équipe</h1>" in home.text
    assert "Connecté·e : lea" in home.text
    assert '<a href="?lang=en" hreflang="en" lang="en">English</a>' in home.text
    assert '<span aria-current="true" lang="fr">Français</span>' in home.text


def test_lang_en_switches_the_staff_area_to_english_and_is_remembered(
    staff_client: TestClient,
) -> None:
    home = staff_client.get("/staff?lang=en")
    assert _lang_of(home.text) == "en"
    assert "<h1>Staff area</h1>" in home.text
    assert "Logged in: lea" in home.text and "Espace équipe" not in home.text
    library_page = staff_client.get("/staff/photos")  # no ?lang= any more
    assert "<h1>Photo library</h1>" in library_page.text
    back = staff_client.get("/staff/photos?lang=fr")
    assert "<h1>Photothèque</h1>" in back.text


def test_an_english_browser_gets_the_login_page_in_english(staff_world: World) -> None:
    page = staff_world.client().get("/staff/login", headers=ENGLISH)
    assert _lang_of(page.text) == "en"
    assert "<title>Staff area login · Balises</title>" in page.text
    assert '<label for="name">Account name</label>' in page.text
    french = staff_world.client().get("/staff/login", headers={"Accept-Language": "de, fr;q=0.5"})
    assert "<title>Connexion à l'espace équipe · Balises</title>" in french.text


def test_a_wrong_login_says_so_in_english(staff_world: World) -> None:
    client = staff_world.client()
    token = csrf_of(client.get("/staff/login?lang=en").text)
    response = client.post(
        "/staff/login", data={"csrf": token, "name": "lea", "password": "not the one"}
    )
    assert response.status_code == 400
    assert "Wrong name or password." in response.text


def test_the_messages_written_by_handlers_follow_the_language(staff_world: World) -> None:
    client = login(staff_world.client())
    token = csrf_of(client.get("/staff/motdepasse?lang=en").text)
    response = client.post(
        "/staff/motdepasse",
        data={"csrf": token, "old": PASSWORD, "new": "court", "again": "court"},
    )
    assert response.status_code == 400
    assert "password too short: at least 10 characters" in response.text
    assert "<h1>Change password</h1>" in response.text
    archivist_at_cm_page = client.get("/staff/moderation")
    assert archivist_at_cm_page.status_code == 403
    assert "This page is for community managers only." in archivist_at_cm_page.text


def test_an_upload_refused_in_english(staff_world: World) -> None:
    client = login(staff_world.client())
    client.get("/staff?lang=en")
    response = upload(client, [("notes.jpg", b"%PDF-1.4 not a photo")], title="", licence="")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "Licence: choose a licence from the list" in response.text  # type: ignore[attr-defined]
    response = upload(client, [("notes.jpg", b"%PDF-1.4 not a photo")])
    assert response.status_code == 400  # type: ignore[attr-defined]
    text = response.text  # type: ignore[attr-defined]
    assert "Refused: this file is not a photo" in text and "pas une photo" not in text


@pytest.mark.parametrize(
    ("french", "english"),
    [
        (library.too_heavy(48 * 1024), "file too heavy: at most 48 KB"),
        (library.too_heavy(3 * 512 * 1024), "file too heavy: at most 1.5 MB"),
        (
            "photo trop grande : 30000 × 30000 pixels, au plus 50 mégapixels",
            "photo too large: 30000 × 30000 pixels, at most 50 megapixels",
        ),
        (uploads.TOO_MANY, f"too many files at once: at most {uploads.MAX_FILES}"),
        (library.DISK_FULL, "disk full: the photo was not saved"),
        ("une raison que personne n'a prévue", "une raison que personne n'a prévue"),
    ],
)
def test_upload_refusals_are_translated_and_french_stays_french(french: str, english: str) -> None:
    try:
        i18n.use("en")
        assert refusals.translate(french) == english
    finally:
        i18n.use("fr")
    assert refusals.translate(french) == french


def test_the_cm_pages_follow_the_language_too(staff_world: World) -> None:
    cm = login(staff_world.client(), "camille", CM_PASSWORD)
    figures = cm.get("/staff/chiffres?lang=en")
    assert "<h1>Figures</h1>" in figures.text
    ledger = cm.get("/staff/merci")
    assert "<h1>Thanks</h1>" in ledger.text
    refused = cm.post("/staff/merci", data={"csrf": csrf_of(ledger.text), "given_on": "hier"})
    assert refused.status_code == 400
    assert "Choose who this thank-you is for." in refused.text
    assert "Give a date in the YYYY-MM-DD format." in refused.text
    french = cm.get("/staff/moderation?lang=fr")
    assert "<h1>Modération des contributions</h1>" in french.text


def test_the_cm_reads_the_problems_of_campaign_files_in_the_staff_language(
    staff_world: World, campaign_dir: object
) -> None:
    from pathlib import Path

    yaml_file = Path(str(campaign_dir)) / "campaigns.yaml"
    yaml_file.write_text(
        yaml_file.read_text(encoding="utf-8").replace("order: sequential", "order: sequentiel", 1),
        encoding="utf-8",
    )
    staff_world.site.registry.refresh(force=True)
    cm = login(staff_world.client(), "camille", CM_PASSWORD)
    french = html.unescape(cm.get("/staff").text)
    assert (
        "order : 'sequentiel' n'est pas une valeur permise pour order ; "
        "vouliez-vous dire 'sequential' ? (utilisez sequential ou free)"
    ) in french
    for page in ("/staff?lang=en", "/staff/campagnes"):
        english = html.unescape(cm.get(page).text)
        assert (
            "order: 'sequentiel' is not a valid order; did you mean 'sequential'? "
            "(use sequential or free)"
        ) in english
        assert "vouliez-vous dire" not in english
