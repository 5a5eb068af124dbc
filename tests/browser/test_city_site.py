"""The city's own site in a real browser: the INSTALLED `balises serve` run from a folder with
the campaign files, a `site.yaml` and its logo, and `BALISES_HTMX_URL=self`.

Every request of every page type goes to the site itself (nothing to a CDN or anyone else),
the three legal pages and the staff pages at a desk (1280 px) pass axe-core with no serious or
critical violation, and no text in the staff tables is wider than its cell.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.faults.servers import STAFF_PASSWORD, Server, add_staff, copy_campaigns
from tests.sitefiles import write_site

from .axe import assert_accessible
from .conftest import Shoot

pytestmark = pytest.mark.browser

NAME = "Ville de Val-de-Loir"
RESIDENT_PAGES = [
    "/",
    "/c/ou-sommes-nous",
    "/c/ou-sommes-nous/tour",
    "/c/ou-sommes-nous/merci",
    "/c/ou-sommes-nous/galerie",
    "/moi",
    "/mentions-legales",
    "/donnees-personnelles",
    "/accessibilite",
    "/staff/login",
]
STAFF_PAGES = [
    "/staff",
    "/staff/photos",
    "/staff/photos/nouvelle",
    "/staff/moderation",
    "/staff/identifications",
    "/staff/signalements",
    "/staff/campagnes",
    "/staff/impression",
    "/staff/chiffres",
    "/staff/chiffres/ou-sommes-nous",
    "/staff/merci",
    "/staff/motdepasse",
]
# the cells of the staff tables whose content is wider than the cell itself
OVERFLOWING = """() => [...document.querySelectorAll('main table th, main table td')]
  .filter(cell => cell.scrollWidth > cell.clientWidth + 1)
  .map(cell => cell.textContent.trim().slice(0, 40))"""


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("city-browser")
    campaigns = copy_campaigns(folder / "jeux")
    write_site(folder / "jeux")
    env = {"BALISES_HTMX_URL": "self", "BALISES_DATABASE_URL": None}
    server = Server("", folder / "var", campaigns.parent, env=env, cwd=folder)
    server.start()
    add_staff(server, "camille", "cm")
    try:
        yield server
    finally:
        server.stop()


class Requests:
    def __init__(self) -> None:
        self.hosts: set[str] = set()
        self.errors: list[str] = []


def opened(browser: Browser, width: int, seen: Requests) -> tuple[BrowserContext, Page]:
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="fr-FR", timezone_id="Europe/Paris"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("request", lambda request: seen.hosts.add(urlsplit(request.url).netloc))
    page.on(
        "console",
        lambda message: seen.errors.append(message.text) if message.type == "error" else None,
    )
    return context, page


def test_every_request_goes_to_the_site_itself(
    browser: Browser, city: Server, shoot: Shoot
) -> None:
    seen = Requests()
    context, page = opened(browser, 360, seen)
    try:
        for path in RESIDENT_PAGES:
            response = page.goto(city.url + path)
            assert response is not None and response.status == 200, path
            assert NAME in page.title(), path
            if path != "/staff/login":
                assert page.evaluate("() => typeof htmx") == "object", path  # the site's copy
    finally:
        context.close()
    assert seen.hosts == {urlsplit(city.url).netloc}
    assert seen.errors == []


@pytest.mark.parametrize("path", ["/mentions-legales", "/donnees-personnelles", "/accessibilite"])
@pytest.mark.parametrize("width", [360, 1280])
def test_the_legal_pages_are_accessible(
    browser: Browser, city: Server, shoot: Shoot, path: str, width: int
) -> None:
    context, page = opened(browser, width, Requests())
    try:
        page.goto(city.url + path)
        assert_accessible(page)
        shoot(page, f"legal-{path.strip('/')}-{width}")
        footer = page.locator("footer.site")
        assert (
            footer.get_by_role("link", name="Accessibilité : partiellement conforme").count() == 1
        )
    finally:
        context.close()


def log_in(page: Page, city: Server) -> None:
    page.goto(city.url + "/staff/login")
    page.get_by_label("Nom de compte").fill("camille")
    page.get_by_label("Mot de passe").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/staff")


def test_the_staff_area_at_a_desk(browser: Browser, city: Server, shoot: Shoot) -> None:
    context, page = opened(browser, 1280, Requests())
    try:
        log_in(page, city)
        for path in STAFF_PAGES:
            page.goto(city.url + path)
            assert_accessible(page)
            assert page.evaluate(OVERFLOWING) == [], path
            menu = page.locator("nav.staff-menu").bounding_box()
            main = page.locator("main").bounding_box()
            assert menu is not None and main is not None
            assert menu["x"] + menu["width"] <= main["x"], f"{path}: the menu is not a sidebar"
            assert main["width"] > 900, path  # room for the tables, not a 670 px column
            assert page.locator("footer.site").count() == 0, path
            shoot(page, "desk" + path.replace("/", "-"))
        # a success, in the accent colour (warnings are orange)
        page.goto(city.url + "/staff?motdepasse=ok")
        colour = page.locator(".notice-success").evaluate(
            "el => getComputedStyle(el).borderLeftColor"
        )
        assert colour == "rgb(11, 92, 75)"  # site.yaml's #0b5c4b
    finally:
        context.close()


def test_the_staff_area_on_a_phone(browser: Browser, city: Server, shoot: Shoot) -> None:
    context, page = opened(browser, 360, Requests())
    try:
        log_in(page, city)
        for path in ("/staff", "/staff/chiffres/ou-sommes-nous", "/staff/moderation"):
            page.goto(city.url + path)
            assert_accessible(page)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 360, f"{path} scrolls sideways ({width} px)"
            shoot(page, "phone" + path.replace("/", "-"))
    finally:
        context.close()
