"""The staff area in a real browser on a phone: log in, upload a photo, see it, fix its credit.

Each staff page is also checked with axe-core (no serious or critical violation) and saved as
a screenshot under test-artifacts/screenshots/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from .accounts import PASSWORD, add_account
from .axe import assert_accessible
from .conftest import LiveSite, PhoneFactory, Shoot, Traffic

pytestmark = pytest.mark.browser


def test_staff_logs_in_uploads_sees_the_thumbnail_and_edits_the_credit(
    open_phone: PhoneFactory,
    live_site: LiveSite,
    shoot: Shoot,
    traffic: Traffic,
    tmp_path: Path,
) -> None:
    name = add_account(live_site, "staff")
    sample = tmp_path / "tour-1910.jpg"
    Image.new("RGB", (1200, 800), (120, 90, 60)).save(sample, "JPEG")

    page = open_phone()
    page.goto(live_site("/staff/photos"))
    expect(page).to_have_url(live_site("/staff/login?next=/staff/photos"))
    assert_accessible(page)
    shoot(page, "staff-login")
    page.get_by_label("Nom de compte").fill(name)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Photothèque")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Envoyer des photos").first.click()
    assert_accessible(page)
    shoot(page, "staff-upload")
    page.get_by_label("Titre").fill("Tour Saint-Aubin vers 1910")
    page.get_by_label("Crédit").fill("archives")
    page.get_by_label("Licence").select_option("cc-by-sa-4.0")
    page.get_by_label("Cote").fill("3 Fi 12")
    page.locator("input[type=file]").set_input_files(str(sample))
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("heading", name="Photos envoyées")).to_be_visible()
    thumb = page.get_by_role("img", name="Tour Saint-Aubin vers 1910")
    expect(thumb).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth", thumb.element_handle()) == 480
    assert_accessible(page)

    thumb.click()
    expect(page.get_by_role("heading", name="Tour Saint-Aubin vers 1910")).to_be_visible()
    assert_accessible(page)
    shoot(page, "staff-photo")
    page.get_by_label("Crédit").fill("Fonds Lucie Perrin")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Description enregistrée.")).to_be_visible()
    expect(page.get_by_label("Crédit")).to_have_value("Fonds Lucie Perrin")

    page.goto(live_site("/staff"))
    assert_accessible(page)
    page.goto(live_site("/staff/photos?q=3+fi+12"))
    expect(page.get_by_role("img", name="Tour Saint-Aubin vers 1910")).to_be_visible()
    assert traffic.offsite == [], f"third-party requests: {traffic.offsite}"
    assert traffic.console_errors == [], "\n".join(traffic.console_errors)
