"""Preview in a real browser on a phone: a cm plays a campaign under the banner "Aperçu : rien
de ce que vous faites n'est compté", starts it again, makes a preview link that an élu opens on
their own phone, and leaves the preview. Each page is checked with axe-core and saved as a
screenshot."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from campaigns.model import localise

from .accounts import PASSWORD, add_account
from .axe import assert_accessible
from .conftest import Game, LiveSite, PhoneFactory, Shoot

pytestmark = pytest.mark.browser

BANNER = "Aperçu : rien de ce que vous faites n'est compté"
SLUG = "ou-sommes-nous"


def test_a_cm_previews_a_campaign_and_hands_a_link_to_an_elu(
    open_phone: PhoneFactory, live_site: LiveSite, game: Game, shoot: Shoot
) -> None:
    name = add_account(live_site, "cm")
    page = open_phone()
    page.goto(live_site("/staff/apercus"))
    page.get_by_label("Nom de compte").fill(name)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Aperçus des campagnes")).to_be_visible()
    assert_accessible(page)

    label = localise(game.campaign(SLUG).title, "fr")
    page.get_by_role("button", name=f"Jouer en aperçu : {label}").click()
    expect(page.get_by_role("status").filter(has_text=BANNER)).to_be_visible()
    # What the town did together: collective figures, small ones as "moins de 5".
    expect(page.get_by_role("heading", name="Ce que la ville a fait ensemble")).to_be_visible()
    # The browser tests share one site: by now other tests' residents may have played too.
    played = re.compile(r"^(Moins de 5|\d[\d\u202f ]*) habitants ont joué\.$")
    expect(page.get_by_text(played)).to_be_visible()
    assert_accessible(page)
    shoot(page, "preview-banner")

    riddle = game.first_riddle()
    page.goto(game.url(SLUG, riddle.id))
    page.get_by_label("Votre réponse").fill(riddle.answers[0])
    page.get_by_role("button", name="Répondre").click()
    expect(page.locator("#play").get_by_text("Bravo, vous avez trouvé")).to_be_visible()
    expect(page.get_by_text(BANNER)).to_be_visible()
    page.get_by_role("button", name="Recommencer l'aperçu").click()
    expect(page.get_by_text(re.compile(r"0 étape faite sur"))).to_be_visible()

    page.goto(live_site("/staff/apercus"))
    page.get_by_label("Valable (jours)").fill("5")
    page.get_by_role("button", name="Créer un lien d'aperçu").click()
    link = page.locator("#made-link").inner_text()
    assert link.startswith(live_site.url + "/apercu/")
    expect(page.get_by_role("cell", name=name)).to_be_visible()
    assert_accessible(page)
    shoot(page, "preview-links")

    elu = open_phone()
    elu.goto(link)
    expect(elu).to_have_url(live_site(f"/c/{SLUG}"))
    expect(elu.get_by_text(BANNER)).to_be_visible()
    assert_accessible(elu)
    elu.get_by_role("button", name="Quitter l'aperçu").click()
    expect(elu.get_by_text(BANNER)).to_have_count(0)
