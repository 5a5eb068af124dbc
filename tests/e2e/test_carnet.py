"""The printable roadbook from the INSTALLED `balises serve`, in a city's folder with its
`site.yaml`: fetched over HTTP as a family's browser would, twice (the second from the cache),
it names the city, prints the trail and the markers, and never an answer."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from campaigns.matching import normalise
from tests.faults.servers import Server, copy_campaigns
from tests.sitefiles import write_site
from tests.web.roadbooks import pdf_jpegs, pdf_text

NAME = "Ville de Val-de-Loir"


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("carnet")
    campaigns = copy_campaigns(folder / "jeux")
    write_site(folder / "jeux")
    var = folder / "var"
    server = Server(f"sqlite:///{var / 'balises.db'}", var, campaigns.parent, cwd=folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_the_roadbook_is_served_named_after_the_city(city: Server) -> None:
    page = httpx.get(city.url + "/c/ou-sommes-nous")
    assert 'href="/c/ou-sommes-nous/carnet.pdf"' in page.text
    first = httpx.get(city.url + "/c/ou-sommes-nous/carnet.pdf", timeout=60)
    assert first.status_code == 200
    assert first.headers["content-type"] == "application/pdf"
    assert first.content.startswith(b"%PDF-")
    text = pdf_text(first.content)
    assert f"{NAME} · Où sommes-nous ? Journées du patrimoine" in text
    assert "Pour commencer en douceur : on la voit de presque partout en ville." in text
    assert "Lucie Perrin — Photographe, habitante du quartier des Tanneurs" in text
    assert "Balises ·" not in text
    flat = f" {normalise(text)} "
    for answer in ("Tour Saint-Aubin", "Saint-Aubin", "Sept-Arches", "Kiosque"):
        assert f" {normalise(answer)} " not in flat
    assert len(pdf_jpegs(first.content)) == 1  # the first crop of the first riddle only
    again = httpx.get(city.url + "/c/ou-sommes-nous/carnet.pdf", timeout=60)
    assert again.content == first.content
    kept = list((city.var_dir / "media" / "cache" / "roadbooks").glob("*.pdf"))
    assert [p.read_bytes() for p in kept] == [first.content]


def test_the_greenway_s_roadbook_shows_where_each_marker_stands(city: Server) -> None:
    english = httpx.get(city.url + "/c/voie-verte/carnet.pdf?lang=en", timeout=60)
    assert english.status_code == 200
    text = pdf_text(english.content)
    assert "Marker 1 is waiting for you outside the old station, on the platform side." in text
    assert "Where the marker is: 47.39410, 0.68480" in text
    assert "Play on your phone: scan this code or type the address" in text
    assert httpx.get(city.url + "/c/nulle-part/carnet.pdf").status_code == 404


def test_nothing_went_wrong_in_the_server_log(city: Server) -> None:
    assert "Traceback" not in city.log()
