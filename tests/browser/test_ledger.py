"""The player's page, "forget me", the cm's figures and thank-you ledger in a real browser,
each checked with axe-core (no serious or critical violation)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .accounts import PASSWORD, add_account
from .axe import assert_accessible
from .conftest import LiveSite, PhoneFactory, Shoot, Traffic

pytestmark = pytest.mark.browser


def test_a_resident_sees_their_data_then_asks_to_be_forgotten(
    open_phone: PhoneFactory, live_site: LiveSite, shoot: Shoot, traffic: Traffic
) -> None:
    page = open_phone()
    page.goto(live_site("/c/ou-sommes-nous/tour"))
    page.get_by_label("Votre réponse").fill("Tour Saint-Aubin")
    page.get_by_role("button", name="Répondre").click()
    expect(page.locator("#play").get_by_text("Bravo, vous avez trouvé !")).to_be_visible()
    page.goto(live_site("/moi"))
    expect(page.get_by_text("1 étape faite sur")).to_be_visible()
    assert_accessible(page)
    shoot(page, "my-data")
    page.get_by_role("button", name="Effacer mes données").click()  # unticked: the browser stops it
    expect(page.get_by_label("Je confirme : effacer toutes mes données")).to_be_visible()
    page.get_by_label("Je confirme : effacer toutes mes données").check()
    page.get_by_role("button", name="Effacer mes données").click()
    expect(page.get_by_text("Vos données ont été effacées de ce site.")).to_be_visible()
    assert_accessible(page)
    assert traffic.console_errors == [], "\n".join(traffic.console_errors)


def test_the_cm_reads_the_figures_and_records_a_thank_you(
    open_phone: PhoneFactory, live_site: LiveSite, shoot: Shoot, traffic: Traffic
) -> None:
    name = add_account(live_site, "cm")
    page = open_phone()
    page.goto(live_site("/staff/chiffres/ou-sommes-nous"))
    page.get_by_label("Nom de compte").fill(name)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Étape par étape")).to_be_visible()
    expect(page.get_by_role("img", name="Joueurs ayant fait chaque étape")).to_be_visible()
    assert_accessible(page)
    shoot(page, "staff-figures")
    page.goto(live_site("/staff/merci"))
    assert_accessible(page)
    page.get_by_label("À qui").select_option("c:ou-sommes-nous:archives")
    page.get_by_label("Ce qui a été offert").fill("Invitation à l'atelier")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Remerciement enregistré.")).to_be_visible()
    expect(page.get_by_role("cell", name="Invitation à l'atelier", exact=True)).to_be_visible()
    assert_accessible(page)
    shoot(page, "staff-ledger")
    assert traffic.offsite == [], f"third-party requests: {traffic.offsite}"
