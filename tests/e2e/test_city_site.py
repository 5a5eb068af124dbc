"""The city's own site as a CM runs it: the INSTALLED `balises serve` in a folder holding the
campaign files, a `site.yaml` and its logo, with `BALISES_HTMX_URL=self`; every page read over
HTTP as a phone on a weak signal would read it."""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import brotli
import httpx
import pytest

from balises.settings import HTMX_SRI
from tests.faults.servers import BALISES, Server, add_staff, copy_campaigns, staff_member
from tests.sitefiles import edited, write_site

NAME = "Ville de Val-de-Loir"
PAGES = ["/", "/c/ou-sommes-nous", "/c/ou-sommes-nous/tour", "/moi", "/c/ou-sommes-nous/merci"]
LEGAL = ["/mentions-legales", "/donnees-personnelles", "/accessibilite"]
LINKED = re.compile(r'(?:href|src)="(/static/[^"]+)"')
COLOURS = re.compile(r'href="(/static/site/colours\.[0-9a-f]{10}\.css)"')


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("city")
    campaigns = copy_campaigns(folder / "jeux")
    write_site(folder / "jeux")
    server = Server(
        "",
        folder / "var",
        campaigns.parent,
        env={"BALISES_HTMX_URL": "self", "BALISES_DATABASE_URL": None},
        cwd=folder,
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_check_reads_the_site_file_beside_the_campaigns(city: Server) -> None:
    done = subprocess.run(
        [str(BALISES), "check", str(city.campaigns)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**city.environ(), "LANG": "C.UTF-8"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == "ok : 2 campagnes (ou-sommes-nous, voie-verte)\n"


@pytest.mark.parametrize("path", PAGES + LEGAL)
def test_every_page_is_the_city_s(city: Server, path: str) -> None:
    page = httpx.get(city.url + path, headers={"Accept-Encoding": "br"})
    assert page.status_code == 200
    assert page.headers["content-encoding"] == "br"
    title = re.search(r"<title>(.*?)</title>", page.text)
    assert title is not None and NAME in title.group(1)
    assert f"{NAME}</a>" in page.text  # the header
    assert page.text.count('<meta name="description" content="') == 1
    for link in LEGAL:
        assert f'<a href="{link}">' in page.text
    assert "Accessibilité : partiellement conforme" in page.text
    assert "pas de pistage" in page.text  # htmx is the site's own: nobody else is contacted
    assert "cdn.jsdelivr.net" not in page.text


def test_static_files_are_fingerprinted_compressed_and_kept_a_year(city: Server) -> None:
    home = httpx.get(city.url + "/").text
    linked = set(LINKED.findall(home))
    assert any(url.startswith("/static/vendor/htmx.min.") for url in linked)
    assert any(url.startswith("/static/site/logo.") for url in linked)
    for url in linked:
        assert re.search(r"\.[0-9a-f]{10}\.\w+$", url), url
        with httpx.stream("GET", city.url + url, headers={"Accept-Encoding": "br"}) as response:
            body = b"".join(response.iter_raw())
            assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
            if url.startswith(("/static/balises.", "/static/vendor/")):  # the small ones: as is
                assert response.headers["content-encoding"] == "br"
                body = brotli.decompress(body)
        if "htmx" in url:
            digest = base64.b64encode(hashlib.sha384(body).digest()).decode()
            assert f"sha384-{digest}" == HTMX_SRI
    favicon = httpx.get(city.url + "/favicon.ico")
    assert favicon.status_code == 200 and favicon.headers["content-type"] == "image/x-icon"


def test_the_legal_pages_say_what_site_yaml_and_the_settings_say(city: Server) -> None:
    notice = httpx.get(city.url + "/mentions-legales").text
    assert "Directrice de la publication : Claire Martin, maire." in notice
    privacy = httpx.get(city.url + "/donnees-personnelles").text
    assert "Mairie de Val-de-Loir, 1 place de la Mairie" in privacy
    assert "Aucun : tout ce que les pages affichent vient de ce site." in privacy
    assert "effacées 90 jours après sa clôture" in privacy
    statement = httpx.get(city.url + "/accessibilite").text
    assert "87 % des critères du RGAA" in statement


def test_the_staff_home_has_no_resident_footer(city: Server) -> None:
    add_staff(city, "camille", "cm")
    staff = staff_member(city, "camille")
    home = staff.get("/staff")
    assert home.status_code == 200
    assert f"Espace équipe · {NAME}" in home.text
    assert '<footer class="site">' not in home.text
    assert "est chargé" in home.text  # site.yaml, read


def _until(condition: Callable[[], bool], what: str, server: Server, timeout: float = 40) -> None:
    """Wait for `condition` to hold on six requests in a row (each worker's answer)."""
    deadline = time.monotonic() + timeout
    in_a_row = 0
    while in_a_row < 6:
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not seen after {timeout} s:\n{server.log()}")
        in_a_row = in_a_row + 1 if condition() else 0
        time.sleep(0.2 if in_a_row else 0.5)


def test_an_edit_of_site_yaml_shows_without_a_restart(tmp_path: Path) -> None:
    folder = tmp_path / "jeux"
    copy_campaigns(folder)
    site_file = write_site(folder)
    server = Server(
        "",
        tmp_path / "var",
        folder,
        workers=2,
        env={"BALISES_DATABASE_URL": None},
        cwd=tmp_path,
    )
    server.start()
    try:
        add_staff(server, "camille", "cm")
        staff = staff_member(server, "camille")
        first = httpx.get(server.url + "/").text
        colours = COLOURS.search(first)
        assert colours is not None and f"{NAME}</a>" in first

        site_file.write_text(
            edited(name='"Val-de-Loir en jeux"', colour='"#1a4d8f"').replace(
                "Claire Martin, maire.", "Paul Durand, maire."
            ),
            encoding="utf-8",
        )
        _until(
            lambda: "Val-de-Loir en jeux</a>" in httpx.get(server.url + "/").text,
            "the new name",
            server,
        )
        home = httpx.get(server.url + "/").text
        now = COLOURS.search(home)
        assert now is not None and now.group(1) != colours.group(1)
        css = httpx.get(server.url + now.group(1)).text
        assert "--accent:#1a4d8f" in css
        notice = httpx.get(server.url + "/mentions-legales").text
        assert "Directrice de la publication : Paul Durand, maire." in notice
        assert "est chargé" in staff.get("/staff").text

        site_file.write_text(edited(name='"Autre nom"', colour='"#7fb0a0"'), encoding="utf-8")
        _until(
            lambda: "site.yaml:6:11: site.colour" in staff.get("/staff").text,
            "the problem on the staff home",
            server,
        )
        staff_home = staff.get("/staff").text
        assert "les pages gardent sa dernière version valide" in staff_home
        for path in ("/", "/c/ou-sommes-nous", "/mentions-legales"):
            page = httpx.get(server.url + path).text
            assert "Val-de-Loir en jeux</a>" in page and "Autre nom" not in page
        log = server.log()
        assert "site.yaml:6:11: site.colour : la couleur #7fb0a0" in log
        assert "keeping the last valid version on the pages" in log
    finally:
        server.stop()
