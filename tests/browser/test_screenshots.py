"""The screenshots of the documentation, made by the browser: every page type a resident or the
staff meet, at a phone's width (390×844) and a desk's (1280×800), on a city's own site.

`BALISES_WRITE_SCREENSHOTS=1` (re)writes `docs/screenshots/*.webp` from the running site:

    BALISES_WRITE_SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser/test_screenshots.py

Without it, the same walk through the site makes them in a temporary folder and checks each
against the committed one (same width, so the docs show the page at the width they say), and the
other test checks the docs against the files: every page type here is listed in the docs with its
two screenshots, each file is on disk and referenced, and no file is left over. A page type
added, renamed or dropped here or in the docs fails until the screenshots are made again.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect

from campaigns.model import localise
from tests.sitefiles import write_site
from tests.web.maparchive import build_archive

from .accounts import PASSWORD, add_account
from .conftest import EXAMPLE, Game, LiveSite, free_socket, serving, site_settings
from .films import with_bridge_film

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FOLDER = DOCS / "screenshots"
WIDTHS = {"phone": (390, 844), "desktop": (1280, 800)}
TALLEST = 2200  # px: a long page is cut there (the docs show what a page looks like)
# Each page type of the docs and its address on the example campaigns.
PAGES = {
    "home": "/",
    "campaign": "/c/ou-sommes-nous",
    "riddle": "/c/ou-sommes-nous/tour",
    "story": "/c/ou-sommes-nous/tour",  # the same step, solved: its story
    "story-film": "/c/ou-sommes-nous/pont",  # solved: its film and captions
    "story-audio": "/c/ou-sommes-nous/entracte",  # a story step heard, with its transcript
    "checkpoint": "/c/voie-verte/borne-1",
    "map": "/c/voie-verte/carte",
    "legal": "/accessibilite",
    "contribution": "/c/ou-sommes-nous/vos-souvenirs",
    "finale": "/c/ou-sommes-nous/merci",
    "me": "/moi",
    "staff-home": "/staff",
    "staff-queue": "/staff/moderation",
    "staff-figures": "/staff/chiffres/ou-sommes-nous",
    "staff-kit": "/staff/campagnes/ou-sommes-nous/kit",
    "preview": "/c/ou-sommes-nous",  # played by the cm in preview, under its banner
}
PREVIEWING = "Aperçu : rien de ce que vous faites n'est compté"
REFERENCE = re.compile(r"screenshots/([a-z-]+)-(phone|desktop)\.webp")
WRITING = os.environ.get("BALISES_WRITE_SCREENSHOTS") == "1"


def referenced() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for doc in [ROOT / "README.md", *DOCS.glob("*.md")]:
        found |= set(REFERENCE.findall(doc.read_text(encoding="utf-8")))
    return found


def test_every_page_type_in_the_docs_has_its_two_screenshots() -> None:
    wanted = {(name, width) for name in PAGES for width in WIDTHS}
    assert referenced() == wanted, "docs/screenshots.md and PAGES list other page types"
    on_disk = {path.name for path in FOLDER.glob("*")}
    assert on_disk == {f"{name}-{width}.webp" for name, width in wanted}
    total = sum(path.stat().st_size for path in FOLDER.glob("*"))
    assert total < 4_000_000, f"the screenshots weigh {total} bytes"


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory, htmx_js: bytes) -> Iterator[LiveSite]:
    """The example campaigns beside the tests' site.yaml (the bridge's story with a film), the
    city's map tiles, htmx its own."""
    folder = tmp_path_factory.mktemp("screenshots")
    games = folder / "jeux"
    games.mkdir()
    shutil.copytree(ROOT / "photos", games / "photos")
    text = with_bridge_film(EXAMPLE.read_text(encoding="utf-8"), games / "photos")
    (games / "campaigns.yaml").write_text(text, encoding="utf-8")
    write_site(games)
    tiles = build_archive(folder / "val-de-loir.pmtiles")
    sock = free_socket()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    environ = {
        "BALISES_CAMPAIGNS": str(games),
        "BALISES_HTMX_URL": "self",
        "BALISES_MAP_TILES": str(tiles),
    }
    with serving(sock, site_settings(folder / "var", base, **environ)) as live:
        yield live


def context_for(browser: Browser, width: str) -> BrowserContext:
    w, h = WIDTHS[width]
    phone = width == "phone"
    context = browser.new_context(
        viewport={"width": w, "height": h},
        is_mobile=phone,
        has_touch=phone,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        extra_http_headers={"Accept-Language": "fr-FR,fr;q=0.9"},
    )
    context.set_default_timeout(15_000)
    return context


def save(page: Page, folder: Path, name: str, width: str) -> None:
    page.wait_for_load_state("networkidle")
    shot = Image.open(io.BytesIO(page.screenshot(full_page=True, animations="disabled")))
    if shot.height > TALLEST:
        shot = shot.crop((0, 0, shot.width, TALLEST))
    folder.mkdir(parents=True, exist_ok=True)
    shot.convert("RGB").save(folder / f"{name}-{width}.webp", "WEBP", quality=70, method=6)


def shoot(page: Page, site: LiveSite, folder: Path, name: str, width: str) -> None:
    response = page.goto(site(PAGES[name]))
    assert response is not None and response.status == 200, name
    save(page, folder, name, width)


@pytest.mark.browser
@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_screenshots_are_made_by_the_browser(
    browser: Browser, city: LiveSite, width: str, tmp_path: Path
) -> None:
    folder = FOLDER if WRITING else tmp_path
    game = Game(city)
    resident = context_for(browser, width)
    try:
        page = resident.new_page()
        for name in ("home", "campaign", "riddle", "checkpoint", "map", "legal"):
            shoot(page, city, folder, name, width)
        game.complete(page, "ou-sommes-nous", "tour")
        shoot(page, city, folder, "story", width)
        for step in game.campaign("ou-sommes-nous").steps[1:]:  # the rest, up to the form
            if step.id == "vos-souvenirs":
                break
            if step.id == "entracte":
                shoot(page, city, folder, "story-audio", width)
            game.complete(page, "ou-sommes-nous", step.id)
            if step.id == "pont":
                shoot(page, city, folder, "story-film", width)
        shoot(page, city, folder, "contribution", width)
        game.complete(page, "ou-sommes-nous", "vos-souvenirs")  # a memory sent: moderated
        shoot(page, city, folder, "finale", width)
        shoot(page, city, folder, "me", width)
    finally:
        resident.close()
    staff = context_for(browser, width)
    try:
        page = staff.new_page()
        name = add_account(city, "cm")
        page.goto(city("/staff/login"))
        page.get_by_label("Nom").fill(name)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        expect(page).to_have_url(city("/staff"))
        for name in ("staff-home", "staff-queue", "staff-figures", "staff-kit"):
            shoot(page, city, folder, name, width)
        page.goto(city("/staff/apercus"))
        label = localise(game.campaign("ou-sommes-nous").title, "fr")
        page.get_by_role("button", name=f"Jouer en aperçu : {label}").click()
        expect(page.get_by_text(PREVIEWING)).to_be_visible()
        shoot(page, city, folder, "preview", width)
    finally:
        staff.close()
    made = {path.name: path for path in folder.glob(f"*-{width}.webp")}
    assert set(made) == {f"{name}-{width}.webp" for name in PAGES}
    for file_name, path in made.items():
        with Image.open(path) as new, Image.open(FOLDER / file_name) as committed:
            assert new.width == committed.width, file_name
