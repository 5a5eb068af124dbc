"""Sharing and marker reports in Chromium on a phone: htmx and no-JS, accessible, offline."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from .axe import assert_accessible
from .conftest import Game, PhoneFactory, Traffic

pytestmark = pytest.mark.browser

TRAIL = "voie-verte"
THANKS = "Merci ! Votre signalement est transmis"


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), "orange").save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_report_with_a_photo_is_sent_in_place_with_htmx(
    page: Page, game: Game, traffic: Traffic
) -> None:
    page.goto(game.checkpoint_url(TRAIL, "borne-2"))
    section = page.locator(".report-marker")
    expect(section).to_be_visible()
    assert_accessible(page)
    section.locator("summary").click()
    section.get_by_label("Photo de la balise").set_input_files(
        {"name": "IMG_1234.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}
    )
    section.get_by_label("Commentaire").fill("Le code est couvert de boue.")
    url = page.url
    section.get_by_role("button", name="Signaler : balise abîmée ou absente").click()
    expect(page.locator(".report-marker .notice")).to_contain_text(THANKS)
    assert page.url == url  # swapped in place: the story stays on screen
    assert traffic.offsite == []
    assert traffic.console_errors == [], "\n".join(traffic.console_errors)


def test_without_javascript_one_tap_reports_and_comes_back(
    open_phone: PhoneFactory, game: Game
) -> None:
    page = open_phone(javascript=False)
    page.goto(game.url(TRAIL, "borne-4"))
    page.get_by_role("button", name="Signaler : balise abîmée ou absente").click()
    expect(page.locator(".report-marker .notice")).to_contain_text(THANKS)
    assert page.url.endswith("/c/voie-verte/borne-4?signalement=merci#signaler")


def test_a_finisher_sees_their_thank_you_card_and_share_links(
    page: Page, game: Game, traffic: Traffic
) -> None:
    game.complete_until(page, TRAIL)
    page.goto(game.url(TRAIL, "merci"))
    card = page.locator(".thanks-card img")
    expect(card).to_be_visible()
    assert card.evaluate("img => img.decode().then(() => img.naturalWidth)") == 1200
    page.get_by_label("Mettre un pseudo sur la carte (facultatif, il n'est pas enregistré)").fill(
        "Camille"
    )
    page.get_by_role("button", name="Refaire la carte").click()
    expect(card).to_have_attribute("src", "/c/voie-verte/merci/carte.png?pseudo=Camille")
    # the card is a picture of text: its name is what it says, written beside it as well
    said = (
        "Merci, Camille ! J'ai fait toutes les étapes de « La voie verte, borne après borne »."
        " #VoieVerteDuLoir Avec : Cyclo-club du Val, Les Amis du Vieux Val, Photothèque"
        " municipale"
    )
    expect(page.get_by_role("img", name=said)).to_have_count(1)
    expect(page.locator(".thanks-card-text")).to_contain_text(said)
    expect(page.locator(".share-links a")).to_have_count(5)
    assert_accessible(page)
    assert traffic.offsite == []
