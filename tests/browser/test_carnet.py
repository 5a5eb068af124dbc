"""The roadbook's link on the campaign page, in Chromium on a phone: there, named, accessible,
and what it opens is the PDF."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .axe import assert_accessible
from .conftest import Game

pytestmark = pytest.mark.browser

SLUG = "ou-sommes-nous"


def test_the_campaign_page_offers_the_roadbook_to_print(page: Page, game: Game) -> None:
    page.goto(game.url(SLUG))
    link = page.get_by_role("link", name="Carnet de route à imprimer (PDF)")
    expect(link).to_be_visible()
    assert_accessible(page)
    href = link.get_attribute("href")
    assert href == f"/c/{SLUG}/carnet.pdf"
    fetched = page.request.get(game.site(href))
    assert fetched.status == 200
    assert fetched.headers["content-type"] == "application/pdf"
    assert fetched.body().startswith(b"%PDF-")
