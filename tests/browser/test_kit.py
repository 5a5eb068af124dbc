"""The publication kit in a real browser on a phone: the cm reads each post, its card and alt
text, and downloads the ZIP; checked with axe-core and saved as a screenshot."""

from __future__ import annotations

import io
import zipfile

import pytest
from playwright.sync_api import expect

from .accounts import PASSWORD, add_account
from .axe import assert_accessible
from .conftest import LiveSite, PhoneFactory, Shoot

pytestmark = pytest.mark.browser

SLUG = "ou-sommes-nous"


def test_the_cm_reads_the_kit_and_downloads_it(
    open_phone: PhoneFactory, live_site: LiveSite, shoot: Shoot
) -> None:
    name = add_account(live_site, "cm")
    page = open_phone()
    page.goto(live_site(f"/staff/campagnes/{SLUG}/kit"))
    page.get_by_label("Nom de compte").fill(name)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Calendrier des publications")).to_be_visible()
    x_post = page.locator("#post-tour-twitter")
    expect(x_post).to_be_visible()
    assert len(x_post.input_value()) <= 280
    assert "?via=twitter" in x_post.input_value()
    card = page.get_by_role(
        "img", name="Carte de partage de l'étape « Cette tour vous dit quelque chose ? »"
    )
    card.scroll_into_view_if_needed()
    expect(card).to_be_visible()
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=card.element_handle(), timeout=20000
    )
    assert_accessible(page)
    shoot(page, "publication-kit")

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le kit (ZIP)").click()
    path = download.value.path()
    assert path is not None
    names = zipfile.ZipFile(io.BytesIO(path.read_bytes())).namelist()
    assert "twitter.txt" in names and "cartes/tour.png" in names and "calendrier.ics" in names
