"""A resident sends a photo from a phone; the community manager accepts it in the moderation
queue; it appears in the campaign's gallery. The gallery and the queue pass axe-core."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from .accounts import PASSWORD, add_account
from .axe import assert_accessible
from .conftest import Game, LiveSite, PhoneFactory, Shoot, Traffic

pytestmark = pytest.mark.browser

SLUG = "ou-sommes-nous"
STEP = "vos-souvenirs"


def test_the_cm_accepts_a_contribution_and_it_appears_in_the_gallery(
    open_phone: PhoneFactory,
    live_site: LiveSite,
    game: Game,
    shoot: Shoot,
    traffic: Traffic,
    tmp_path: Path,
) -> None:
    pseudonym = f"Lulu {secrets.token_hex(3)}"
    caption = f"Le kiosque un soir d'été ({pseudonym})"
    sample = tmp_path / "IMG_2041.jpg"
    Image.new("RGB", (1200, 900), (40, 110, 160)).save(sample, "JPEG")

    resident = open_phone()
    game.complete_until(resident, SLUG, STEP)
    resident.goto(game.url(SLUG, STEP))
    resident.get_by_label("Votre photo").set_input_files(str(sample))
    resident.get_by_label("Ce que montre la photo (facultatif)").fill(caption)
    resident.get_by_label("Votre témoignage").fill("Ma grand-mère y dansait le dimanche.")
    resident.get_by_label("Sous un pseudonyme").check()
    resident.get_by_label("Pseudonyme ou nom à afficher").fill(pseudonym)
    resident.get_by_label("J'accepte que ma contribution soit publiée").check()
    resident.get_by_role("button", name="Envoyer").click()
    expect(resident.locator(".feedback-contributed")).to_be_visible()
    expect(resident.locator(".mine")).to_contain_text("En attente de relecture")
    resident.goto(live_site(f"/c/{SLUG}/galerie"))
    expect(resident.get_by_text(caption)).to_have_count(0)

    name = add_account(live_site, "cm")
    manager = open_phone()
    manager.goto(live_site("/staff/login?next=/staff/moderation"))
    manager.get_by_label("Nom").fill(name)
    manager.get_by_label("Mot de passe").fill(PASSWORD)
    manager.get_by_role("button", name="Se connecter").click()
    expect(manager).to_have_url(live_site("/staff/moderation"))
    item = manager.locator("article.moderation-item", has_text=caption)
    expect(item).to_be_visible()
    item.scroll_into_view_if_needed()  # other tests' contributions may come first: lazy images
    expect(item.get_by_role("img", name=caption)).to_be_visible()
    assert_accessible(manager)
    shoot(manager, "staff-moderation")
    item.get_by_label("Message pour la personne").fill("Magnifique, merci !")
    item.get_by_role("button", name="Accepter et publier").click()
    expect(manager.get_by_text("Contribution publiée dans la galerie.")).to_be_visible()

    visitor = open_phone()
    visitor.goto(live_site(f"/c/{SLUG}/galerie"))
    published = visitor.locator("article.gallery-item", has_text=pseudonym)
    expect(published).to_be_visible()
    expect(published).to_contain_text(f"Par {pseudonym}")
    image = published.get_by_role("img", name=caption)
    # a captioned photo is a figure whose accessible name is its caption (RGAA 1.9)
    expect(published.get_by_role("figure", name=caption, exact=True)).to_have_count(1)
    published.scroll_into_view_if_needed()  # other tests' items may come first: lazy images
    expect(image).to_be_visible()
    visitor.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert_accessible(visitor)
    shoot(visitor, "gallery")
    visitor.goto(live_site(f"/c/{SLUG}/merci"))
    expect(visitor.locator(".residents")).to_contain_text(pseudonym)
    resident.goto(game.url(SLUG, STEP))
    expect(resident.locator(".mine")).to_contain_text("Magnifique, merci !")
    assert traffic.offsite == [] and traffic.console_errors == []
