"""Printing from the staff area: the checkpoint sheet and the campaign's poster QR code."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient

from campaigns.checkpoints import checkpoint_codes
from tests.media.qr_reading import read_codes, read_png, render_pdf_pages, svg_to_image
from tests.web.conftest import World
from tests.web.staff.conftest import CM_PASSWORD, login

TRAIL = (
    """
  - slug: grand-tour
    title: "Le grand tour des bornes"
    steps:
"""
    + "".join(
        f"""      - id: borne-{n}
        type: checkpoint
        title: "Borne {n} du grand tour"
"""
        for n in range(1, 8)
    )
    + """
  - slug: une-borne
    title: "Une seule borne"
    steps:
      - id: la-borne
        type: checkpoint
        title: "La borne du lavoir"
"""
)


@pytest.fixture
def campaign_dir(campaign_dir: Path) -> Path:
    """The example campaigns, plus a trail of 7 checkpoints (two A4 pages of 6 codes) and a
    campaign of one checkpoint."""
    yaml_file = campaign_dir / "campaigns.yaml"
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8") + TRAIL, encoding="utf-8")
    return campaign_dir


@pytest.fixture
def cm(staff_world: World) -> TestClient:
    return login(staff_world.client(), "camille", CM_PASSWORD)


def test_the_cm_finds_every_download_on_the_printing_page(cm: TestClient) -> None:
    page = cm.get("/staff/impression")
    assert page.status_code == 200
    assert 'href="/staff/impression/grand-tour/balises.pdf"' in page.text
    assert 'href="/staff/impression/voie-verte/balises.pdf"' in page.text
    assert "/staff/impression/ou-sommes-nous/balises.pdf" not in page.text  # no checkpoint
    assert 'href="/staff/impression/ou-sommes-nous/affiche.svg"' in page.text
    assert "http://localhost:8000/c/ou-sommes-nous?via=affiche" in page.text


def test_the_printing_page_counts_the_codes_in_the_singular_and_plural(cm: TestClient) -> None:
    french = cm.get("/staff/impression").text
    assert "Planche A4 des balises (PDF, 1 QR code)</a>" in french
    assert "Planche A4 des balises (PDF, 7 QR codes)</a>" in french
    english = cm.get("/staff/impression?lang=en").text
    assert "A4 sheet of the markers (PDF, 1 QR code)</a>" in english
    assert "A4 sheet of the markers (PDF, 7 QR codes)</a>" in english


def test_the_sheet_has_one_page_per_six_codes_and_each_reads_back(
    cm: TestClient, staff_world: World, tmp_path: Path
) -> None:
    response = cm.get("/staff/impression/grand-tour/balises.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "attachment" in response.headers["content-disposition"]
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(response.content)
    assert len(PdfReader(pdf).pages) == 2
    printed = checkpoint_codes(
        staff_world.campaign("grand-tour"),
        staff_world.settings.base_url,
        staff_world.settings.secret_key,
    )
    urls = [code.url for code in printed]
    pages = render_pdf_pages(pdf, dpi=150)
    assert read_codes(pages[0]) == urls[:6]
    assert read_codes(pages[1]) == urls[6:]
    # Each short code is printed under its QR code, in the staff member's language.
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert all(f"Code : {code.code}" in text for code in printed)
    assert cm.get("/staff/impression/ou-sommes-nous/balises.pdf").status_code == 404
    assert cm.get("/staff/impression/nulle-part/balises.pdf").status_code == 404


def test_the_poster_code_opens_the_campaign_counted_as_affiche(
    cm: TestClient, staff_world: World
) -> None:
    expected = f"{staff_world.settings.base_url}/c/voie-verte?via=affiche"
    png = cm.get("/staff/impression/voie-verte/affiche.png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert read_png(png.content) == [expected]
    svg = cm.get("/staff/impression/voie-verte/affiche.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert b"<script" not in svg.content
    assert read_codes(svg_to_image(svg.content)) == [expected]
    assert cm.get("/staff/impression/voie-verte/affiche.gif").status_code == 404


def test_archives_staff_and_players_cannot_print(staff_world: World) -> None:
    archives = login(staff_world.client())
    player = staff_world.client()
    player.get("/c/voie-verte")
    for path in (
        "/staff/impression",
        "/staff/impression/voie-verte/balises.pdf",
        "/staff/impression/voie-verte/affiche.png",
    ):
        assert archives.get(path).status_code == 403
        response = player.get(path)
        assert response.status_code == 302
        assert response.headers["location"].startswith("/staff/login?next=")
    assert "/staff/impression" not in archives.get("/staff").text
