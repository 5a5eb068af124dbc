"""The city's own site as a CM runs it: the INSTALLED `balises serve` in a folder holding the
campaign files, a `site.yaml` and its logo, with `BALISES_HTMX_URL=self`; every page read over
HTTP as a phone on a weak signal would read it."""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
from collections.abc import Iterator

import brotli
import httpx
import pytest

from balises.settings import HTMX_SRI
from tests.faults.servers import BALISES, Server, add_staff, copy_campaigns, staff_member
from tests.sitefiles import write_site

NAME = "Ville de Val-de-Loir"
PAGES = ["/", "/c/ou-sommes-nous", "/c/ou-sommes-nous/tour", "/moi", "/c/ou-sommes-nous/merci"]
LEGAL = ["/mentions-legales", "/donnees-personnelles", "/accessibilite"]
LINKED = re.compile(r'(?:href|src)="(/static/[^"]+)"')


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
